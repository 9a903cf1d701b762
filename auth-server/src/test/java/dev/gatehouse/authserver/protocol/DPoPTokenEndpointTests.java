package dev.gatehouse.authserver.protocol;

import static dev.gatehouse.authserver.protocol.OAuthTestClient.API;
import static dev.gatehouse.authserver.protocol.OAuthTestClient.SPA;
import static dev.gatehouse.authserver.protocol.OAuthTestClient.SPA_ORIGIN;
import static dev.gatehouse.authserver.protocol.OAuthTestClient.json;
import static dev.gatehouse.authserver.protocol.OAuthTestClient.jwt;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.Map;

import com.nimbusds.jose.JOSEObjectType;
import org.junit.jupiter.api.Test;

import tools.jackson.databind.JsonNode;

/**
 * DPoP (RFC 9449) at {@code /oauth/token}: every grant we serve binds its access token to
 * the proof's key ({@code cnf.jkt}, {@code token_type DPoP}); a public client's refresh
 * token is bound too; every malformed, misdirected, stale or replayed proof is refused
 * with {@code invalid_dpop_proof} and a description, never a 5xx; tenant settings can
 * require proofs.
 */
class DPoPTokenEndpointTests extends ProtocolTestSupport {

    private static final String USER = "dpop@example.com";

    private static final String PASSWORD = "Test-Passw0rd";

    private String tokenUrl() {
        return "http://localhost:" + this.port + "/oauth/token";
    }

    @Test
    void discoveryAdvertisesTheProofAlgorithms() {
        JsonNode oidc = json(this.browser.get("/.well-known/openid-configuration"));
        assertThat(strings(oidc.get("dpop_signing_alg_values_supported"))).containsExactly("ES256", "RS256", "PS256");
        JsonNode metadata = json(this.browser.get("/.well-known/oauth-authorization-server"));
        assertThat(strings(metadata.get("dpop_signing_alg_values_supported"))).containsExactly("ES256", "RS256",
                "PS256");
        assertThat(metadata.has("tls_client_certificate_bound_access_tokens")).isFalse();
    }

    @Test
    void codeExchangeWithAProofIssuesADPoPBoundAccessTokenAndRefreshToken() {
        DPoPKey key = DPoPKey.ec();
        JsonNode tokens = boundLogin(key);

        assertThat(tokens.get("token_type").asString()).isEqualTo("DPoP");
        JsonNode claims = jwt(tokens.get("access_token").asString())[1];
        assertThat(claims.get("cnf").get("jkt").asString()).isEqualTo(key.thumbprint());
        assertThat(jwt(tokens.get("id_token").asString())[1].has("cnf")).as("the ID token is not bound").isFalse();

        // Rotation with a proof of the same key: a new bound token, the family goes on.
        HttpResponse<String> rotated = refresh(tokens.get("refresh_token").asString(), key);
        assertThat(rotated.statusCode()).as(rotated.body()).isEqualTo(200);
        assertThat(json(rotated).get("token_type").asString()).isEqualTo("DPoP");
        assertThat(jwt(json(rotated).get("access_token").asString())[1].get("cnf").get("jkt").asString())
            .isEqualTo(key.thumbprint());
        HttpResponse<String> again = refresh(json(rotated).get("refresh_token").asString(), key);
        assertThat(again.statusCode()).as(again.body()).isEqualTo(200);
    }

    @Test
    void boundRefreshTokenWithoutAProofOrWithAnotherKeyIsRefusedAndStaysUsable() {
        DPoPKey key = DPoPKey.ec();
        String refreshToken = boundLogin(key).get("refresh_token").asString();

        HttpResponse<String> asBearer = this.browser.postForm("/oauth/token",
                Map.of("client_id", SPA, "grant_type", "refresh_token", "refresh_token", refreshToken), "Origin",
                SPA_ORIGIN);
        assertDPoPError(asBearer, "bound to a DPoP key");

        HttpResponse<String> otherKey = refresh(refreshToken, DPoPKey.ec());
        assertDPoPError(otherKey, null);

        HttpResponse<String> rightKey = refresh(refreshToken, key);
        assertThat(rightKey.statusCode()).as("the refusals neither rotated nor revoked the family: " + rightKey.body())
            .isEqualTo(200);
    }

    @Test
    void codeExchangeWhenDpopJktNamedAKeyThenOnlyAProofOfThatKeyRedeemsTheCode() {
        DPoPKey key = DPoPKey.ec();
        OAuthTestClient.Authorize authorize = apiRequest().with("dpop_jkt", key.thumbprint());
        // A user who has never consented: dpop_jkt has to survive the consent round trip.
        this.browser.get(authorize.url());
        HttpResponse<String> consent = this.browser.follow(this.browser.login("dpop-jkt@example.com", PASSWORD));
        assertThat(consent.body()).contains("consent-accept");
        String code = codeResponse(this.browser.accept(consent)).get("code");
        Map<String, String> exchange = authorize.tokenRequest(code);

        HttpResponse<String> withoutProof = this.browser.postForm("/oauth/token", exchange, "Origin", SPA_ORIGIN);
        assertInvalidGrant(withoutProof, "bound to a DPoP key (dpop_jkt)");
        HttpResponse<String> otherKey = this.browser.postForm("/oauth/token", exchange, "Origin", SPA_ORIGIN, "DPoP",
                DPoPKey.ec().proof("POST", tokenUrl()));
        assertInvalidGrant(otherKey, "not made with the key named by dpop_jkt");
        // A proof the client made for an API call, sent as the parameters SAS keeps the
        // DPoP header in, with the method and URL it was made for.
        String apiUrl = "http://localhost:3001/api/external";
        Map<String, String> smuggled = new LinkedHashMap<>(exchange);
        smuggled.put("dpop_proof", key.proof("GET", apiUrl));
        smuggled.put("dpop_method", "GET");
        smuggled.put("dpop_target_uri", apiUrl);
        HttpResponse<String> asParameters = this.browser.postForm("/oauth/token", smuggled, "Origin", SPA_ORIGIN);
        assertThat(asParameters.statusCode()).as(asParameters.body()).isEqualTo(400);
        assertThat(json(asParameters).get("error").asString()).isEqualTo("invalid_request");
        HttpResponse<String> asJson = this.browser.postJson("/oauth/token",
                OAuthTestClient.JSON.writeValueAsString(smuggled), "Origin", SPA_ORIGIN);
        assertThat(asJson.statusCode()).as(asJson.body()).isEqualTo(400);
        assertThat(json(asJson).get("error").asString()).isEqualTo("invalid_request");

        HttpResponse<String> rightKey = this.browser.postForm("/oauth/token", exchange, "Origin", SPA_ORIGIN, "DPoP",
                key.proof("POST", tokenUrl()));
        assertThat(rightKey.statusCode()).as("the refusals did not use up the code: " + rightKey.body()).isEqualTo(200);
        assertThat(jwt(json(rightKey).get("access_token").asString())[1].get("cnf").get("jkt").asString())
            .isEqualTo(key.thumbprint());
        // A replay of the used code, even without a proof, is a replay (SEC-1): it
        // revokes
        // what the code gave.
        HttpResponse<String> replay = this.browser.postForm("/oauth/token", exchange, "Origin", SPA_ORIGIN);
        GrantRaces.assertInvalidGrant(replay);
        HttpResponse<String> revoked = refresh(json(rightKey).get("refresh_token").asString(), key);
        GrantRaces.assertInvalidGrant(revoked);
    }

    @Test
    void tokenRequestWhenTheProofIsSentAsParametersThenInvalidRequest() {
        DPoPKey key = DPoPKey.ec();
        String refreshToken = boundLogin(key).get("refresh_token").asString();
        String apiUrl = "http://localhost:3001/api/external";
        Map<String, String> smuggled = Map.of("dpop_proof", key.proof("GET", apiUrl), "dpop_method", "GET",
                "dpop_target_uri", apiUrl);

        Map<String, String> refresh = new LinkedHashMap<>(smuggled);
        refresh.putAll(Map.of("client_id", SPA, "grant_type", "refresh_token", "refresh_token", refreshToken));
        // The token endpoint also answers at a percent-encoded path; the check must too.
        for (String path : new String[] { "/oauth/token", "/oauth/%74oken", "/oauth/t%6Fken" }) {
            HttpResponse<String> refreshed = this.browser.postForm(path, refresh, "Origin", SPA_ORIGIN);
            assertThat(refreshed.statusCode()).as(path + ": " + refreshed.body()).isEqualTo(400);
            assertThat(json(refreshed).get("error").asString()).isEqualTo("invalid_request");
        }

        Map<String, String> machine = new LinkedHashMap<>(smuggled);
        machine.putAll(Map.of("grant_type", "client_credentials", "client_id", "gatehouse-m2m", "client_secret",
                "gatehouse-m2m-secret", "audience", API));
        for (String name : smuggled.keySet()) {
            Map<String, String> one = new LinkedHashMap<>(machine);
            one.keySet().removeIf((other) -> other.startsWith("dpop_") && !other.equals(name));
            for (String path : new String[] { "/oauth/token", "/oauth/%74oken" }) {
                HttpResponse<String> response = this.browser.postForm(path, one);
                assertThat(response.statusCode()).as(path + " " + name + ": " + response.body()).isEqualTo(400);
                assertThat(json(response).get("error_description").asString()).contains(name);
            }
        }

        HttpResponse<String> rightKey = refresh(refreshToken, key);
        assertThat(rightKey.statusCode()).as("the refusal neither rotated nor revoked the family: " + rightKey.body())
            .isEqualTo(200);
    }

    @Test
    void authorizeWhenDpopJktIsNotAThumbprintThenInvalidRequest() {
        new GrantRaces(this.browser).tokens(USER, PASSWORD);
        String thumbprint = DPoPKey.ec().thumbprint();
        // The last character of a 32-byte base64url value carries two zero bits.
        String nonCanonical = thumbprint.substring(0, 42) + (char) (thumbprint.charAt(42) + 1);
        for (String malformed : new String[] { "", "abc", thumbprint + "A", thumbprint.substring(1) + "=",
                "../../etc/passwd", nonCanonical }) {
            HttpResponse<String> refused = this.browser.get(apiRequest().with("dpop_jkt", malformed).url());
            assertThat(refused.statusCode()).as(malformed).isEqualTo(302);
            assertThat(OAuthTestClient.query(OAuthTestClient.location(refused))).as(malformed)
                .containsEntry("error", "invalid_request")
                .doesNotContainKey("code");
        }
        HttpResponse<String> wellFormed = this.browser
            .get(apiRequest().with("dpop_jkt", DPoPKey.ec().thumbprint()).url());
        assertThat(OAuthTestClient.query(OAuthTestClient.location(wellFormed))).containsKey("code");
    }

    @Test
    void clientCredentialsWithAProofIssueADPoPBoundToken() {
        DPoPKey key = DPoPKey.rsa();
        HttpResponse<String> response = clientCredentials("gatehouse-m2m", "gatehouse-m2m-secret", API,
                key.proof("POST", tokenUrl()));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(json(response).get("token_type").asString()).isEqualTo("DPoP");
        assertThat(jwt(json(response).get("access_token").asString())[1].get("cnf").get("jkt").asString())
            .isEqualTo(key.thumbprint());

        HttpResponse<String> bearer = clientCredentials("gatehouse-m2m", "gatehouse-m2m-secret", API, null);
        assertThat(json(bearer).get("token_type").asString()).isEqualTo("Bearer");
        assertThat(jwt(json(bearer).get("access_token").asString())[1].has("cnf")).isFalse();
    }

    /** Each proof is named "what is wrong => what the description says". */
    @Test
    void hostileProofsAreEachRefusedWithInvalidDPoPProof() {
        DPoPKey key = DPoPKey.ec();
        String url = tokenUrl();
        Map<String, String> proofs = new LinkedHashMap<>();
        proofs.put("for another URL => htu", key.proof("POST", "http://localhost:" + this.port + "/oauth/revoke"));
        proofs.put("for another host => htu", key.proof("POST", "https://evil.example/oauth/token"));
        proofs.put("for another method => htm", key.proof("GET", url));
        proofs.put("stale iat => iat", key.proof("POST", url, (h) -> {
        }, (c) -> c.issueTime(Date.from(Instant.now().minusSeconds(300)))));
        proofs.put("iat in the future => iat", key.proof("POST", url, (h) -> {
        }, (c) -> c.issueTime(Date.from(Instant.now().plusSeconds(300)))));
        proofs.put("no iat => no iat", key.proof("POST", url, (h) -> {
        }, (c) -> c.issueTime(null)));
        proofs.put("no jti => no jti", key.proof("POST", url, (h) -> {
        }, (c) -> c.jwtID(null)));
        proofs.put("no htu => htu", key.proof("POST", url, (h) -> {
        }, (c) -> c.claim("htu", null)));
        proofs.put("typ JWT => typ", key.proof("POST", url, (h) -> h.type(JOSEObjectType.JWT), (c) -> {
        }));
        proofs.put("private key in jwk => private key", key.proofWithPrivateJwk("POST", url));
        proofs.put("another key in jwk => signature",
                key.proof("POST", url, (h) -> h.jwk(DPoPKey.ec().privateJwk().toPublicJWK()), (c) -> {
                }));
        proofs.put("HS256 => asymmetric", key.hmac().proof("POST", url));
        proofs.put("ES384, not advertised => alg must be one of", DPoPKey.ec384().proof("POST", url));
        proofs.put("not a JWT => malformed", "garbage");
        proofs.put("empty signature => signature",
                key.proof("POST", url).substring(0, key.proof("POST", url).lastIndexOf('.') + 1));

        proofs.forEach((name, proof) -> {
            HttpResponse<String> response = clientCredentials("gatehouse-m2m", "gatehouse-m2m-secret", API, proof);
            assertThat(response.statusCode()).as(name + ": " + response.body()).isEqualTo(400);
            assertThat(json(response).get("error").asString()).as(name).isEqualTo("invalid_dpop_proof");
            assertThat(json(response).get("error_description").asString()).as(name)
                .contains(name.substring(name.indexOf(" => ") + 4));
        });
    }

    @Test
    void aProofIsAcceptedOnce() {
        String proof = DPoPKey.ec().proof("POST", tokenUrl());
        assertThat(clientCredentials("gatehouse-m2m", "gatehouse-m2m-secret", API, proof).statusCode()).isEqualTo(200);
        HttpResponse<String> replay = clientCredentials("gatehouse-m2m", "gatehouse-m2m-secret", API, proof);
        assertDPoPError(replay, "jti");
    }

    @Test
    void twoDPoPHeadersAreRefused() {
        DPoPKey key = DPoPKey.ec();
        HttpResponse<String> response = this.browser.postForm("/oauth/token",
                Map.of("grant_type", "client_credentials", "client_id", "gatehouse-m2m", "client_secret",
                        "gatehouse-m2m-secret", "audience", API),
                "DPoP", key.proof("POST", tokenUrl()), "DPoP", key.proof("POST", tokenUrl()));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        assertThat(json(response).get("error").asString()).isEqualTo("invalid_request");
    }

    @Test
    void anApiThatRequiresProofOfPossessionGetsNoBearerToken() {
        String api = "https://dpop-required.example.test/api";
        assertDPoPError(clientCredentials("gatehouse-m2m", "gatehouse-m2m-secret", api, null), "requires");
        HttpResponse<String> bound = clientCredentials("gatehouse-m2m", "gatehouse-m2m-secret", api,
                DPoPKey.ec().proof("POST", tokenUrl()));
        assertThat(bound.statusCode()).as(bound.body()).isEqualTo(200);
        assertThat(json(bound).get("token_type").asString()).isEqualTo("DPoP");
    }

    @Test
    void aClientThatRequiresProofOfPossessionGetsNoBearerToken() {
        assertDPoPError(clientCredentials("dpop-m2m", "dpop-m2m-secret", API, null), "requires");
        HttpResponse<String> bound = clientCredentials("dpop-m2m", "dpop-m2m-secret", API,
                DPoPKey.ec().proof("POST", tokenUrl()));
        assertThat(bound.statusCode()).as(bound.body()).isEqualTo(200);
    }

    @Test
    void aRetryWithinTheReuseIntervalKeepsTheTokenTypeAndNeedsTheSameKey() {
        DPoPKey key = DPoPKey.ec();
        OAuthTestClient.Authorize authorize = apiRequest().with("client_id", "leeway-spa");
        JsonNode tokens = boundLogin(authorize, key);
        String first = tokens.get("refresh_token").asString();
        HttpResponse<String> rotation = refresh("leeway-spa", first, key);
        assertThat(rotation.statusCode()).as(rotation.body()).isEqualTo(200);

        assertDPoPError(refresh("leeway-spa", first, null), "bound to a DPoP key");
        assertDPoPError(refresh("leeway-spa", first, DPoPKey.ec()), null);
        HttpResponse<String> retry = refresh("leeway-spa", first, key);
        assertThat(retry.statusCode()).as(retry.body()).isEqualTo(200);
        assertThat(json(retry).get("token_type").asString()).isEqualTo("DPoP");
        assertThat(json(retry).get("access_token").asString()).isEqualTo(json(rotation).get("access_token").asString());
    }

    @Test
    void aBoundAccessTokenWorksAtUserinfoOnlyWithAProof() {
        DPoPKey key = DPoPKey.ec();
        String accessToken = boundLogin(key).get("access_token").asString();
        String userinfo = "http://localhost:" + this.port + "/userinfo";

        assertThat(this.browser.get("/userinfo", "Authorization", "Bearer " + accessToken).statusCode())
            .as("a bound token presented as bearer")
            .isEqualTo(401);
        HttpResponse<String> withProof = this.browser.get("/userinfo", "Authorization", "DPoP " + accessToken, "DPoP",
                key.proof("GET", userinfo, (h) -> {
                }, (c) -> c.claim("ath", DPoPKey.ath(accessToken))));
        assertThat(withProof.statusCode()).as(withProof.body()).isEqualTo(200);
        assertThat(json(withProof).get("email").asString()).isEqualTo(USER);
    }

    private JsonNode boundLogin(DPoPKey key) {
        return boundLogin(apiRequest(), key);
    }

    private JsonNode boundLogin(OAuthTestClient.Authorize authorize, DPoPKey key) {
        Map<String, String> callback = codeResponse(loginAndAuthorize(authorize, USER, PASSWORD));
        HttpResponse<String> token = this.browser.postForm("/oauth/token", authorize.tokenRequest(callback.get("code")),
                "Origin", SPA_ORIGIN, "DPoP", key.proof("POST", tokenUrl()));
        assertThat(token.statusCode()).as(token.body()).isEqualTo(200);
        return json(token);
    }

    private HttpResponse<String> refresh(String refreshToken, DPoPKey key) {
        return refresh(SPA, refreshToken, key);
    }

    private HttpResponse<String> refresh(String clientId, String refreshToken, DPoPKey key) {
        Map<String, String> form = Map.of("client_id", clientId, "grant_type", "refresh_token", "refresh_token",
                refreshToken);
        return (key == null) ? this.browser.postForm("/oauth/token", form, "Origin", SPA_ORIGIN) : this.browser
            .postForm("/oauth/token", form, "Origin", SPA_ORIGIN, "DPoP", key.proof("POST", tokenUrl()));
    }

    private HttpResponse<String> clientCredentials(String clientId, String secret, String audience, String proof) {
        Map<String, String> form = Map.of("grant_type", "client_credentials", "client_id", clientId, "client_secret",
                secret, "audience", audience);
        return (proof == null) ? this.browser.postForm("/oauth/token", form)
                : this.browser.postForm("/oauth/token", form, "DPoP", proof);
    }

    private static void assertInvalidGrant(HttpResponse<String> response, String descriptionPart) {
        GrantRaces.assertInvalidGrant(response);
        assertThat(json(response).get("error_description").asString()).contains(descriptionPart);
    }

    static void assertDPoPError(HttpResponse<String> response, String descriptionPart) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        assertThat(json(response).get("error").asString()).isEqualTo("invalid_dpop_proof");
        if (descriptionPart != null) {
            assertThat(json(response).get("error_description").asString()).contains(descriptionPart);
        }
    }

}
