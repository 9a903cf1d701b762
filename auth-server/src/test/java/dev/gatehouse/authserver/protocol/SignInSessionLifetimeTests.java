package dev.gatehouse.authserver.protocol;

import static dev.gatehouse.authserver.protocol.OAuthTestClient.csrf;
import static dev.gatehouse.authserver.protocol.OAuthTestClient.location;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import dev.gatehouse.authserver.AuthServerApplication;

/**
 * A session nobody has signed in to (a login page, an authorization request, a refused
 * form post) is stored for the sign-in timeout (30 min), not the SSO session's 8 h; a
 * login gives it the SSO timeout. A login form posted after its session ended says the
 * page expired.
 */
class SignInSessionLifetimeTests extends ProtocolTestSupport {

    static final int SIGN_IN_SECONDS = (int) Duration.ofMinutes(30).toSeconds();

    static final int SSO_SECONDS = (int) Duration.ofHours(8).toSeconds();

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void sessionOfALoginPageLivesForTheSignInTimeoutAndALoginGivesItTheSsoTimeout() {
        HttpResponse<String> authorize = this.browser.get(apiRequest().url());
        assertThat(location(authorize)).endsWith("/login");
        assertThat(storedLifetime()).isEqualTo(SIGN_IN_SECONDS);
        HttpResponse<String> page = this.browser.get("/login");
        assertThat(storedLifetime()).isEqualTo(SIGN_IN_SECONDS);

        HttpResponse<String> login = this.browser.postForm("/login",
                Map.of("email", "olivia@example.com", "password", "Test-Passw0rd", "_csrf", csrf(page.body())));
        assertThat(location(login)).contains("/authorize?");
        assertThat(storedLifetime()).isEqualTo(SSO_SECONDS);
        // and it stays so on the next request
        this.browser.get("/login");
        assertThat(storedLifetime()).isEqualTo(SSO_SECONDS);
    }

    @Test
    void refusedPostWithoutACookieStoresItsSessionForTheSignInTimeoutOnly() {
        HttpResponse<String> post = this.browser.postForm("/login",
                Map.of("email", "olivia@example.com", "password", "Test-Passw0rd", "_csrf", "forged"));
        assertThat(post.statusCode()).isEqualTo(403);
        assertThat(storedLifetime()).isEqualTo(SIGN_IN_SECONDS);
    }

    @Test
    void loginPageLeftOpenPastTheSignInTimeoutSaysItExpiredAndSignsNobodyIn() {
        this.browser.get(apiRequest().url());
        HttpResponse<String> page = this.browser.get("/login");
        age(Duration.ofMinutes(31));

        HttpResponse<String> late = this.browser.postForm("/login",
                Map.of("email", "olivia@example.com", "password", "Test-Passw0rd", "_csrf", csrf(page.body())));

        assertThat(late.statusCode()).isEqualTo(403);
        assertThat(late.body()).contains("This page has expired").contains("session_expired");
        assertThat(this.browser.get(new OAuthTestClient.Authorize().with("prompt", "none").url())
            .headers()
            .firstValue("Location")
            .orElseThrow()).contains("error=login_required");
    }

    @Test
    void passkeySignInPostedAfterItsPageExpiredIsAJsonErrorThePageCanShow() {
        this.browser.get(apiRequest().url());
        HttpResponse<String> page = this.browser.get("/login");
        age(Duration.ofMinutes(31));

        HttpResponse<String> late = this.browser.postJson("/login/webauthn", "{}", "X-CSRF-TOKEN", csrf(page.body()));

        assertThat(late.statusCode()).isEqualTo(403);
        assertThat(late.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/json");
        assertThat(OAuthTestClient.json(late).get("error").asString()).isEqualTo("session_expired");
    }

    @Test
    void signedInSessionOutlivesTheSignInTimeout() {
        this.browser.get(apiRequest().url());
        this.browser.login("olivia@example.com", "Test-Passw0rd");
        assertThat(storedLifetime()).isEqualTo(SSO_SECONDS);
        age(Duration.ofMinutes(31));

        HttpResponse<String> silent = this.browser.get(new OAuthTestClient.Authorize().with("prompt", "none").url());
        assertThat(location(silent)).doesNotContain("error=login_required");
    }

    @Test
    void loginFormOfASecondTabUsedAfterTheFirstSignedInSaysItExpired() {
        this.browser.get(apiRequest().url());
        HttpResponse<String> secondTab = this.browser.get("/login");
        this.browser.login("olivia@example.com", "Test-Passw0rd");

        HttpResponse<String> late = this.browser.postForm("/login",
                Map.of("email", "olivia@example.com", "password", "Test-Passw0rd", "_csrf", csrf(secondTab.body())));
        assertThat(late.statusCode()).isEqualTo(403);
        assertThat(late.body()).contains("This page has expired");
        // The passkey button's two posts: its challenge, then its answer
        for (String path : List.of("/webauthn/authenticate/options", "/login/webauthn")) {
            HttpResponse<String> latePasskey = this.browser.postJson(path, "{}", "X-CSRF-TOKEN",
                    csrf(secondTab.body()));
            assertThat(latePasskey.statusCode()).as(path).isEqualTo(403);
            assertThat(OAuthTestClient.json(latePasskey).get("error").asString()).as(path).isEqualTo("session_expired");
        }
        // Still signed in: the application gets its user back without a form
        HttpResponse<String> silent = this.browser.get(new OAuthTestClient.Authorize().with("prompt", "none").url());
        assertThat(location(silent)).doesNotContain("error=login_required");
    }

    @Test
    void formWithAWrongTokenInALiveSessionIsStillJustRefused() {
        this.browser.get("/login");
        HttpResponse<String> post = this.browser.postForm("/login",
                Map.of("email", "olivia@example.com", "password", "Test-Passw0rd", "_csrf", "forged"));
        assertThat(post.statusCode()).isEqualTo(403);
        assertThat(post.body()).doesNotContain("expired").contains("This request is not allowed.");
    }

    /**
     * Spring Boot reads a bare number as seconds in both settings; so does the lifetime
     * given here.
     */
    @Test
    void bareNumbersAreSecondsInBothTimeouts(@TempDir Path dir) {
        try (ConfigurableApplicationContext app = new SpringApplicationBuilder(AuthServerApplication.class).run(
                "--server.port=0",
                "--spring.datasource.url=jdbc:h2:file:" + dir.resolve("db")
                        + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH",
                "--gatehouse.tenant-file=" + tenantFile(), "--gatehouse.https.enabled=false",
                "--server.servlet.session.timeout=7200", "--gatehouse.sign-in-timeout=600")) {
            OAuthTestClient browser = new OAuthTestClient(((WebServerApplicationContext) app).getWebServer().getPort());
            JdbcTemplate jdbc = app.getBean(JdbcTemplate.class);
            browser.get(apiRequest().url());
            assertThat(storedLifetime(jdbc, browser)).isEqualTo(600);
            browser.login("olivia@example.com", "Test-Passw0rd");
            assertThat(storedLifetime(jdbc, browser)).isEqualTo(7200);
        }
    }

    private Integer storedLifetime() {
        return storedLifetime(this.jdbc, this.browser);
    }

    /** The idle timeout stored with the browser's session, in seconds. */
    static Integer storedLifetime(JdbcTemplate jdbc, OAuthTestClient browser) {
        return jdbc.queryForObject("SELECT max_inactive_interval FROM spring_session WHERE session_id = ?",
                Integer.class, browser.sessionId());
    }

    /** As if the session's last request was {@code ago} earlier. */
    private void age(Duration ago) {
        assertThat(this.jdbc
            .update("UPDATE spring_session SET last_access_time = last_access_time - ?, expiry_time = expiry_time - ? "
                    + "WHERE session_id = ?", ago.toMillis(), ago.toMillis(), this.browser.sessionId()))
            .isEqualTo(1);
    }

}
