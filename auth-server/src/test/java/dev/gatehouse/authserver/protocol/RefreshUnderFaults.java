package dev.gatehouse.authserver.protocol;

import static dev.gatehouse.authserver.protocol.OAuthTestClient.json;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongConsumer;

/**
 * A client keeping one refresh-token family rotating while the database fails, as an SPA
 * does: it retries its last token after a 503 or a broken request, and counts every other
 * answer as a problem. Shared by the tests that break the database under load.
 */
final class RefreshUnderFaults {

    private RefreshUnderFaults() {
    }

    /**
     * Refreshes one family through {@code browser} until {@code running} turns false;
     * returns the last token. Each answer's status is counted in {@code statuses};
     * {@code served} gets the send time ({@link System#nanoTime()}) of every 200.
     */
    static String keepRefreshing(OAuthTestClient browser, String clientId, String refreshToken, AtomicBoolean running,
            Map<Integer, Integer> statuses, List<String> problems, LongConsumer served) {
        GrantRaces client = new GrantRaces(browser);
        String current = refreshToken;
        while (running.get()) {
            long sentAt = System.nanoTime();
            HttpResponse<String> answer;
            try {
                answer = client.refresh(clientId, current);
            }
            catch (IllegalStateException ex) {
                continue; // the connection broke or timed out: try again with the same
                          // token
            }
            statuses.merge(answer.statusCode(), 1, Integer::sum);
            if (answer.statusCode() == 200) {
                current = json(answer).get("refresh_token").asString();
                served.accept(sentAt);
            }
            else if (answer.statusCode() == 503) {
                check503(answer, problems);
            }
            else {
                problems.add("refresh answered " + answer.statusCode() + ": " + answer.body());
            }
        }
        return current;
    }

    /**
     * Adds a problem unless {@code answer} is the OAuth {@code temporarily_unavailable}
     * JSON, in UTF-8, with a {@code Retry-After} a browser may read.
     */
    static void check503(HttpResponse<String> answer, List<String> problems) {
        String type = answer.headers().firstValue("Content-Type").orElse("");
        if (answer.headers().firstValue("Access-Control-Allow-Origin").isPresent() && !answer.headers()
            .firstValue("Access-Control-Expose-Headers")
            .orElse("")
            .toLowerCase(Locale.ROOT)
            .contains("retry-after")) {
            problems.add("503 that a browser may read without Retry-After exposed: " + answer.headers());
        }
        if (answer.headers().firstValue("Retry-After").isEmpty()
                || !answer.body().startsWith("{\"error\":\"temporarily_unavailable\"")
                || !type.startsWith("application/json") || type.contains("ISO-8859-1")) {
            problems.add("503 not a UTF-8 JSON temporarily_unavailable with Retry-After: " + answer.headers() + " "
                    + answer.body());
        }
    }

}
