package dev.gatehouse.api.token;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.nimbusds.jose.JWSAlgorithm;
import org.junit.jupiter.api.Test;

import org.springframework.test.context.TestPropertySource;

import dev.gatehouse.api.support.ApiAgainstTestIssuer;
import dev.gatehouse.api.support.ApiClient;
import dev.gatehouse.api.support.TestIssuer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A burst of tokens with forged {@code kid}s must not turn into a burst of JWKS requests:
 * within one cool-down, 400 forged tokens cost the issuer at most the one fetch the API
 * needed anyway. (The cool-down is set longer than the default 30 s only so that a slow
 * CI machine cannot stretch the bursts past it.)
 */
@TestPropertySource(properties = "gatehouse.api.jwt.jwks-refresh-cooldown=300s")
class JwksFloodTests extends ApiAgainstTestIssuer {

    static final TestIssuer issuer = TestIssuer.start();

    @Test
    void forgedKidFloodThenJwksFetchedAtMostOnceWithinCooldown() throws Exception {
        ApiClient api = api();
        assertThat(issuer.jwksHits()).as("nothing is fetched at startup").isZero();
        assertThat(issuer.discoveryHits()).isZero();

        // Cold cache: the very first tokens are forged.
        assertThat(flood(api, 200)).containsOnly(401);
        assertThat(issuer.jwksHits()).isLessThanOrEqualTo(1);
        assertThat(issuer.discoveryHits()).isLessThanOrEqualTo(1);

        // The one fetch brought the real keys: genuine tokens need no further fetch.
        assertThat(api.get("/api/external", issuer.token((claims) -> {
        })).statusCode()).isEqualTo(200);

        assertThat(flood(api, 200)).containsOnly(401);
        assertThat(issuer.jwksHits()).isLessThanOrEqualTo(2);
        assertThat(issuer.discoveryHits()).isLessThanOrEqualTo(1);
        assertThat(api.get("/api/external", issuer.token((claims) -> {
        })).statusCode()).isEqualTo(200);
    }

    /**
     * Sends {@code count} tokens, each with a fresh random kid, from 16 threads; returns
     * the status codes.
     */
    private static List<Integer> flood(ApiClient api, int count) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            List<Future<HttpResponse<String>>> responses = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                String token = issuer.sign(issuer.attackerKey(), JWSAlgorithm.RS256,
                        (header) -> header.keyID(UUID.randomUUID().toString()), (claims) -> {
                        });
                responses.add(pool.submit(() -> api.get("/api/external", token)));
            }
            List<Integer> statuses = new ArrayList<>();
            for (Future<HttpResponse<String>> response : responses) {
                statuses.add(response.get().statusCode());
            }
            return statuses;
        }
        finally {
            pool.shutdownNow();
        }
    }

}
