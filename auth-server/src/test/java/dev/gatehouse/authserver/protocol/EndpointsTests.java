package dev.gatehouse.authserver.protocol;

import static dev.gatehouse.authserver.protocol.OAuthTestClient.API;
import static dev.gatehouse.authserver.protocol.OAuthTestClient.SPA_ORIGIN;
import static dev.gatehouse.authserver.protocol.OAuthTestClient.json;
import static dev.gatehouse.authserver.protocol.OAuthTestClient.jwt;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import dev.gatehouse.authserver.cleanup.ExpiredRowCleaner;
import tools.jackson.databind.JsonNode;

/**
 * Discovery, JWKS, CORS, the machine-to-machine grant and token-endpoint errors
 * (auth0-compatibility C-4, C-6, X-1..X-5, M-1, T-9).
 */
class EndpointsTests extends ProtocolTestSupport {

    @Autowired
    ExpiredRowCleaner cleaner;

    private static final String M2M_BASIC = "Basic "
            + Base64.getEncoder().encodeToString("gatehouse-m2m:gatehouse-m2m-secret".getBytes(StandardCharsets.UTF_8));

    @Test
    void discoveryCarriesTheIssuerVerbatimAndListsTheEndpointsServed() {
        HttpResponse<String> response = this.browser.get("/.well-known/openid-configuration");
        JsonNode discovery = json(response);
        assertThat(discovery.get("issuer").asString()).isEqualTo(ISSUER);
        assertThat(discovery.get("authorization_endpoint").asString()).isEqualTo(ISSUER + "authorize");
        assertThat(discovery.get("token_endpoint").asString()).isEqualTo(ISSUER + "oauth/token");
        assertThat(discovery.get("revocation_endpoint").asString()).isEqualTo(ISSUER + "oauth/revoke");
        assertThat(discovery.get("userinfo_endpoint").asString()).isEqualTo(ISSUER + "userinfo");
        assertThat(discovery.get("jwks_uri").asString()).isEqualTo(ISSUER + ".well-known/jwks.json");
        assertThat(discovery.get("end_session_endpoint").asString()).isEqualTo(ISSUER + "oidc/logout");
        assertThat(strings(discovery.get("code_challenge_methods_supported"))).containsExactly("S256");
        assertThat(strings(discovery.get("response_modes_supported"))).contains("query", "web_message");
        assertThat(strings(discovery.get("id_token_signing_alg_values_supported"))).containsExactly("RS256");
        // every advertised endpoint on this server answers (not 404)
        for (String field : new String[] { "authorization_endpoint", "token_endpoint", "revocation_endpoint",
                "userinfo_endpoint", "jwks_uri", "end_session_endpoint" }) {
            String path = discovery.get(field).asString().substring(ISSUER.length() - 1);
            assertThat(this.browser.get(path).statusCode()).as(field).isNotEqualTo(404);
        }
    }

    @Test
    void pagesIconIsServedSoBrowsersLogNo404() {
        HttpResponse<String> icon = this.browser.get("/favicon.ico");
        assertThat(icon.statusCode()).isEqualTo(200);
        assertThat(icon.headers().firstValue("Content-Type").orElse("")).startsWith("image/");
    }

    @Test
    void jwksPublishesPublicRsaKeysWithKid() {
        JsonNode keys = json(this.browser.get("/.well-known/jwks.json")).get("keys");
        assertThat(keys.size()).isGreaterThan(0);
        for (JsonNode key : keys) {
            assertThat(key.get("kty").asString()).isEqualTo("RSA");
            assertThat(key.get("kid").asString()).isNotBlank();
            assertThat(key.has("d")).as("private part must not be published").isFalse();
        }
    }

    /**
     * Spring Security names protected-resource metadata (RFC 9728) in every bearer
     * challenge; the document it names is served, and describes {@code /userinfo}.
     */
    @Test
    void userinfoChallengeNamesResourceMetadataThatIsServed() {
        HttpResponse<String> refused = this.browser.get("/userinfo", "Authorization", "Bearer garbage");
        assertThat(refused.statusCode()).isEqualTo(401);
        String challenge = refused.headers().firstValue("WWW-Authenticate").orElseThrow();
        String named = challenge.replaceAll(".*resource_metadata=\"([^\"]+)\".*", "$1");
        assertThat(named).isEqualTo(this.browser.base + "/.well-known/oauth-protected-resource");

        HttpResponse<String> served = this.browser.get(named);
        assertThat(served.statusCode()).isEqualTo(200);
        assertThat(served.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
        JsonNode metadata = json(served);
        assertThat(metadata.get("resource").asString()).isEqualTo(this.browser.base);
        assertThat(metadata.get("authorization_servers").get(0).asString()).isEqualTo(ISSUER);
        assertThat(metadata.get("bearer_methods_supported").get(0).asString()).isEqualTo("header");
        assertThat(metadata.get("dpop_signing_alg_values_supported").size()).isPositive();
        assertThat(metadata.has("tls_client_certificate_bound_access_tokens")).isFalse();
    }

    @Test
    void preflightFromAListedWebOriginAllowsAuth0ClientHeader() {
        HttpResponse<String> preflight = this.browser.options("/oauth/token", "Origin", SPA_ORIGIN,
                "Access-Control-Request-Method", "POST", "Access-Control-Request-Headers",
                "auth0-client,content-type,dpop");
        assertThat(preflight.statusCode()).isIn(200, 204);
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin")).contains(SPA_ORIGIN);
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Headers").orElseThrow().toLowerCase())
            .contains("auth0-client", "content-type", "dpop");
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Credentials")).isEmpty();

        HttpResponse<String> encoded = this.browser.options("/oauth/%74oken", "Origin", SPA_ORIGIN,
                "Access-Control-Request-Method", "POST", "Access-Control-Request-Headers",
                "auth0-client,content-type,dpop");
        assertThat(encoded.statusCode()).as("the same endpoint at a percent-encoded path").isIn(200, 204);
        assertThat(encoded.headers().firstValue("Access-Control-Allow-Origin")).contains(SPA_ORIGIN);

        HttpResponse<String> revoke = this.browser.options("/oauth/revoke", "Origin", SPA_ORIGIN,
                "Access-Control-Request-Method", "POST", "Access-Control-Request-Headers", "auth0-client");
        assertThat(revoke.headers().firstValue("Access-Control-Allow-Origin")).contains(SPA_ORIGIN);
    }

    @Test
    void corsFromAnUnlistedOriginGetsNoAllowOrigin() {
        HttpResponse<String> preflight = this.browser.options("/oauth/token", "Origin", "http://evil.example",
                "Access-Control-Request-Method", "POST", "Access-Control-Request-Headers", "auth0-client");
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();

        HttpResponse<String> post = this.browser.postForm("/oauth/token",
                Map.of("client_id", "gatehouse-spa", "grant_type", "refresh_token", "refresh_token", "x"), "Origin",
                "http://evil.example");
        assertThat(post.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
    }

    @Test
    void tokenErrorsAreJsonWithDescriptionAndCorsHeaders() {
        HttpResponse<String> badRefresh = this.browser.postForm("/oauth/token", Map.of("client_id", "gatehouse-spa",
                "grant_type", "refresh_token", "refresh_token", "not-a-token", "redirect_uri", SPA_ORIGIN), "Origin",
                SPA_ORIGIN);
        assertThat(badRefresh.statusCode()).isEqualTo(400);
        assertThat(badRefresh.headers().firstValue("Content-Type").orElseThrow()).contains("application/json");
        assertThat(badRefresh.headers().firstValue("Access-Control-Allow-Origin")).contains(SPA_ORIGIN);
        assertThat(json(badRefresh).get("error").asString()).isEqualTo("invalid_grant");
        // auth0-compatibility S-14: spa-js looks for this exact lower-case substring
        // before falling back to
        // the iframe
        assertThat(json(badRefresh).get("error_description").asString()).contains("invalid refresh token");

        HttpResponse<String> noClient = this.browser.postForm("/oauth/token",
                Map.of("grant_type", "authorization_code", "code", "x"), "Origin", SPA_ORIGIN);
        assertThat(noClient.statusCode()).isEqualTo(401);
        assertThat(json(noClient).get("error").asString()).isEqualTo("invalid_client");
        assertThat(noClient.headers().firstValue("Access-Control-Allow-Origin")).contains(SPA_ORIGIN);

        HttpResponse<String> notJson = this.browser.postJson("/oauth/token", "{not json", "Origin", SPA_ORIGIN);
        assertThat(notJson.statusCode()).isEqualTo(400);
        assertThat(json(notJson).get("error").asString()).isEqualTo("invalid_request");

        HttpResponse<String> unknownClient = this.browser.postForm("/oauth/token",
                Map.of("client_id", "nobody", "grant_type", "refresh_token", "refresh_token", "x"), "Origin",
                SPA_ORIGIN);
        assertThat(json(unknownClient).get("error").asString()).isEqualTo("invalid_client");
    }

    @Test
    void clientCredentialsIssuesAnAccessTokenForTheGrantedApi() {
        HttpResponse<String> response = this.browser.postForm("/oauth/token",
                Map.of("grant_type", "client_credentials", "audience", API), "Authorization", M2M_BASIC);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode tokens = json(response);
        assertThat(tokens.get("scope").asString()).isEqualTo("read:messages");
        assertThat(tokens.has("refresh_token")).isFalse();
        assertThat(tokens.has("id_token")).isFalse();
        JsonNode[] at = jwt(tokens.get("access_token").asString());
        assertThat(at[0].get("typ").asString()).isEqualTo("JWT");
        assertThat(at[0].get("kid").asString()).isNotBlank();
        assertThat(at[1].get("iss").asString()).isEqualTo(ISSUER);
        assertThat(at[1].get("sub").asString()).isEqualTo("gatehouse-m2m@clients");
        assertThat(strings(at[1].get("aud"))).containsExactly(API);
        assertThat(at[1].get("azp").asString()).isEqualTo("gatehouse-m2m");
        assertThat(strings(at[1].get("permissions"))).containsExactly("read:messages");

        // client_secret_post works too
        HttpResponse<String> post = this.browser.postForm("/oauth/token", Map.of("grant_type", "client_credentials",
                "audience", API, "client_id", "gatehouse-m2m", "client_secret", "gatehouse-m2m-secret"));
        assertThat(post.statusCode()).isEqualTo(200);
    }

    @Test
    void clientCredentialsRefusesUnknownAudienceUngrantedScopeAndWrongSecret() {
        HttpResponse<String> unknown = this.browser.postForm("/oauth/token",
                Map.of("grant_type", "client_credentials", "audience", "https://nope.example"), "Authorization",
                M2M_BASIC);
        assertThat(unknown.statusCode()).isEqualTo(403);
        assertThat(json(unknown).get("error").asString()).isEqualTo("access_denied");
        assertThat(json(unknown).get("error_description").asString()).contains("Service not found");

        HttpResponse<String> missing = this.browser.postForm("/oauth/token", Map.of("grant_type", "client_credentials"),
                "Authorization", M2M_BASIC);
        assertThat(json(missing).get("error").asString()).isEqualTo("access_denied");

        HttpResponse<String> scope = this.browser.postForm("/oauth/token",
                Map.of("grant_type", "client_credentials", "audience", API, "scope", "write:messages"), "Authorization",
                M2M_BASIC);
        assertThat(json(scope).get("error").asString()).isEqualTo("access_denied");

        HttpResponse<String> wrongSecret = this.browser.postForm("/oauth/token",
                Map.of("grant_type", "client_credentials", "audience", API), "Authorization",
                "Basic " + Base64.getEncoder().encodeToString("gatehouse-m2m:wrong".getBytes(StandardCharsets.UTF_8)));
        assertThat(wrongSecret.statusCode()).isEqualTo(401);
        assertThat(json(wrongSecret).get("error").asString()).isEqualTo("invalid_client");

        // a public SPA cannot use client_credentials
        HttpResponse<String> spa = this.browser.postForm("/oauth/token",
                Map.of("grant_type", "client_credentials", "audience", API, "client_id", "gatehouse-spa"));
        assertThat(spa.statusCode()).isIn(400, 401);
        assertThat(json(spa).has("access_token")).isFalse();
    }

    @Test
    void userinfoWithoutTokenIsABearerChallenge() {
        HttpResponse<String> response = this.browser.get("/userinfo");
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("WWW-Authenticate").orElseThrow()).startsWith("Bearer");
        HttpResponse<String> garbage = this.browser.get("/userinfo", "Authorization", "Bearer not.a.jwt");
        assertThat(garbage.statusCode()).isEqualTo(401);
    }

    @Test
    void expiredRowCleanupRunsTheProtocolTablesStatements() {
        Map<String, Integer> deleted = this.cleaner.clean();
        assertThat(deleted).containsKeys("oauth2_authorization", "refresh_token_rotated");
    }

}
