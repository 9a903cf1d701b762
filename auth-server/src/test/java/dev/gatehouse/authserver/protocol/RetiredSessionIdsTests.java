package dev.gatehouse.authserver.protocol;

import static dev.gatehouse.authserver.protocol.OAuthTestClient.csrf;
import static dev.gatehouse.authserver.protocol.OAuthTestClient.location;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.session.Session;
import org.springframework.session.SessionRepository;
import org.springframework.session.jdbc.JdbcIndexedSessionRepository;

/**
 * A request of a session that was under way during the sign-in (it loaded the session
 * before, and is saved after) cannot bring back the id the sign-in replaced, nor its
 * anonymous lifetime: the old id stays unknown, and the browser's new one stays signed in
 * for the SSO timeout.
 */
class RetiredSessionIdsTests extends ProtocolTestSupport {

    @Autowired
    JdbcIndexedSessionRepository repository;

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void requestThatLoadedTheSessionBeforeTheSignInCannotBringItsOldIdBack() {
        staleRequestCannotBringTheOldIdBack(this.browser, this.repository, "quentin@example.com", () -> {
        });
    }

    /**
     * What a late update on PostgreSQL sees when it began before the old id was recorded
     * (see {@code PostgresProtocolTests}): the row alone tells it that it is late.
     */
    @Test
    void requestThatLoadedTheSessionBeforeTheSignInIsLateEvenWithoutTheRecordedId() {
        staleRequestCannotBringTheOldIdBack(this.browser, this.repository, "ursula@example.com",
                () -> this.jdbc.update("DELETE FROM spring_session_retired_id"));
    }

    /** Also run on PostgreSQL ({@code PostgresProtocolTests}). */
    static void staleRequestCannotBringTheOldIdBack(OAuthTestClient browser, JdbcIndexedSessionRepository repository,
            String email, Runnable beforeTheLateSave) {
        SessionRepository<Session> sessions = sessions(repository);
        browser.get(new OAuthTestClient.Authorize().url());
        HttpResponse<String> page = browser.get("/login");
        String before = browser.sessionId();
        // What Spring Session's filter does for a request of this session now under way
        Session underWay = sessions.findById(before);
        underWay.setLastAccessedTime(Instant.now());

        HttpResponse<String> login = browser.postForm("/login",
                Map.of("email", email, "password", "Test-Passw0rd", "_csrf", csrf(page.body())));
        assertThat(location(login)).contains("/authorize?");
        String after = browser.sessionId();
        assertThat(after).isNotEqualTo(before);

        Session signedIn = sessions.findById(after);
        Instant signedInExpiry = signedIn.getLastAccessedTime().plus(signedIn.getMaxInactiveInterval());
        underWay.setAttribute("probe", "written by the request under way");
        beforeTheLateSave.run();
        sessions.save(underWay);

        assertThat(sessions.findById(before)).isNull();
        Session stored = sessions.findById(after);
        assertThat(stored.getMaxInactiveInterval()).isEqualTo(Duration.ofHours(8))
            .isNotEqualTo(underWay.getMaxInactiveInterval());
        assertThat(stored.getLastAccessedTime().plus(stored.getMaxInactiveInterval())).isEqualTo(signedInExpiry);
        String principal = signedIn.<SecurityContext>getAttribute("SPRING_SECURITY_CONTEXT")
            .getAuthentication()
            .getName();
        assertThat(repository.findByPrincipalName(principal)).containsOnlyKeys(after);
        assertThat(stored.<String>getAttribute("probe")).isEqualTo("written by the request under way");
        HttpResponse<String> silent = browser.get(new OAuthTestClient.Authorize().with("prompt", "none").url());
        assertThat(location(silent)).doesNotContain("error=login_required");
    }

    @Test
    void sessionWhoseIdDidNotChangeIsSavedAsBefore() {
        this.browser.get("/login");
        String id = this.browser.sessionId();
        SessionRepository<Session> sessions = sessions(this.repository);
        Session session = sessions.findById(id);
        session.setAttribute("probe", "kept");
        Instant accessed = session.getLastAccessedTime().plusSeconds(60);
        session.setLastAccessedTime(accessed);
        session.setMaxInactiveInterval(Duration.ofSeconds(1234));
        sessions.save(session);
        Session stored = sessions.findById(id);
        assertThat(stored.<String>getAttribute("probe")).isEqualTo("kept");
        assertThat(stored.getLastAccessedTime()).isEqualTo(accessed.truncatedTo(ChronoUnit.MILLIS));
        assertThat(stored.getMaxInactiveInterval()).isEqualTo(Duration.ofSeconds(1234));
    }

    @SuppressWarnings({ "unchecked", "rawtypes" })
    private static SessionRepository<Session> sessions(JdbcIndexedSessionRepository repository) {
        return (SessionRepository) repository;
    }

}
