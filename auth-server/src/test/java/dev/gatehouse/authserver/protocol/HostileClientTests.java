package dev.gatehouse.authserver.protocol;

import static dev.gatehouse.authserver.protocol.OAuthTestClient.API;
import static dev.gatehouse.authserver.protocol.OAuthTestClient.SPA_ORIGIN;
import static dev.gatehouse.authserver.protocol.OAuthTestClient.json;
import static dev.gatehouse.authserver.protocol.OAuthTestClient.location;
import static dev.gatehouse.authserver.protocol.OAuthTestClient.query;
import static dev.gatehouse.authserver.protocol.OAuthTestClient.webMessage;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.Base64;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import dev.gatehouse.authserver.token.TokenHasher;
import tools.jackson.databind.JsonNode;

/**
 * Clients that misbehave on purpose, each case with its positive control: what a
 * well-behaved client does still works, the hostile variant is refused with an OAuth
 * error and never a 5xx.
 */
class HostileClientTests extends ProtocolTestSupport {

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void refreshTokenHashReadFromTheDatabaseIsNotAcceptedAsTheToken() {
        GrantRaces client = new GrantRaces(this.browser);
        JsonNode tokens = client.tokens("grace@example.com", "Test-Passw0rd");
        String refreshToken = tokens.get("refresh_token").asString();
        String stored = this.jdbc.queryForObject(
                "SELECT refresh_token_value FROM oauth2_authorization WHERE refresh_token_value LIKE 'sha256:%' "
                        + "AND principal_name = (SELECT user_id FROM user_account WHERE email = ?) "
                        + "ORDER BY created_at DESC FETCH FIRST 1 ROWS ONLY",
                String.class, "grace@example.com");
        assertThat(stored).startsWith("sha256:").doesNotContain(refreshToken);

        GrantRaces.assertInvalidGrant(client.refresh(stored));
        assertThat(client.refresh(refreshToken).statusCode()).isEqualTo(200);
    }

    @Test
    void refreshWhenTheTokenNamesAnotherFamilyThenInvalidGrantAndNeitherFamilyIsRevoked() {
        GrantRaces client = new GrantRaces(this.browser);
        String first = client.tokens("grace@example.com", "Test-Passw0rd").get("refresh_token").asString();
        String other = client.tokens("grace@example.com", "Test-Passw0rd").get("refresh_token").asString();
        HttpResponse<String> rotation = client.refresh(first);
        assertThat(rotation.statusCode()).isEqualTo(200);
        String current = json(rotation).get("refresh_token").asString();
        String family = current.substring(0, current.indexOf('.'));
        String otherFamily = other.substring(0, other.indexOf('.'));
        assertThat(first).startsWith(family + ".");
        assertThat(otherFamily).isNotEqualTo(family);

        // The rotated-out token's secret under the other family's name: no such token,
        // so no reuse either
        GrantRaces.assertInvalidGrant(client.refresh(otherFamily + first.substring(first.indexOf('.'))));
        GrantRaces.assertInvalidGrant(client.refresh(first.substring(first.indexOf('.') + 1)));
        assertThat(client.refresh(other).statusCode()).isEqualTo(200);
        assertThat(client.refresh(current).statusCode()).isEqualTo(200);
    }

    @Test
    void refreshWhenATokenIssuedBeforeFamiliesWereNamedIsReusedThenTheFamilyIsRevoked() {
        GrantRaces client = new GrantRaces(this.browser);
        String issued = client.tokens("grace@example.com", "Test-Passw0rd").get("refresh_token").asString();
        // What the server issued before a token named its family: the random part alone
        String unnamed = issued.substring(issued.indexOf('.') + 1);
        assertThat(this.jdbc.update(
                "UPDATE oauth2_authorization SET refresh_token_value = ? " + "WHERE refresh_token_value = ?",
                TokenHasher.hash(unnamed), TokenHasher.hash(issued)))
            .isEqualTo(1);

        HttpResponse<String> rotation = client.refresh(unnamed);
        assertThat(rotation.statusCode()).isEqualTo(200);
        String successor = json(rotation).get("refresh_token").asString();
        assertThat(successor).startsWith(issued.substring(0, issued.indexOf('.') + 1));

        GrantRaces.assertInvalidGrant(client.refresh(unnamed));
        GrantRaces.assertInvalidGrant(client.refresh(successor));
    }

    @Test
    void refreshWhenAnOlderInstanceFiledTheRotatedTokenUnderItsBareHashThenReuseStillRevokesTheFamily() {
        GrantRaces client = new GrantRaces(this.browser);
        String first = client.tokens("grace@example.com", "Test-Passw0rd").get("refresh_token").asString();
        HttpResponse<String> rotation = client.refresh(first);
        assertThat(rotation.statusCode()).isEqualTo(200);
        String current = json(rotation).get("refresh_token").asString();
        // What an instance of the version before named keys wrote, during a rolling
        // upgrade
        String family = first.substring(0, first.indexOf('.'));
        assertThat(this.jdbc.update("UPDATE refresh_token_rotated SET token_hash = ? WHERE token_hash LIKE ?",
                TokenHasher.hash(first), family + ":%"))
            .isEqualTo(1);

        GrantRaces.assertInvalidGrant(client.refresh(first));
        GrantRaces.assertInvalidGrant(client.refresh(current));
    }

    @Test
    void confidentialClientWithoutPkceIsRefusedAtItsRedirectUri() {
        OAuthTestClient.Authorize web = new OAuthTestClient.Authorize().with("client_id", "gatehouse-web")
            .with("redirect_uri", "http://localhost:5000/callback")
            .with("code_challenge", null)
            .with("code_challenge_method", null);
        HttpResponse<String> refused = this.browser.get(web.url());
        assertThat(location(refused)).startsWith("http://localhost:5000/callback?");
        assertThat(query(location(refused))).containsEntry("error", "invalid_request").doesNotContainKey("code");
    }

    @Test
    void anyMaxAgeUpToTheLargestNumberIsAcceptedAndAMalformedOneIsInvalidRequest() {
        new GrantRaces(this.browser).tokens("quentin@example.com", "Test-Passw0rd");

        HttpResponse<String> huge = this.browser.get(apiRequest().with("max_age", "9223372036854775807").url());
        assertThat(query(location(huge))).containsKey("code");
        for (String malformed : new String[] { "-1", "soon", "99999999999999999999" }) {
            HttpResponse<String> refused = this.browser.get(apiRequest().with("max_age", malformed).url());
            assertThat(refused.statusCode()).as(malformed).isEqualTo(302);
            assertThat(query(location(refused))).as(malformed)
                .containsEntry("error", "invalid_request")
                .doesNotContainKey("code");
        }
    }

    @Test
    void repeatedResponseModeIsAnErrorPageAndNeverAWebMessage() {
        String url = new OAuthTestClient.Authorize().with("client_id", "gatehouse-web")
            .with("redirect_uri", "http://localhost:5000/callback")
            .url();
        assertThat(this.browser.get(url).statusCode()).as("positive control").isEqualTo(302);

        HttpResponse<String> twice = this.browser.get(url + "&response_mode=web_message");
        assertThat(twice.statusCode()).isEqualTo(400);
        assertThat(twice.body()).contains("response_mode").doesNotContain("postMessage");
    }

    @Test
    void repeatedTokenRequestParameterIsAJsonInvalidRequest() {
        HttpResponse<String> twice = this.browser.postForm("/oauth/token?audience=https://other.example/api",
                Map.of("grant_type", "client_credentials", "audience", API), "Authorization",
                "Basic " + Base64.getEncoder().encodeToString("gatehouse-m2m:gatehouse-m2m-secret".getBytes()));
        assertThat(twice.statusCode()).isEqualTo(400);
        assertThat(json(twice).get("error").asString()).isEqualTo("invalid_request");
    }

    @Test
    void jsonTokenRequestOfOneClientWithAnotherClientsOriginGetsNoCorsAllowance() {
        String body = "{\"grant_type\":\"refresh_token\",\"client_id\":\"gatehouse-spa\",\"refresh_token\":\"x\"}";
        HttpResponse<String> own = this.browser.postJson("/oauth/token", body, "Origin", SPA_ORIGIN);
        assertThat(own.headers().firstValue("Access-Control-Allow-Origin")).as("positive control").contains(SPA_ORIGIN);

        HttpResponse<String> foreign = this.browser.postJson("/oauth/token", body, "Origin", "http://localhost:4400");
        assertThat(foreign.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
        assertThat(foreign.statusCode()).isLessThan(500);
    }

    @Test
    void accessTokenSentToAuthorizeSignsNobodyIn() {
        String accessToken = new GrantRaces(this.browser).tokens("rupert@example.com", "Test-Passw0rd")
            .get("access_token")
            .asString();
        OAuthTestClient stranger = new OAuthTestClient(this.browser.base);

        HttpResponse<String> interactive = stranger.get(apiRequest().url(), "Authorization", "Bearer " + accessToken);
        assertThat(location(interactive)).endsWith("/login");
        HttpResponse<String> silent = stranger.get(apiRequest().with("prompt", "none").url(), "Authorization",
                "Bearer " + accessToken);
        assertThat(query(location(silent))).containsEntry("error", "login_required");
        assertThat(stranger.get("/userinfo", "Authorization", "Bearer " + accessToken).statusCode())
            .as("where a bearer token belongs")
            .isEqualTo(200);
    }

    @Test
    void pushedAuthorizationRequestsAreNeitherAdvertisedNorServed() {
        assertThat(json(this.browser.get("/.well-known/openid-configuration"))
            .has("pushed_authorization_request_endpoint")).isFalse();
        HttpResponse<String> par = this.browser.postForm("/oauth/par", Map.of("client_id", "gatehouse-web"),
                "Authorization",
                "Basic " + Base64.getEncoder().encodeToString("gatehouse-web:gatehouse-web-secret".getBytes()));
        assertThat(par.statusCode()).isNotEqualTo(201).isLessThan(500);
    }

    @Test
    void webMessageCarriesAHostileStateVerbatimWithoutBreakingOutOfItsScript() {
        new GrantRaces(this.browser).tokens("niaj@example.com", "Test-Passw0rd");
        String state = "</script><script>alert(1)</script>\u2028\"'&<!--";
        HttpResponse<String> page = this.browser
            .get(apiRequest().with("prompt", "none").with("response_mode", "web_message").with("state", state).url());

        assertThat(page.statusCode()).isEqualTo(200);
        // Only the page's own closing tag ends the script: the state's is written as
        // <\/script>
        assertThat(page.body().split("</script>", -1)).hasSize(2);
        assertThat(webMessage(page.body()).get("response").get("state").asString()).isEqualTo(state);
    }

}
