package dev.gatehouse.authserver.protocol;

import static dev.gatehouse.authserver.protocol.OAuthTestClient.API;
import static dev.gatehouse.authserver.protocol.OAuthTestClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

/**
 * Server nonces ({@code gatehouse.dpop.nonce=true}, RFC 9449 section 8): a proof without
 * a current nonce gets {@code use_dpop_nonce} and a nonce in {@code DPoP-Nonce}, exactly
 * what the Auth0 SDK retries on; the retry with it succeeds, and every answer hands out
 * the current nonce.
 */
@TestPropertySource(properties = "gatehouse.dpop.nonce=true")
class DPoPNonceTests extends ProtocolTestSupport {

    @Test
    void aProofWithoutTheServerNonceIsAnsweredUseDPoPNonceAndTheRetryWithItSucceeds() {
        DPoPKey key = DPoPKey.ec();
        HttpResponse<String> first = clientCredentials(key.proof("POST", tokenUrl()));
        assertThat(first.statusCode()).as(first.body()).isEqualTo(400);
        assertThat(json(first).get("error").asString()).isEqualTo("use_dpop_nonce");
        String nonce = first.headers().firstValue("DPoP-Nonce").orElseThrow();

        HttpResponse<String> retry = clientCredentials(key.proof("POST", tokenUrl(), (h) -> {
        }, (c) -> c.claim("nonce", nonce)));
        assertThat(retry.statusCode()).as(retry.body()).isEqualTo(200);
        assertThat(json(retry).get("token_type").asString()).isEqualTo("DPoP");
        assertThat(retry.headers().firstValue("DPoP-Nonce")).isPresent();
    }

    @Test
    void aForgedNonceIsRefused() {
        DPoPKey key = DPoPKey.ec();
        for (String forged : new String[] { "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "not-base64!", "" }) {
            HttpResponse<String> response = clientCredentials(key.proof("POST", tokenUrl(), (h) -> {
            }, (c) -> c.claim("nonce", forged)));
            assertThat(response.statusCode()).as(forged + ": " + response.body()).isEqualTo(400);
            assertThat(json(response).get("error").asString()).isEqualTo("use_dpop_nonce");
        }
    }

    @Test
    void theNonceIsExposedToBrowsers() {
        HttpResponse<String> response = this.browser.postForm("/oauth/token",
                Map.of("grant_type", "refresh_token", "client_id", "gatehouse-spa", "refresh_token", "unknown"),
                "Origin", "http://localhost:4200");
        assertThat(response.headers().firstValue("DPoP-Nonce")).isPresent();
        assertThat(response.headers().firstValue("Access-Control-Expose-Headers").orElse(""))
            .containsIgnoringCase("DPoP-Nonce");
    }

    private String tokenUrl() {
        return "http://localhost:" + this.port + "/oauth/token";
    }

    private HttpResponse<String> clientCredentials(String proof) {
        return this.browser.postForm("/oauth/token", Map.of("grant_type", "client_credentials", "client_id",
                "gatehouse-m2m", "client_secret", "gatehouse-m2m-secret", "audience", API), "DPoP", proof);
    }

}
