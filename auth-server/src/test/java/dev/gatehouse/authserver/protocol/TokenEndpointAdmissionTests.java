package dev.gatehouse.authserver.protocol;

import static dev.gatehouse.authserver.protocol.OAuthTestClient.API;
import static dev.gatehouse.authserver.protocol.OAuthTestClient.SPA_ORIGIN;
import static dev.gatehouse.authserver.protocol.OAuthTestClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import dev.gatehouse.authserver.AuthServerApplication;
import dev.gatehouse.authserver.store.TestDatabases;
import dev.gatehouse.authserver.token.TokenHasher;

/**
 * The token endpoint runs a bounded number of requests at once and queues the others in
 * arrival order ({@code gatehouse.token-endpoint.*}). Here one at a time: a refresh held
 * up on its family's row lock (taken by the test from another connection) keeps the other
 * refreshes waiting, though their own rows are free; machine tokens have a queue of their
 * own; a client that fails authentication never queues; a request that waits longer than
 * the queue timeout is told to come back.
 */
class TokenEndpointAdmissionTests {

    private static ConfigurableApplicationContext app;

    private static int port;

    private static final ExecutorService THREADS = Executors.newCachedThreadPool();

    @BeforeAll
    static void startAdmittingOneAtATime() {
        // The held refresh waits on the row lock for longer than the queue timeout.
        String url = TestDatabases.newH2Url() + ";LOCK_TIMEOUT=20000";
        app = new SpringApplicationBuilder(AuthServerApplication.class).run("--server.port=0",
                "--gatehouse.https.enabled=false", "--spring.datasource.url=" + url,
                "--gatehouse.token-endpoint.concurrency=1", "--gatehouse.token-endpoint.queue-timeout=PT3S",
                "--gatehouse.tenant-file=" + ProtocolTestSupport.tenantFile());
        port = ((WebServerApplicationContext) app).getWebServer().getPort();
    }

    @AfterAll
    static void stop() {
        THREADS.shutdownNow();
        app.close();
    }

    @Test
    void refreshesBeyondTheConcurrencyWaitTheirTurnAndAreServedInArrivalOrder() throws Exception {
        List<String> refreshTokens = refreshTokens(5);
        // Each on a connection opened beforehand: a request then reaches the server when
        // it is sent, and the sending order is the arrival order.
        List<GrantRaces> clients = new ArrayList<>();
        for (int i = 0; i < refreshTokens.size(); i++) {
            OAuthTestClient client = new OAuthTestClient(port);
            assertThat(client.get("/.well-known/openid-configuration").statusCode()).isEqualTo(200);
            clients.add(new GrantRaces(client));
        }
        List<CompletableFuture<HttpResponse<String>>> queued = new ArrayList<>();
        CompletableFuture<HttpResponse<String>> held;
        try (FamilyRowLock lock = FamilyRowLock.onFamilyOf(app.getBean(DataSource.class), refreshTokens.get(0))) {
            held = CompletableFuture.supplyAsync(() -> clients.get(0).refresh(refreshTokens.get(0)), THREADS);
            Thread.sleep(500);
            for (int i = 1; i < refreshTokens.size(); i++) {
                int arrival = i;
                queued.add(CompletableFuture.supplyAsync(() -> clients.get(arrival).refresh(refreshTokens.get(arrival)),
                        THREADS));
                Thread.sleep(250);
            }
            assertThat(queued).as("answered while the first refresh still runs").noneMatch(CompletableFuture::isDone);
            assertThat(held).isNotDone();
        }

        assertThat(held.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        for (CompletableFuture<HttpResponse<String>> answer : queued) {
            HttpResponse<String> response = answer.get(10, TimeUnit.SECONDS);
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        }
        // The server's order, from when it rotated each token (answers that came 10 ms
        // apart may reach the test's threads in any order).
        assertThat(rotationOrder(refreshTokens)).containsExactly(0, 1, 2, 3, 4);
    }

    @Test
    void aRefreshThatWaitsLongerThanTheQueueTimeoutIsToldToComeBackWhileMachineTokensFlow() throws Exception {
        List<String> refreshTokens = refreshTokens(2);
        OAuthTestClient machine = new OAuthTestClient(port);
        assertThat(machineToken(machine).statusCode()).isEqualTo(200);
        CompletableFuture<HttpResponse<String>> held;
        HttpResponse<String> turnedAway;
        try (FamilyRowLock lock = FamilyRowLock.onFamilyOf(app.getBean(DataSource.class), refreshTokens.get(0))) {
            held = CompletableFuture.supplyAsync(() -> refresh(refreshTokens.get(0)), THREADS);
            Thread.sleep(300);
            CompletableFuture<HttpResponse<String>> waiting = CompletableFuture
                .supplyAsync(() -> refresh(refreshTokens.get(1)), THREADS);

            HttpResponse<String> unknownClient = new GrantRaces(new OAuthTestClient(port)).refresh("no-such-client",
                    refreshTokens.get(1));
            assertThat(unknownClient.statusCode()).as("refused before it queues").isEqualTo(401);
            HttpResponse<String> machineToken = machineToken(machine);
            assertThat(machineToken.statusCode()).as(machineToken.body()).isEqualTo(200);
            assertThat(waiting).as("still waiting its turn").isNotDone();

            turnedAway = waiting.get(10, TimeUnit.SECONDS);
            assertThat(held).as("the first refresh still runs").isNotDone();
        }

        assertThat(turnedAway.statusCode()).isEqualTo(503);
        assertThat(turnedAway.headers().firstValue("Retry-After")).contains("5");
        assertThat(turnedAway.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
        assertThat(json(turnedAway).get("error").asString()).isEqualTo("temporarily_unavailable");
        assertThat(turnedAway.headers().firstValue("Access-Control-Allow-Origin")).as("a browser may read it")
            .contains(SPA_ORIGIN);
        assertThat(turnedAway.headers().firstValue("Access-Control-Expose-Headers").orElse(""))
            .containsIgnoringCase("Retry-After");
        assertThat(held.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        HttpResponse<String> later = refresh(refreshTokens.get(1));
        assertThat(later.statusCode()).as("the token turned away was not spent: " + later.body()).isEqualTo(200);
    }

    private static HttpResponse<String> machineToken(OAuthTestClient client) {
        return client.postForm("/oauth/token", Map.of("grant_type", "client_credentials", "client_id", "gatehouse-m2m",
                "client_secret", "gatehouse-m2m-secret", "audience", API));
    }

    private static List<String> refreshTokens(int count) {
        GrantRaces logins = new GrantRaces(new OAuthTestClient(port));
        List<String> tokens = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            tokens.add(logins.tokens("walter@example.com", "Test-Passw0rd").get("refresh_token").asString());
        }
        return tokens;
    }

    /** The indexes of {@code refreshTokens} in the order the server rotated them. */
    private static List<Integer> rotationOrder(List<String> refreshTokens) throws SQLException {
        List<Integer> order = new ArrayList<>();
        try (Connection connection = app.getBean(DataSource.class).getConnection();
                PreparedStatement rotations = connection
                    .prepareStatement("SELECT token_hash FROM refresh_token_rotated ORDER BY rotated_at");
                ResultSet rows = rotations.executeQuery()) {
            while (rows.next()) {
                String key = rows.getString(1);
                for (int i = 0; i < refreshTokens.size(); i++) {
                    if (key.endsWith(TokenHasher.hash(refreshTokens.get(i)))) {
                        order.add(i);
                    }
                }
            }
        }
        return order;
    }

    private static HttpResponse<String> refresh(String refreshToken) {
        return new GrantRaces(new OAuthTestClient(port)).refresh(refreshToken);
    }

}
