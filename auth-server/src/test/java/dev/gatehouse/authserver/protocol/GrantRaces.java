package dev.gatehouse.authserver.protocol;

import static dev.gatehouse.authserver.protocol.OAuthTestClient.API;
import static dev.gatehouse.authserver.protocol.OAuthTestClient.SPA;
import static dev.gatehouse.authserver.protocol.OAuthTestClient.SPA_ORIGIN;
import static dev.gatehouse.authserver.protocol.OAuthTestClient.json;
import static dev.gatehouse.authserver.protocol.OAuthTestClient.location;
import static dev.gatehouse.authserver.protocol.OAuthTestClient.query;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

import tools.jackson.databind.JsonNode;

/**
 * Races on one grant, the same on H2 and PostgreSQL: a code exchanged several times at
 * once, a refresh token used several times at once. Each answer is checked: one winner,
 * every other answer an OAuth {@code invalid_grant}, never a 5xx.
 */
final class GrantRaces {

    private final OAuthTestClient browser;

    GrantRaces(OAuthTestClient browser) {
        this.browser = browser;
    }

    /**
     * Logs {@code email} in through the real pages and returns the code and its request.
     */
    Map.Entry<OAuthTestClient.Authorize, String> code(String email, String password) {
        return code(SPA, email, password);
    }

    Map.Entry<OAuthTestClient.Authorize, String> code(String clientId, String email, String password) {
        OAuthTestClient.Authorize authorize = new OAuthTestClient.Authorize().with("client_id", clientId)
            .with("audience", API)
            .with("scope", "openid profile email offline_access read:messages");
        HttpResponse<String> first = this.browser.get(authorize.url());
        HttpResponse<String> result = isLoginRedirect(first) ? this.browser.follow(this.browser.login(email, password))
                : first;
        if (result.statusCode() == 200 && result.body().contains("consent-accept")) {
            result = this.browser.accept(result);
        }
        assertThat(location(result)).startsWith(SPA_ORIGIN + "?");
        return Map.entry(authorize, query(location(result)).get("code"));
    }

    JsonNode tokens(String email, String password) {
        return tokens(SPA, email, password);
    }

    JsonNode tokens(String clientId, String email, String password) {
        Map.Entry<OAuthTestClient.Authorize, String> code = code(clientId, email, password);
        HttpResponse<String> token = exchange(code.getKey(), code.getValue());
        assertThat(token.statusCode()).as(token.body()).isEqualTo(200);
        return json(token);
    }

    HttpResponse<String> exchange(OAuthTestClient.Authorize authorize, String code) {
        return this.browser.postForm("/oauth/token", authorize.tokenRequest(code), "Origin", SPA_ORIGIN);
    }

    HttpResponse<String> refresh(String refreshToken) {
        return refresh(SPA, refreshToken);
    }

    HttpResponse<String> refresh(String clientId, String refreshToken) {
        return this.browser.postForm("/oauth/token",
                Map.of("client_id", clientId, "grant_type", "refresh_token", "refresh_token", refreshToken), "Origin",
                SPA_ORIGIN);
    }

    HttpResponse<String> userinfo(String accessToken) {
        return this.browser.get("/userinfo", "Authorization", "Bearer " + accessToken);
    }

    /**
     * Five exchanges of one code at once: one winner, four {@code invalid_grant}, and the
     * replay revokes what the winner got (its refresh token, and its access token at
     * {@code /userinfo}).
     */
    void codeExchangedFiveTimesAtOnceHasOneWinnerAndTheReplayRevokesItsTokens(String email, String password) {
        Map.Entry<OAuthTestClient.Authorize, String> code = code(email, password);

        warmConnections(5);
        List<HttpResponse<String>> answers = Parallel.times(5, () -> exchange(code.getKey(), code.getValue()));

        assertOneWinnerAndInvalidGrants(answers);
        JsonNode winner = json(answers.stream().filter((r) -> r.statusCode() == 200).findFirst().orElseThrow());
        assertInvalidGrant(refresh(winner.get("refresh_token").asString()));
        assertThat(userinfo(winner.get("access_token").asString()).statusCode()).isEqualTo(401);
    }

    /**
     * Ten refreshes with one token at once: one rotation; the nine others are reuse,
     * which answers {@code invalid_grant} and revokes the family, the winner's successor
     * included (reuse interval 0, Auth0's default).
     */
    void refreshTokenUsedTenTimesAtOnceRotatesOnceAndReuseRevokesTheFamily(String email, String password) {
        String refreshToken = tokens(email, password).get("refresh_token").asString();
        warmConnections(10);
        List<HttpResponse<String>> answers = Parallel.times(10, () -> refresh(refreshToken));

        assertOneWinnerAndInvalidGrants(answers);
        JsonNode winner = json(answers.stream().filter((r) -> r.statusCode() == 200).findFirst().orElseThrow());
        assertThat(winner.get("refresh_token").asString()).isNotEqualTo(refreshToken);
        assertInvalidGrant(refresh(winner.get("refresh_token").asString()));
    }

    /**
     * Opens {@code count} keep-alive connections first, so the racing requests reach the
     * server together instead of one connection set-up apart.
     */
    private void warmConnections(int count) {
        Parallel.times(count, () -> this.browser.get("/.well-known/openid-configuration"));
    }

    static void assertOneWinnerAndInvalidGrants(List<HttpResponse<String>> answers) {
        assertThat(answers).allSatisfy((r) -> assertThat(r.statusCode()).as(r.body()).isIn(200, 400));
        assertThat(Parallel.count(answers, 200)).as(answers.stream().map(HttpResponse::body).toList().toString())
            .isEqualTo(1);
        answers.stream().filter((r) -> r.statusCode() != 200).forEach(GrantRaces::assertInvalidGrant);
    }

    static void assertInvalidGrant(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        assertThat(json(response).get("error").asString()).isEqualTo("invalid_grant");
    }

    private static boolean isLoginRedirect(HttpResponse<String> response) {
        return response.statusCode() == 302 && location(response).endsWith("/login");
    }

}
