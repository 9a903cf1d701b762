package dev.gatehouse.authserver.protocol;

import static dev.gatehouse.authserver.protocol.OAuthTestClient.json;
import static dev.gatehouse.authserver.protocol.OAuthTestClient.jwt;
import static dev.gatehouse.authserver.protocol.OAuthTestClient.location;
import static dev.gatehouse.authserver.protocol.OAuthTestClient.query;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.SignedJWT;

import tools.jackson.databind.JsonNode;

/**
 * A confidential web application (Auth0 {@code app_type: regular_web}), driven the way a
 * certified OpenID Connect relying-party library drives a provider it found through
 * discovery: code + PKCE, {@code client_secret_basic} at the token endpoint, ID token and
 * userinfo, refresh; and the client-authentication failures around it.
 */
class ConfidentialClientFlowTests extends ProtocolTestSupport {

    private static final String CLIENT = "gatehouse-web";

    private static final String SECRET = "gatehouse-web-secret";

    private static final String CALLBACK = "http://localhost:5000/callback";

    @Test
    void codeFlowWithClientSecretBasicThenUserinfoAndRefresh() throws Exception {
        JsonNode discovery = json(this.browser.get("/.well-known/openid-configuration"));
        assertThat(discovery.get("token_endpoint_auth_methods_supported").toString()).contains("client_secret_basic");

        OAuthTestClient.Authorize authorize = new OAuthTestClient.Authorize().with("client_id", CLIENT)
            .with("redirect_uri", CALLBACK)
            .with("scope", "openid profile email offline_access")
            .with("auth0Client", null);
        HttpResponse<String> redirect = loginAndAuthorize(authorize, "erin@example.com", "Test-Passw0rd");
        assertThat(location(redirect)).startsWith(CALLBACK + "?");
        Map<String, String> callback = query(location(redirect));
        assertThat(callback.get("state")).isEqualTo("c3Rh+dGU/x==");

        Map<String, String> exchange = new LinkedHashMap<>(authorize.tokenRequest(callback.get("code")));
        exchange.remove("client_id");
        HttpResponse<String> tokenResponse = this.browser.postForm("/oauth/token", exchange, "Authorization",
                basic(SECRET));
        assertThat(tokenResponse.statusCode()).as(tokenResponse.body()).isEqualTo(200);
        JsonNode tokens = json(tokenResponse);
        assertThat(tokens.has("refresh_token")).isTrue();

        SignedJWT idToken = SignedJWT.parse(tokens.get("id_token").asString());
        JWKSet jwks = JWKSet.parse(this.browser.get("/.well-known/jwks.json").body());
        assertThat(idToken.verify(new RSASSAVerifier((RSAKey) jwks.getKeyByKeyId(idToken.getHeader().getKeyID()))))
            .isTrue();
        assertThat(idToken.getJWTClaimsSet().getIssuer()).isEqualTo(discovery.get("issuer").asString());
        assertThat(idToken.getJWTClaimsSet().getAudience()).containsExactly(CLIENT);
        assertThat(idToken.getJWTClaimsSet().getStringClaim("nonce")).isEqualTo("bm9u+Y2U=");
        String subject = idToken.getJWTClaimsSet().getSubject();

        // (the test server runs on a random port, the issuer of discovery names the
        // default one: use the path)
        assertThat(discovery.get("userinfo_endpoint").asString()).endsWith("/userinfo");
        HttpResponse<String> userinfo = this.browser.get("/userinfo", "Authorization",
                "Bearer " + tokens.get("access_token").asString());
        assertThat(userinfo.statusCode()).as(userinfo.body()).isEqualTo(200);
        assertThat(json(userinfo).get("sub").asString()).isEqualTo(subject);
        assertThat(json(userinfo).get("email").asString()).isEqualTo("erin@example.com");

        Map<String, String> refresh = Map.of("grant_type", "refresh_token", "refresh_token",
                tokens.get("refresh_token").asString());
        HttpResponse<String> refreshed = this.browser.postForm("/oauth/token", refresh, "Authorization", basic(SECRET));
        assertThat(refreshed.statusCode()).as(refreshed.body()).isEqualTo(200);
        JsonNode second = json(refreshed);
        assertThat(jwt(second.get("id_token").asString())[1].get("sub").asString()).isEqualTo(subject);
        assertThat(second.get("refresh_token").asString()).isNotEqualTo(tokens.get("refresh_token").asString());

        // The refresh token of a confidential client is worthless without the client's
        // secret
        Map<String, String> stolen = Map.of("grant_type", "refresh_token", "client_id", CLIENT, "refresh_token",
                second.get("refresh_token").asString());
        assertInvalidClient(this.browser.postForm("/oauth/token", stolen));
        assertInvalidClient(this.browser.postForm("/oauth/token", stolen, "Authorization", basic("wrong-secret")));
        // and the secret-holder can still use it afterwards (the failed attempts did not
        // count as reuse)
        HttpResponse<String> third = this.browser.postForm("/oauth/token",
                Map.of("grant_type", "refresh_token", "refresh_token", second.get("refresh_token").asString()),
                "Authorization", basic(SECRET));
        assertThat(third.statusCode()).as(third.body()).isEqualTo(200);
    }

    @Test
    void codeExchangeWithAWrongSecretIsInvalidClientAndLeavesTheCodeUsable() {
        OAuthTestClient.Authorize authorize = new OAuthTestClient.Authorize().with("client_id", CLIENT)
            .with("redirect_uri", CALLBACK)
            .with("scope", "openid email");
        String code = query(location(loginAndAuthorize(authorize, "erin@example.com", "Test-Passw0rd"))).get("code");
        Map<String, String> exchange = new LinkedHashMap<>(authorize.tokenRequest(code));
        exchange.remove("client_id");

        assertInvalidClient(this.browser.postForm("/oauth/token", exchange, "Authorization", basic("wrong-secret")));
        HttpResponse<String> ok = this.browser.postForm("/oauth/token", exchange, "Authorization", basic(SECRET));
        assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
    }

    private static void assertInvalidClient(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(401);
        assertThat(json(response).get("error").asString()).isEqualTo("invalid_client");
    }

    private static String basic(String secret) {
        return "Basic " + Base64.getEncoder().encodeToString((CLIENT + ":" + secret).getBytes(StandardCharsets.UTF_8));
    }

}
