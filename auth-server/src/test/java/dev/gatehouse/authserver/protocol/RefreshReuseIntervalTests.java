package dev.gatehouse.authserver.protocol;

import static dev.gatehouse.authserver.protocol.OAuthTestClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.List;

import org.junit.jupiter.api.Test;

import tools.jackson.databind.JsonNode;

/**
 * Auth0's reuse interval ({@code refresh_token.leeway}): within it, presenting a
 * rotated-out refresh token again (its answer was lost, or two tabs refreshed at once)
 * returns the answer the rotation gave instead of revoking the family; outside it, reuse
 * still revokes.
 */
class RefreshReuseIntervalTests extends ProtocolTestSupport {

    @Test
    void retryOfARotatedOutTokenWithinTheIntervalGetsTheSameAnswerAndTheFamilyLives() {
        GrantRaces client = new GrantRaces(this.browser);
        String first = client.tokens("leeway-spa", "sybil@example.com", "Test-Passw0rd")
            .get("refresh_token")
            .asString();
        HttpResponse<String> rotation = client.refresh("leeway-spa", first);
        assertThat(rotation.statusCode()).isEqualTo(200);
        JsonNode answer = json(rotation);

        // The answer "was lost": the client tries again with the token it still holds
        HttpResponse<String> retry = client.refresh("leeway-spa", first);
        assertThat(retry.statusCode()).as(retry.body()).isEqualTo(200);
        assertThat(json(retry).get("refresh_token").asString()).isEqualTo(answer.get("refresh_token").asString());
        assertThat(json(retry).get("access_token").asString()).isEqualTo(answer.get("access_token").asString());
        assertThat(json(retry).get("id_token").asString()).isEqualTo(answer.get("id_token").asString());

        HttpResponse<String> next = client.refresh("leeway-spa", answer.get("refresh_token").asString());
        assertThat(next.statusCode()).as("the family lives on").isEqualTo(200);
    }

    @Test
    void parallelRefreshesWithinTheIntervalAllGetOneAnswerThatStaysUsable() {
        GrantRaces client = new GrantRaces(this.browser);
        String first = client.tokens("leeway-spa", "trent@example.com", "Test-Passw0rd")
            .get("refresh_token")
            .asString();

        List<HttpResponse<String>> answers = Parallel.times(10, () -> client.refresh("leeway-spa", first));

        assertThat(answers).allSatisfy((r) -> assertThat(r.statusCode()).as(r.body()).isEqualTo(200));
        assertThat(answers.stream().map((r) -> json(r).get("refresh_token").asString()).distinct()).hasSize(1);
        String successor = json(answers.get(0)).get("refresh_token").asString();
        assertThat(client.refresh("leeway-spa", successor).statusCode()).isEqualTo(200);
    }

    @Test
    void reuseAfterTheIntervalStillRevokesTheFamily() throws InterruptedException {
        GrantRaces client = new GrantRaces(this.browser);
        String first = client.tokens("short-leeway-spa", "victor@example.com", "Test-Passw0rd")
            .get("refresh_token")
            .asString();
        String successor = json(client.refresh("short-leeway-spa", first)).get("refresh_token").asString();
        Thread.sleep(1_500);

        GrantRaces.assertInvalidGrant(client.refresh("short-leeway-spa", first));
        GrantRaces.assertInvalidGrant(client.refresh("short-leeway-spa", successor));
    }

}
