package dev.gatehouse.api.token;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import org.springframework.test.context.TestPropertySource;

import dev.gatehouse.api.support.ApiAgainstTestIssuer;
import dev.gatehouse.api.support.ApiClient;
import dev.gatehouse.api.support.TestIssuer;

import static dev.gatehouse.api.support.ErrorAssertions.assertCleanErrorBody;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The API starts while its issuer is down (discovery and JWKS are fetched on the first
 * token, not at startup), serves public endpoints, answers tokens with a clean 401
 * meanwhile, and accepts them once the issuer is back.
 */
@TestPropertySource(
        properties = { "gatehouse.api.jwt.jwks-refresh-cooldown=1s", "gatehouse.api.jwt.jwks-timeout=500ms" })
class IssuerDownAtStartupTests extends ApiAgainstTestIssuer {

    static final TestIssuer issuer = TestIssuer.reserveDown();

    @Test
    void issuerDownThenPublicServedTokensGet401AndAreAcceptedOnceIssuerIsBack() throws Exception {
        ApiClient api = api();
        assertThat(api.get("/api/public").statusCode()).isEqualTo(200);
        assertThat(api.get("/actuator/health").statusCode()).isEqualTo(200);

        String token = issuer.token((claims) -> {
        });
        long started = System.nanoTime();
        var refused = api.get("/api/external", token);
        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3));
        assertCleanErrorBody(refused, "invalid_token");

        issuer.resume();
        Thread.sleep(1200);
        assertThat(api.get("/api/external", token).statusCode()).isEqualTo(200);
        assertThat(issuer.discoveryHits()).isEqualTo(1);
    }

}
