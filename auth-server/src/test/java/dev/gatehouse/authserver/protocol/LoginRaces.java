package dev.gatehouse.authserver.protocol;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static dev.gatehouse.authserver.protocol.OAuthTestClient.location;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Races on one browser session, the same on H2 and PostgreSQL: the login form posted
 * several times at once (a double-click on "Continue"). Every post signs in the same
 * session, and each stores the signed-in context as a new session attribute.
 */
final class LoginRaces {

    private final int port;

    LoginRaces(int port) {
        this.port = port;
    }

    /**
     * Posts the login form {@code posts} times at once in one session, for several
     * rounds; every answer is the redirect back to the authorization request, and the
     * session is signed in afterwards.
     */
    void loginPostedSeveralTimesAtOnceInOneSessionIsNeverA5xx(String email, String password, int posts) {
        ExecutorService threads = Executors.newFixedThreadPool(posts);
        try {
            for (int round = 0; round < 5; round++) {
                OAuthTestClient browser = new OAuthTestClient(this.port);
                OAuthTestClient.Authorize authorize = new OAuthTestClient.Authorize();
                assertThat(location(browser.get(authorize.url()))).endsWith("/login");
                String csrf = OAuthTestClient.csrf(browser.get("/login").body());
                CountDownLatch start = new CountDownLatch(1);
                List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
                for (int i = 0; i < posts; i++) {
                    answers.add(CompletableFuture.supplyAsync(() -> {
                        awaitQuietly(start);
                        return browser.postForm("/login", Map.of("email", email, "password", password, "_csrf", csrf));
                    }, threads));
                }
                start.countDown();
                for (CompletableFuture<HttpResponse<String>> answer : answers) {
                    HttpResponse<String> login = answer.join();
                    assertThat(login.statusCode()).as(login.body()).isEqualTo(302);
                    assertThat(location(login)).startsWith("/authorize?");
                }
                // Each post gave the session a new id and the last one stored wins: the
                // cookie this client kept may be the other post's, so the way on is
                // either signed in or the login page again, never an error.
                assertThat(browser.get(authorize.url()).statusCode()).isEqualTo(302);
            }
        }
        finally {
            threads.shutdownNow();
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

}
