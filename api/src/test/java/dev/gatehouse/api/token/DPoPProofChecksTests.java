package dev.gatehouse.api.token;

import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.jwt.DPoPProofContext;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtValidationException;

import dev.gatehouse.api.support.DPoPClientKey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class DPoPProofChecksTests {

    private static final String URL = "http://localhost:3001/api/external";

    private final ManualClock clock = new ManualClock(1_800_000_000_000L);

    private final DPoPClientKey key = DPoPClientKey.generate();

    private final Jwt accessToken = Jwt.withTokenValue("eyJ.access.token")
        .header("alg", "RS256")
        .claim("cnf", this.key.confirmation())
        .build();

    @Test
    void proofReplayedAfterTheApiRestartedIsRefused() {
        String proof = proofMadeAt(this.clock.instant());
        DPoPProofChecks beforeRestart = checks();
        decode(beforeRestart, proof);
        assertThatExceptionOfType(JwtValidationException.class).isThrownBy(() -> decode(beforeRestart, proof))
            .withMessageContaining("jti");

        // A restart a few seconds later, well within the proof's 60 s: the replays
        // remembered in memory are gone, and the proof must still be refused.
        this.clock.advance(Duration.ofMillis(5_000));
        DPoPProofChecks afterRestart = checks();
        assertThatExceptionOfType(JwtValidationException.class).isThrownBy(() -> decode(afterRestart, proof))
            .withMessageContaining("before the API started");
        decode(afterRestart, proofMadeAt(this.clock.instant()));
    }

    private DPoPProofChecks checks() {
        Duration skew = Duration.ofSeconds(60);
        return new DPoPProofChecks(List.of("ES256"), skew,
                new ProofReplayCache(this.clock, DPoPProofChecks.MAX_AGE.plus(skew), 1000), this.clock);
    }

    private String proofMadeAt(Instant iat) {
        return this.key.proof("GET", URL, this.accessToken.getTokenValue(), (h) -> {
        }, (c) -> c.issueTime(Date.from(iat)));
    }

    private void decode(DPoPProofChecks checks, String proof) {
        checks.decoders()
            .createDecoder(DPoPProofContext.withDPoPProof(proof)
                .method("GET")
                .targetUri(URL)
                .accessToken(this.accessToken)
                .build())
            .decode(proof);
    }

}
