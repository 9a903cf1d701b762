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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.session.jdbc.JdbcIndexedSessionRepository;

import dev.gatehouse.authserver.AuthServerApplication;
import dev.gatehouse.authserver.store.TestDatabases;
import tools.jackson.databind.JsonNode;

/**
 * The protocol tables on real PostgreSQL (embedded binaries): SAS's JDBC services read
 * and write the adapted schema ({@code text}, {@code timestamptz}, hashed token columns)
 * through a full code, refresh and reuse cycle.
 */
@ExtendWith(OutputCaptureExtension.class)
class PostgresProtocolTests {

    private static ConfigurableApplicationContext app;

    @BeforeAll
    static void start() {
        String url = TestDatabases.newPostgresUrl();
        app = new SpringApplicationBuilder(AuthServerApplication.class).run("--server.port=0",
                "--spring.datasource.url=" + url, "--spring.datasource.username=postgres",
                "--spring.datasource.password=postgres", "--gatehouse.tenant-file=" + ProtocolTestSupport.tenantFile());
        slowDownAuthorizationWrites(app.getBean(JdbcTemplate.class));
    }

    /**
     * Every write of an authorization row takes 50 ms more, in this test database only: a
     * redemption that reads the row, then writes it, leaves a window wide enough for a
     * racing redemption to read the same unused grant, as a loaded server does.
     */
    private static void slowDownAuthorizationWrites(JdbcTemplate jdbc) {
        jdbc.execute("CREATE FUNCTION slow_write() RETURNS trigger LANGUAGE plpgsql AS "
                + "$$ BEGIN PERFORM pg_sleep(0.05); RETURN NEW; END $$");
        jdbc.execute("CREATE TRIGGER slow_authorization_write BEFORE UPDATE ON oauth2_authorization "
                + "FOR EACH ROW EXECUTE FUNCTION slow_write()");
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    private static OAuthTestClient browser() {
        return new OAuthTestClient(((WebServerApplicationContext) app).getWebServer().getPort());
    }

    /**
     * The database goes away after a request began: its new session (the login form's
     * CSRF token) cannot be saved when the page is written. The answer is the outage's
     * 503, logged in one line; the template engine, which used to write the page and so
     * meet the failure, logged a stack trace at ERROR first.
     */
    @Test
    void aPageWhoseNewSessionCannotBeSavedIsA503LoggedInOneLine(CapturedOutput output) {
        JdbcTemplate jdbc = app.getBean(JdbcTemplate.class);
        jdbc.execute("CREATE FUNCTION refuse_session() RETURNS trigger LANGUAGE plpgsql AS "
                + "$$ BEGIN RAISE EXCEPTION 'the database went away' USING ERRCODE = '08006'; END $$");
        jdbc.execute("CREATE TRIGGER refuse_session BEFORE INSERT ON spring_session "
                + "FOR EACH ROW EXECUTE FUNCTION refuse_session()");
        try {
            HttpResponse<String> page = browser().get("/login");
            assertThat(page.statusCode()).isEqualTo(503);
            assertThat(page.headers().firstValue("Retry-After")).isPresent();
            assertThat(page.body()).contains("temporarily unavailable");
            assertThat(output.getAll()).contains("Database unavailable, answered 503 to GET /login")
                .doesNotContain("Exception processing template");
        }
        finally {
            jdbc.execute("DROP TRIGGER refuse_session ON spring_session");
            jdbc.execute("DROP FUNCTION refuse_session()");
        }
    }

    /**
     * A refresh's commit reaches PostgreSQL but its answer does not come back within the
     * read timeout (10 s): the instance cannot know whether the token was rotated and
     * answers 503, logged in one line. The rotation commits a moment later; the client's
     * retry of the same token, within the client's reuse interval, gets the answer it
     * missed, and the family lives on.
     */
    @Test
    void aRefreshWhoseCommitIsNotAnsweredIsA503AndItsRetryGetsTheAnswer(CapturedOutput output) throws Exception {
        GrantRaces client = new GrantRaces(browser());
        String first = client.tokens("leeway-spa", "grace@example.com", "Test-Passw0rd")
            .get("refresh_token")
            .asString();
        JdbcTemplate jdbc = app.getBean(JdbcTemplate.class);
        jdbc.execute("CREATE FUNCTION slow_commit() RETURNS trigger LANGUAGE plpgsql AS "
                + "$$ BEGIN PERFORM pg_sleep(11); RETURN NULL; END $$");
        jdbc.execute("CREATE CONSTRAINT TRIGGER slow_commit AFTER UPDATE ON oauth2_authorization "
                + "DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION slow_commit()");
        HttpResponse<String> lost;
        try {
            lost = client.refresh("leeway-spa", first);
        }
        finally {
            jdbc.execute("DROP TRIGGER slow_commit ON oauth2_authorization");
            jdbc.execute("DROP FUNCTION slow_commit()");
        }
        assertThat(lost.statusCode()).as(lost.body()).isEqualTo(503);
        assertThat(lost.headers().firstValue("Retry-After")).isPresent();
        assertThat(lost.body()).startsWith("{\"error\":\"temporarily_unavailable\"");

        HttpResponse<String> retry = client.refresh("leeway-spa", first);
        for (int i = 0; i < 10 && retry.statusCode() == 503; i++) {
            Thread.sleep(1_000);
            retry = client.refresh("leeway-spa", first);
        }
        assertThat(retry.statusCode()).as(retry.body()).isEqualTo(200);
        HttpResponse<String> next = client.refresh("leeway-spa", json(retry).get("refresh_token").asString());
        assertThat(next.statusCode()).as("the family lives on: " + next.body()).isEqualTo(200);
        assertThat(output.getAll()).contains("Database unavailable, answered 503 to POST /oauth/token")
            .doesNotContain("Commit exception overridden by rollback exception");
    }

    @Test
    void sessionOfALoginPageIsStoredForTheSignInTimeoutAndALoginGivesItTheSsoTimeoutOnPostgres() {
        OAuthTestClient browser = browser();
        JdbcTemplate jdbc = app.getBean(JdbcTemplate.class);
        browser.get(new OAuthTestClient.Authorize().url());
        HttpResponse<String> page = browser.get("/login");
        assertThat(SignInSessionLifetimeTests.storedLifetime(jdbc, browser))
            .isEqualTo(SignInSessionLifetimeTests.SIGN_IN_SECONDS);

        browser.postForm("/login", Map.of("email", "peggy@example.com", "password", "Test-Passw0rd", "_csrf",
                OAuthTestClient.csrf(page.body())));
        assertThat(SignInSessionLifetimeTests.storedLifetime(jdbc, browser))
            .isEqualTo(SignInSessionLifetimeTests.SSO_SECONDS);
    }

    @Test
    void requestThatLoadedTheSessionBeforeTheSignInCannotBringItsOldIdBackOnPostgres() {
        RetiredSessionIdsTests.staleRequestCannotBringTheOldIdBack(browser(),
                app.getBean(JdbcIndexedSessionRepository.class), app.getBean(JdbcTemplate.class), "rupert@example.com");
    }

    @Test
    void idReplacedByAnotherRequestsSignInCannotComeBackAfterLaterChangesOnPostgres() {
        RetiredSessionIdsTests
            .idReplacedByAnotherRequestCannotComeBack(app.getBean(JdbcIndexedSessionRepository.class));
    }

    @Test
    void saveWithOnlyAttributeChangesIsJudgedByItsOwnCopyOnPostgres() {
        RetiredSessionIdsTests
            .saveWithOnlyAttributeChangesIsJudgedByItsOwnCopy(app.getBean(JdbcIndexedSessionRepository.class));
    }

    /** See {@code RetiredSessionIdsTests}. */
    @Test
    void lateUpdateWaitingForTheSignInsRowLockCannotBringItsOldIdBackOnPostgres() throws Exception {
        RetiredSessionIdsTests.lateUpdateWaitingForTheSignInsRowLockCannotBringItsOldIdBack(browser(),
                app.getBean(DataSource.class), "SET lock_timeout = 0", "SELECT pg_backend_pid()",
                "SELECT count(*) FROM pg_stat_activity WHERE pid = ? AND wait_event_type = 'Lock'");
    }

    @Test
    void loginPostedSeveralTimesAtOnceInOneSessionIsNeverA5xxOnPostgres() {
        new LoginRaces(((WebServerApplicationContext) app).getWebServer().getPort())
            .loginPostedSeveralTimesAtOnceInOneSessionIsNeverA5xx("demo@example.com", "Demo-Passw0rd", 4);
    }

    @Test
    void codeExchangedFiveTimesAtOnceHasOneWinnerAndTheReplayRevokesItsTokens() {
        new GrantRaces(browser())
            .codeExchangedFiveTimesAtOnceHasOneWinnerAndTheReplayRevokesItsTokens("bob@example.com", "Test-Passw0rd");
    }

    @Test
    void refreshTokenUsedTenTimesAtOnceRotatesOnceAndReuseRevokesTheFamily() {
        new GrantRaces(browser()).refreshTokenUsedTenTimesAtOnceRotatesOnceAndReuseRevokesTheFamily("bob@example.com",
                "Test-Passw0rd");
    }

    @Test
    void codeFlowRefreshRotationAndReuseDetectionWorkOnPostgres() {
        {
            OAuthTestClient browser = browser();
            OAuthTestClient.Authorize authorize = new OAuthTestClient.Authorize().with("audience", API)
                .with("scope", "openid profile email offline_access read:messages");
            browser.get(authorize.url());
            HttpResponse<String> consent = browser.follow(browser.login("demo@example.com", "Demo-Passw0rd"));
            Map<String, String> callback = query(location(browser.accept(consent)));
            assertThat(callback.get("state")).isEqualTo("c3Rh+dGU/x==");
            HttpResponse<String> token = browser.postForm("/oauth/token", authorize.tokenRequest(callback.get("code")),
                    "Origin", SPA_ORIGIN);
            assertThat(token.statusCode()).as(token.body()).isEqualTo(200);
            String first = json(token).get("refresh_token").asString();
            assertThat(browser.get("/userinfo", "Authorization", "Bearer " + json(token).get("access_token").asString())
                .statusCode()).isEqualTo(200);

            HttpResponse<String> refreshed = browser.postForm("/oauth/token",
                    Map.of("client_id", SPA, "grant_type", "refresh_token", "refresh_token", first));
            assertThat(refreshed.statusCode()).as(refreshed.body()).isEqualTo(200);
            JsonNode second = json(refreshed);

            HttpResponse<String> reuse = browser.postForm("/oauth/token",
                    Map.of("client_id", SPA, "grant_type", "refresh_token", "refresh_token", first));
            assertThat(reuse.statusCode()).isEqualTo(400);
            HttpResponse<String> family = browser.postForm("/oauth/token", Map.of("client_id", SPA, "grant_type",
                    "refresh_token", "refresh_token", second.get("refresh_token").asString()));
            assertThat(family.statusCode()).isEqualTo(400);

            // consent remembered on PostgreSQL too
            HttpResponse<String> again = browser.get(new OAuthTestClient.Authorize().with("audience", API)
                .with("scope", "openid profile email offline_access read:messages")
                .url());
            assertThat(query(location(again))).containsKey("code");
        }
    }

    /**
     * PostgreSQL refuses NUL in text, so a NUL that reached a query would be a 500: the
     * passkey API refuses it in the profile first, and an unknown client stays unknown.
     */
    @Test
    void passkeyRegisterWhenProfileHasNulThenInvalidRequestOnPostgres() {
        OAuthTestClient browser = browser();
        for (String profile : List.of("{\"email\":\"nul\\u0000pg@example.com\"}",
                "{\"email\":\"pg-name@example.com\",\"name\":\"New\\u0000User\"}")) {
            HttpResponse<String> refused = browser.postJson("/passkey/register",
                    "{\"client_id\":\"" + SPA + "\",\"user_profile\":" + profile + "}", "Origin", SPA_ORIGIN);
            assertThat(refused.statusCode()).as(profile + " " + refused.body()).isEqualTo(400);
            assertThat(json(refused).get("error").asString()).isEqualTo("invalid_request");
        }
        HttpResponse<String> client = browser.postJson("/passkey/challenge", "{\"client_id\":\"gatehouse\\u0000\"}",
                "Origin", SPA_ORIGIN);
        assertThat(client.statusCode()).as(client.body()).isEqualTo(401);
        assertThat(json(client).get("error").asString()).isEqualTo("invalid_client");
    }

    /**
     * A family's row held by a transaction that does not end (another instance paused, or
     * cut off before PostgreSQL noticed) holds a refresh of that family for the lock
     * timeout, not for ever: it is answered 503 with Retry-After, and the token still
     * works once the row is free.
     */
    @Test
    void refreshWhoseRowAStalledTransactionHoldsIsToldToComeBackAndTheTokenStillWorks() throws Exception {
        GrantRaces races = new GrantRaces(browser());
        String refreshToken = races.tokens("carol@example.com", "Test-Passw0rd").get("refresh_token").asString();
        HttpResponse<String> held;
        long waitedMillis;
        try (FamilyRowLock stalled = FamilyRowLock.onFamilyOf(app.getBean(DataSource.class), refreshToken)) {
            long start = System.nanoTime();
            // Without a bound it would wait for as long as the row is held: here, until
            // the test gives up.
            held = CompletableFuture.supplyAsync(() -> races.refresh(refreshToken)).get(10, TimeUnit.SECONDS);
            waitedMillis = (System.nanoTime() - start) / 1_000_000;
        }

        assertThat(held.statusCode()).as(held.body()).isEqualTo(503);
        assertThat(held.headers().firstValue("Retry-After")).contains("5");
        assertThat(json(held).get("error").asString()).isEqualTo("temporarily_unavailable");
        assertThat(waitedMillis).as("waited the lock timeout, then gave up").isBetween(1_500L, 8_000L);
        HttpResponse<String> later = races.refresh(refreshToken);
        assertThat(later.statusCode()).as(later.body()).isEqualTo(200);
    }

}
