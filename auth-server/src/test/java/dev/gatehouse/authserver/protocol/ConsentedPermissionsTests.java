package dev.gatehouse.authserver.protocol;

import static dev.gatehouse.authserver.protocol.OAuthTestClient.API;
import static dev.gatehouse.authserver.protocol.OAuthTestClient.jwt;
import static dev.gatehouse.authserver.protocol.OAuthTestClient.location;
import static dev.gatehouse.authserver.protocol.OAuthTestClient.query;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.Map;

import org.junit.jupiter.api.Test;

import tools.jackson.databind.JsonNode;

/**
 * A token never carries an API permission the user has not consented to for that client,
 * unless the client is first party on an API that lets verifiable first-party clients
 * skip consent. Stricter than Auth0's RBAC, which puts every permission the user holds
 * into the token whatever was asked.
 */
class ConsentedPermissionsTests extends ProtocolTestSupport {

    private static final String THIRD_PARTY = "third-party-spa";

    private static final String THIRD_PARTY_ORIGIN = "http://localhost:4400";

    @Test
    void thirdPartyClientAskingOnlyForOpenidGetsNoApiPermission() {
        OAuthTestClient.Authorize authorize = thirdParty("openid");
        Map<String, String> callback = signIn(authorize, "ivan@example.com");

        JsonNode claims = accessTokenClaims(authorize, callback.get("code"));
        assertThat(strings(claims.get("permissions"))).isEmpty();
        assertThat(claims.get("scope").asString()).isEqualTo("openid");
    }

    @Test
    void thirdPartyClientIsAlwaysAskedAndADeclineLeavesNoPermissionForLaterOpenidRequests() {
        HttpResponse<String> consent = this.browser
            .follow(startSignIn(thirdParty("openid read:messages"), "judy@example.com"));
        assertThat(consent.body()).contains("consent-accept", "Third Party App", "read:messages");
        assertThat(query(location(this.browser.decline(consent)))).containsEntry("error", "access_denied");

        OAuthTestClient.Authorize openidOnly = thirdParty("openid");
        Map<String, String> callback = query(location(this.browser.get(openidOnly.url())));
        assertThat(strings(accessTokenClaims(openidOnly, callback.get("code")).get("permissions"))).isEmpty();

        OAuthTestClient.Authorize asked = thirdParty("openid read:messages");
        HttpResponse<String> again = this.browser.follow(this.browser.get(asked.url()));
        assertThat(again.body()).as("asked again after the decline").contains("consent-accept");
        Map<String, String> accepted = query(location(this.browser.accept(again)));
        JsonNode claims = accessTokenClaims(asked, accepted.get("code"));
        assertThat(strings(claims.get("permissions"))).containsExactly("read:messages");
    }

    @Test
    void firstPartyClientOnAnApiThatRequiresConsentGetsNoPermissionBeforeConsent() {
        OAuthTestClient.Authorize authorize = new OAuthTestClient.Authorize().with("audience", API)
            .with("scope", "openid");
        Map<String, String> callback = signIn(authorize, "mallory@example.com");

        JsonNode claims = accessTokenClaims(authorize, callback.get("code"));
        assertThat(strings(claims.get("permissions"))).isEmpty();
    }

    @Test
    void firstPartyClientOnAnApiThatSkipsConsentGetsTheHeldPermissionsWithoutBeingAsked() {
        OAuthTestClient.Authorize authorize = new OAuthTestClient.Authorize().with("client_id", "first-party-spa")
            .with("redirect_uri", "https://app.example.test/callback")
            .with("audience", "https://first.example.test/api")
            .with("scope", "openid");
        Map<String, String> callback = signIn(authorize, "heidi@example.com");

        JsonNode claims = accessTokenClaims(authorize, callback.get("code"));
        assertThat(strings(claims.get("permissions"))).containsExactly("read:things");
    }

    @Test
    void anApiWithTheRfc9068ProfileGetsAtJwtTokensWithClientId() {
        OAuthTestClient.Authorize authorize = new OAuthTestClient.Authorize().with("client_id", "first-party-spa")
            .with("redirect_uri", "https://app.example.test/callback")
            .with("audience", "https://first.example.test/api")
            .with("scope", "openid read:things");
        Map<String, String> callback = signIn(authorize, "peggy@example.com");

        HttpResponse<String> token = this.browser.postForm("/oauth/token",
                authorize.tokenRequest(callback.get("code")));
        JsonNode[] jwt = OAuthTestClient.jwt(OAuthTestClient.json(token).get("access_token").asString());
        assertThat(jwt[0].get("typ").asString()).isEqualTo("at+jwt");
        assertThat(jwt[1].get("client_id").asString()).isEqualTo("first-party-spa");
        assertThat(jwt[1].has("azp")).isFalse();
        assertThat(jwt[1].has("jti")).isTrue();
    }

    private static OAuthTestClient.Authorize thirdParty(String scope) {
        return new OAuthTestClient.Authorize().with("client_id", THIRD_PARTY)
            .with("redirect_uri", THIRD_PARTY_ORIGIN)
            .with("audience", API)
            .with("scope", scope);
    }

    private HttpResponse<String> startSignIn(OAuthTestClient.Authorize authorize, String email) {
        assertThat(location(this.browser.get(authorize.url()))).endsWith("/login");
        return this.browser.login(email, "Test-Passw0rd");
    }

    /**
     * Signs in where no consent page is expected and returns the callback's parameters.
     */
    private Map<String, String> signIn(OAuthTestClient.Authorize authorize, String email) {
        HttpResponse<String> result = this.browser.follow(startSignIn(authorize, email));
        assertThat(result.statusCode()).as("no consent page: " + result.body()).isEqualTo(302);
        return query(location(result));
    }

    private JsonNode accessTokenClaims(OAuthTestClient.Authorize authorize, String code) {
        HttpResponse<String> token = this.browser.postForm("/oauth/token", authorize.tokenRequest(code));
        assertThat(token.statusCode()).as(token.body()).isEqualTo(200);
        return jwt(OAuthTestClient.json(token).get("access_token").asString())[1];
    }

}
