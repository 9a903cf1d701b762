package dev.gatehouse.authserver.protocol;

import static dev.gatehouse.authserver.protocol.OAuthTestClient.location;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import dev.gatehouse.authserver.AuthServerApplication;

/**
 * Guessing passwords and client secrets against the real server, with parallel requests:
 * the throttle's check and count are one step, and a block is bounded (three seconds
 * here, fifteen minutes by default).
 */
class BruteForceTests {

    private static final String TENANT = """
            clients:
              - { name: Gatehouse SPA, client_id: gatehouse-spa, app_type: spa, callbacks: [http://localhost:4200] }
              - { name: Busy Backend, client_id: busy-backend, app_type: non_interactive, client_secret: busy-secret }
              - { name: Other Backend, client_id: other-backend, app_type: non_interactive, client_secret: other-secret }
              - { name: Fresh Backend, client_id: fresh-backend, app_type: non_interactive, client_secret: fresh-secret }
              - { name: Guarded Backend, client_id: guarded-backend, app_type: non_interactive, client_secret: guarded-secret }
            resourceServers:
              - { name: API, identifier: https://gatehouse.local/api, scopes: [{ value: read:messages }] }
            clientGrants:
              - { client_id: busy-backend, audience: https://gatehouse.local/api, scope: [read:messages] }
              - { client_id: other-backend, audience: https://gatehouse.local/api, scope: [read:messages] }
              - { client_id: fresh-backend, audience: https://gatehouse.local/api, scope: [read:messages] }
              - { client_id: guarded-backend, audience: https://gatehouse.local/api, scope: [read:messages] }
            users:
              - { email: victim@example.com, password: Victim-Passw0rd }
              - { email: busy@example.com, password: Busy-Passw0rd }
              - { email: crowd@example.com, password: Crowd-Passw0rd }
            """;

    @TempDir
    static Path dir;

    private static ConfigurableApplicationContext app;

    @BeforeAll
    static void start() throws IOException {
        Path tenant = Files.writeString(dir.resolve("tenant.yaml"), TENANT);
        app = new SpringApplicationBuilder(AuthServerApplication.class).run("--server.port=0",
                "--spring.datasource.url=jdbc:h2:file:" + dir.resolve("db")
                        + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH",
                "--gatehouse.tenant-file=" + tenant, "--gatehouse.login-throttle.block-duration=PT3S");
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    private static OAuthTestClient browser() {
        return new OAuthTestClient(((WebServerApplicationContext) app).getWebServer().getPort());
    }

    @Test
    void rightPasswordSentWhileThirtyNineWrongOnesAreInFlightIsRefusedUntilTheBlockEnds() throws Exception {
        LoginPages pages = LoginPages.open(40);
        List<OAuthTestClient> guessers = pages.browsers();
        List<String> csrf = pages.csrf();
        ExecutorService threads = Executors.newFixedThreadPool(40);
        try {
            List<CompletableFuture<HttpResponse<String>>> wrong = new ArrayList<>();
            for (int i = 0; i < 39; i++) {
                int n = i;
                wrong.add(
                        CompletableFuture.supplyAsync(() -> post(guessers.get(n), csrf.get(n), "Wrong-" + n), threads));
            }
            Thread.sleep(100);
            HttpResponse<String> right = post(guessers.get(39), csrf.get(39), "Victim-Passw0rd");

            assertThat(location(right)).as("the owner's password while guesses are in flight").endsWith("/login?error");
            for (CompletableFuture<HttpResponse<String>> guess : wrong) {
                assertThat(location(guess.get(60, TimeUnit.SECONDS))).endsWith("/login?error");
            }
        }
        finally {
            threads.shutdownNow();
        }

        Thread.sleep(3_500);
        OAuthTestClient owner = browser();
        HttpResponse<String> afterBlock = post(owner, OAuthTestClient.csrf(owner.get("/login").body()),
                "Victim-Passw0rd");
        assertThat(location(afterBlock)).as("the block has ended").doesNotContain("error");
    }

    @Test
    void burstOfWrongClientSecretsIsThrottledWhileARememberedSecretKeepsWorking() throws Exception {
        assertThat(clientCredentials("busy-backend", "busy-secret").statusCode()).isEqualTo(200);

        List<HttpResponse<String>> burst = Parallel.times(50, () -> clientCredentials("other-backend", "guess"));
        assertThat(burst).allSatisfy((r) -> assertThat(r.statusCode()).isEqualTo(401));
        assertThat(burst).anySatisfy((r) -> assertThat(r.body()).contains("Too many failed client authentications"));

        assertThat(clientCredentials("busy-backend", "busy-secret").statusCode())
            .as("a secret verified before the burst needs no slow check")
            .isEqualTo(200);
        assertThat(clientCredentials("other-backend", "other-secret").statusCode())
            .as("the attacked client from the attacking address, until the block ends")
            .isEqualTo(401);
        Thread.sleep(3_500);
        assertThat(clientCredentials("other-backend", "other-secret").statusCode()).isEqualTo(200);
    }

    @Test
    void rememberedRightSecretIsRefusedWhileItsClientIsBlockedFromTheGuessingAddress() throws Exception {
        Thread.sleep(3_500); // whatever another test blocked on this address has ended
        assertThat(clientCredentials("guarded-backend", "guarded-secret").statusCode()).isEqualTo(200);
        HttpResponse<String> guess = null;
        for (int i = 0; i < 20 && (guess == null || !guess.body().contains("Too many")); i++) {
            guess = clientCredentials("guarded-backend", "guess-" + i);
            assertThat(guess.statusCode()).isEqualTo(401);
        }
        assertThat(guess.body()).contains("Too many failed client authentications");

        HttpResponse<String> right = clientCredentials("guarded-backend", "guarded-secret");
        assertThat(right.statusCode()).as("a right guess looks like any other while the block lasts").isEqualTo(401);
        assertThat(right.body()).contains("Too many failed client authentications");
        Thread.sleep(3_500);
        assertThat(clientCredentials("guarded-backend", "guarded-secret").statusCode()).isEqualTo(200);
    }

    @Test
    void clientsFirstRequestsSentAtOnceWithTheRightSecretAllGetTokens() {
        List<HttpResponse<String>> firstRequests = Parallel.times(32,
                () -> clientCredentials("fresh-backend", "fresh-secret"));

        assertThat(firstRequests).allSatisfy((r) -> assertThat(r.statusCode()).as(r.body()).isEqualTo(200));
    }

    @Test
    void oneUsersSignInsFromOneAddressAtOnceAllSucceedWithoutAServerError() throws Exception {
        for (int round = 0; round < 10; round++) {
            LoginPages pages = LoginPages.open(4);
            List<OAuthTestClient> browsers = pages.browsers();
            List<String> csrf = pages.csrf();
            ExecutorService threads = Executors.newFixedThreadPool(4);
            try {
                List<CompletableFuture<HttpResponse<String>>> signIns = new ArrayList<>();
                for (int i = 0; i < 4; i++) {
                    int n = i;
                    signIns.add(CompletableFuture.supplyAsync(() -> browsers.get(n)
                        .postForm("/login",
                                Map.of("email", "busy@example.com", "password", "Busy-Passw0rd", "_csrf", csrf.get(n))),
                            threads));
                }
                for (CompletableFuture<HttpResponse<String>> signIn : signIns) {
                    HttpResponse<String> response = signIn.get(60, TimeUnit.SECONDS);
                    assertThat(response.statusCode()).isEqualTo(302);
                    assertThat(location(response)).doesNotContain("error");
                }
            }
            finally {
                threads.shutdownNow();
            }
        }
    }

    @Test
    void moreSignInsOfOneUserFromOneAddressAtOnceThanItsFailureLimitAllSucceed() throws Exception {
        // Parallel test workers signing in as one demo user: sixteen at once is more
        // than the five attempts a pair may have in flight, but none of them is a
        // failure.
        LoginPages pages = LoginPages.open(16);
        List<OAuthTestClient> browsers = pages.browsers();
        List<String> csrf = pages.csrf();
        ExecutorService threads = Executors.newFixedThreadPool(16);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<CompletableFuture<HttpResponse<String>>> signIns = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                int n = i;
                signIns.add(CompletableFuture.supplyAsync(() -> {
                    await(go);
                    return browsers.get(n)
                        .postForm("/login", Map.of("email", "crowd@example.com", "password", "Crowd-Passw0rd", "_csrf",
                                csrf.get(n)));
                }, threads));
            }
            go.countDown();
            for (CompletableFuture<HttpResponse<String>> signIn : signIns) {
                assertThat(location(signIn.get(60, TimeUnit.SECONDS))).doesNotContain("error");
            }
        }
        finally {
            threads.shutdownNow();
        }
    }

    private static void await(CountDownLatch go) {
        try {
            go.await();
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }

    /** Browsers that each opened the login page, and the CSRF token each was given. */
    private record LoginPages(List<OAuthTestClient> browsers, List<String> csrf) {

        static LoginPages open(int count) {
            List<OAuthTestClient> browsers = new ArrayList<>();
            List<String> csrf = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                OAuthTestClient browser = browser();
                browsers.add(browser);
                csrf.add(OAuthTestClient.csrf(browser.get("/login").body()));
            }
            return new LoginPages(browsers, csrf);
        }

    }

    private static HttpResponse<String> post(OAuthTestClient browser, String csrf, String password) {
        return browser.postForm("/login", Map.of("email", "victim@example.com", "password", password, "_csrf", csrf));
    }

    private static HttpResponse<String> clientCredentials(String clientId, String secret) {
        String basic = Base64.getEncoder().encodeToString((clientId + ":" + secret).getBytes());
        return browser().postForm("/oauth/token",
                Map.of("grant_type", "client_credentials", "audience", "https://gatehouse.local/api"), "Authorization",
                "Basic " + basic);
    }

}
