package dev.gatehouse.api.token;

import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.UUID;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.RSAKey;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.annotation.DirtiesContext.ClassMode;
import org.springframework.test.context.TestPropertySource;

import dev.gatehouse.api.support.ApiAgainstTestIssuer;
import dev.gatehouse.api.support.ApiClient;
import dev.gatehouse.api.support.TestIssuer;
import dev.gatehouse.api.support.TestIssuer.Mode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Key rotation and JWKS trouble, each test on a fresh API (so a fresh key cache) with a 1
 * s cool-down and a 500 ms timeout: rotated keys are picked up without a restart, and a
 * JWKS endpoint that is down, slow, failing or serving garbage never stops cached keys
 * from working, never makes a request hang, and costs one log line per attempt.
 */
@TestPropertySource(properties = { "gatehouse.api.jwt.jwks-refresh-cooldown=1s", "gatehouse.api.jwt.jwks-timeout=500ms",
        // No leeway, so that expiry can be observed within a test.
        "gatehouse.api.jwt.clock-skew=0s" })
@DirtiesContext(classMode = ClassMode.AFTER_EACH_TEST_METHOD)
@ExtendWith(OutputCaptureExtension.class)
class JwksResilienceTests extends ApiAgainstTestIssuer {

    static final Duration COOLDOWN = Duration.ofSeconds(1);

    static final TestIssuer issuer = TestIssuer.start();

    ApiClient api;

    @BeforeEach
    void warmUp() {
        issuer.resume();
        issuer.mode(Mode.NORMAL);
        this.api = api();
        assertThat(this.api.get("/api/external", valid()).statusCode()).isEqualTo(200);
    }

    @Test
    void issuerRotatesKeysThenNewKidAcceptedAfterCooldownWithoutRestart() throws Exception {
        String oldKeyToken = valid();
        issuer.rotate();
        String newKeyToken = valid();
        int hits = issuer.jwksHits();

        pastCooldown();
        assertThat(this.api.get("/api/external", newKeyToken).statusCode()).isEqualTo(200);
        assertThat(issuer.jwksHits()).isEqualTo(hits + 1);
        assertThat(this.api.get("/api/external", oldKeyToken).statusCode()).isEqualTo(200);
    }

    @Test
    void jwksDownThenCachedKeysServeAndUnknownKidGets401FastWithOneLogLinePerAttempt(CapturedOutput output)
            throws Exception {
        issuer.stop();
        int logStart = output.length();
        long outageStarted = System.nanoTime();
        pastCooldown();
        for (int round = 0; round < 3; round++) {
            assertThat(this.api.get("/api/external", valid()).statusCode()).isEqualTo(200);
            for (int i = 0; i < 20; i++) {
                long started = System.nanoTime();
                assertThat(this.api.get("/api/external", forged()).statusCode()).isEqualTo(401);
                assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3));
            }
            pastCooldown();
        }
        String log = output.toString().substring(logStart);
        long failures = log.lines().filter((line) -> line.contains("JWKS refresh from")).count();
        // At most one attempt per cool-down, however many requests (60 forged, 3 valid)
        // came meanwhile.
        long windows = Duration.ofNanos(System.nanoTime() - outageStarted).toMillis() / COOLDOWN.toMillis() + 1;
        assertThat(failures).isBetween(1L, windows);
        assertThat(log).contains("connection refused");
        assertThat(log).doesNotContain("\tat ").doesNotContain("Exception");
    }

    @Test
    void jwksSlowThenValidTokensNotDelayedAndUnknownKidBoundedByTimeout() throws Exception {
        issuer.slowness(Duration.ofSeconds(5));
        issuer.mode(Mode.SLOW);
        pastCooldown();
        long started = System.nanoTime();
        assertThat(this.api.get("/api/external", forged()).statusCode()).isEqualTo(401);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofMillis(3000));

        pastCooldown();
        started = System.nanoTime();
        assertThat(this.api.get("/api/external", valid()).statusCode()).isEqualTo(200);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofMillis(1500));
    }

    @Test
    void jwksServesGarbageOrErrorsThenCachedKeysServeAndRotationRecoversAfterwards(CapturedOutput output)
            throws Exception {
        for (Mode mode : new Mode[] { Mode.GARBAGE, Mode.ERROR }) {
            issuer.mode(mode);
            pastCooldown();
            assertThat(this.api.get("/api/external", forged()).statusCode()).isEqualTo(401);
            assertThat(this.api.get("/api/external", valid()).statusCode()).isEqualTo(200);
        }
        assertThat(output).contains("response is not a JWK set").contains("HTTP status 500");

        issuer.mode(Mode.NORMAL);
        issuer.rotate();
        pastCooldown();
        assertThat(this.api.get("/api/external", valid()).statusCode()).isEqualTo(200);
    }

    @Test
    void keysRemovedByTheIssuerStopWorkingOnceTheCacheRefreshes() throws Exception {
        String retiredKeyToken = valid();
        // Verified once, so remembered by the verified-token cache: that must not outlive
        // the key.
        assertThat(this.api.get("/api/external", retiredKeyToken).statusCode()).isEqualTo(200);
        issuer.rotate();
        issuer.rotate();
        pastCooldown();
        // A token under the newest key makes the API fetch; the retired key is no longer
        // published.
        assertThat(this.api.get("/api/external", valid()).statusCode()).isEqualTo(200);
        assertThat(this.api.get("/api/external", retiredKeyToken).statusCode()).isEqualTo(401);
    }

    @Test
    void rememberedTokenStillExpiresOnTime() throws Exception {
        Instant now = Instant.now();
        String shortLived = issuer
            .token((claims) -> claims.issueTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(3))));
        assertThat(this.api.get("/api/external", shortLived).statusCode()).isEqualTo(200);
        assertThat(this.api.get("/api/external", shortLived).statusCode()).isEqualTo(200);
        Thread.sleep(Duration.between(Instant.now(), now.plusSeconds(3)).toMillis() + 300);
        assertThat(this.api.get("/api/external", shortLived).statusCode()).isEqualTo(401);
    }

    private static String valid() {
        return issuer.token((claims) -> {
        });
    }

    private static String forged() {
        RSAKey attacker = issuer.attackerKey();
        return issuer.sign(attacker, JWSAlgorithm.RS256, (header) -> header.keyID(UUID.randomUUID().toString()),
                (claims) -> {
                });
    }

    private static void pastCooldown() throws InterruptedException {
        Thread.sleep(COOLDOWN.toMillis() + 200);
    }

}
