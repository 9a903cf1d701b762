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

    @Test
    void requestThatLoadedTheSessionBeforeTheSignInCannotBringItsOldIdBack() {
        staleRequestCannotBringTheOldIdBack(this.browser, this.repository, "quentin@example.com");
    }

    @Test
    void idReplacedByAnotherRequestsSignInCannotComeBackAfterLaterChanges() {
        idReplacedByAnotherRequestCannotComeBack(this.repository);
    }

    /**
     * A client that changes its session's id again and again (signing in to its own
     * account) cannot push the first id out of the row's list and then write it back.
     */
    @Test
    void firstIdOfASessionWhoseIdChangedManyTimesCannotComeBack() {
        SessionRepository<Session> sessions = sessions(this.repository);
        Session created = sessions.createSession();
        sessions.save(created);
        Session held = sessions.findById(created.getId());
        String id = created.getId();
        for (int i = 0; i < 40; i++) {
            Session signIn = sessions.findById(id);
            id = signIn.changeSessionId();
            signIn.setMaxInactiveInterval(Duration.ofHours(8));
            sessions.save(signIn);
        }

        held.setLastAccessedTime(Instant.now());
        sessions.save(held);

        assertThat(sessions.findById(created.getId())).isNull();
        assertThat(sessions.findById(id).getMaxInactiveInterval()).isEqualTo(Duration.ofHours(8));
    }

    /**
     * Two sign-ins of one session at once (A to C, then A to B), a request that loaded C
     * in between, then a second factor (B to D). C was replaced by a save whose request
     * asked for A, and nothing here records any id (as when the browser's first cookie
     * was another): only the row's own list knows C. Also run on PostgreSQL.
     */
    static void idReplacedByAnotherRequestCannotComeBack(JdbcIndexedSessionRepository repository) {
        SessionRepository<Session> sessions = sessions(repository);
        Session created = sessions.createSession();
        sessions.save(created);
        Session firstSignIn = sessions.findById(created.getId());
        Session secondSignIn = sessions.findById(created.getId());
        String c = firstSignIn.changeSessionId();
        sessions.save(firstSignIn);
        Session held = sessions.findById(c);
        secondSignIn.changeSessionId();
        sessions.save(secondSignIn);
        Session secondFactor = sessions.findById(secondSignIn.getId());
        String d = secondFactor.changeSessionId();
        secondFactor.setMaxInactiveInterval(Duration.ofHours(8));
        sessions.save(secondFactor);

        held.setLastAccessedTime(Instant.now());
        sessions.save(held);

        assertThat(sessions.findById(c)).isNull();
        assertThat(sessions.findById(created.getId())).isNull();
        assertThat(sessions.findById(d).getMaxInactiveInterval()).isEqualTo(Duration.ofHours(8));
    }

    /** Also run on PostgreSQL ({@code PostgresProtocolTests}). */
    static void staleRequestCannotBringTheOldIdBack(OAuthTestClient browser, JdbcIndexedSessionRepository repository,
            String email) {
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
