package dev.gatehouse.authserver.protocol;

import static dev.gatehouse.authserver.protocol.OAuthTestClient.csrf;
import static dev.gatehouse.authserver.protocol.OAuthTestClient.location;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

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
        assertThat(late.body()).contains("This sign-in page has expired").contains("session_expired");
        assertThat(this.browser.get(new OAuthTestClient.Authorize().with("prompt", "none").url())
            .headers()
            .firstValue("Location")
            .orElseThrow()).contains("error=login_required");
    }

    @Test
    void signedInSessionOutlivesTheSignInTimeout() {
        this.browser.get(apiRequest().url());
        this.browser.login("olivia@example.com", "Test-Passw0rd");
        age(Duration.ofMinutes(31));

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

    private String sessionId() {
        return new String(Base64.getDecoder().decode(this.browser.sessionCookie().getValue()), StandardCharsets.UTF_8);
    }

    private Integer storedLifetime() {
        return this.jdbc.queryForObject("SELECT max_inactive_interval FROM spring_session WHERE session_id = ?",
                Integer.class, sessionId());
    }

    /** As if the session's last request was {@code ago} earlier. */
    private void age(Duration ago) {
        assertThat(this.jdbc
            .update("UPDATE spring_session SET last_access_time = last_access_time - ?, expiry_time = expiry_time - ? "
                    + "WHERE session_id = ?", ago.toMillis(), ago.toMillis(), sessionId()))
            .isEqualTo(1);
    }

}
