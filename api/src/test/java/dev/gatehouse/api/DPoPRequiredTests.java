package dev.gatehouse.api;

import java.net.http.HttpResponse;

import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

import dev.gatehouse.api.support.ApiAgainstTestIssuer;
import dev.gatehouse.api.support.ApiClient;
import dev.gatehouse.api.support.DPoPClientKey;
import dev.gatehouse.api.support.TestIssuer;

import static dev.gatehouse.api.support.ErrorAssertions.assertCleanErrorBody;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code gatehouse.api.dpop.required=true}: a stolen access token is useless on its own.
 * Bearer tokens, bound or not, get 401 with a DPoP challenge; only a bound token with a
 * proof of its key is served.
 */
@TestPropertySource(properties = "gatehouse.api.dpop.required=true")
class DPoPRequiredTests extends ApiAgainstTestIssuer {

    static final TestIssuer issuer = TestIssuer.start();

    @Test
    void aBearerTokenGets401WithADPoPChallenge() {
        HttpResponse<String> response = api().get("/api/external", issuer.token((c) -> {
        }));
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("WWW-Authenticate").orElseThrow())
            .startsWith("DPoP error=\"invalid_token\"")
            .contains("accepts only DPoP-bound access tokens")
            .endsWith("algs=\"ES256 RS256 PS256\"");
        assertCleanErrorBody(response, "invalid_token");
    }

    @Test
    void noTokenGetsADPoPChallenge() {
        HttpResponse<String> response = api().get("/api/private");
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("WWW-Authenticate")).contains("DPoP algs=\"ES256 RS256 PS256\"");
        assertThat(api().get("/api/public").statusCode()).as("public stays public").isEqualTo(200);
    }

    @Test
    void aStolenBoundTokenReplayedAsBearerOrWithoutItsKeyGets401() {
        DPoPClientKey key = DPoPClientKey.generate();
        String token = issuer.token((c) -> c.claim("cnf", key.confirmation()));
        ApiClient api = api();
        assertThat(api.get("/api/external", token).statusCode()).isEqualTo(401);
        assertThat(api.send("GET", "/api/external", "Authorization", "DPoP " + token).statusCode()).isEqualTo(401);
        assertThat(api
            .send("GET", "/api/external", "Authorization", "DPoP " + token, "DPoP",
                    DPoPClientKey.generate().proof("GET", api.base() + "/api/external", token))
            .statusCode()).isEqualTo(401);

        HttpResponse<String> owner = api.send("GET", "/api/external", "Authorization", "DPoP " + token, "DPoP",
                key.proof("GET", api.base() + "/api/external", token));
        assertThat(owner.statusCode()).as(owner.body()).isEqualTo(200);
    }

}
