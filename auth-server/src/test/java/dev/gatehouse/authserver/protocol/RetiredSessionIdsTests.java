package dev.gatehouse.authserver.protocol;

import static dev.gatehouse.authserver.protocol.OAuthTestClient.csrf;
import static dev.gatehouse.authserver.protocol.OAuthTestClient.location;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.web.csrf.HttpSessionCsrfTokenRepository;
import org.springframework.session.Session;
import org.springframework.session.SessionRepository;
import org.springframework.session.jdbc.JdbcIndexedSessionRepository;

import dev.gatehouse.authserver.login.RetiredSessionIds;

/**
 * A request of a session that was under way during the sign-in (it loaded the session
 * before, and is saved after) cannot bring back the id the sign-in replaced, nor its
 * anonymous lifetime, nor write its attributes: the old id stays unknown, and the
 * browser's new one stays signed in for the SSO timeout with the attributes the sign-in
 * left.
 */
class RetiredSessionIdsTests extends ProtocolTestSupport {

    /** Where Spring Security keeps a session's CSRF token. */
    private static final String CSRF_TOKEN = HttpSessionCsrfTokenRepository.class.getName() + ".CSRF_TOKEN";

    @Autowired
    JdbcIndexedSessionRepository repository;

    @Autowired
    DataSource dataSource;

    @Test
    void requestThatLoadedTheSessionBeforeTheSignInCannotBringItsOldIdBack() {
        staleRequestCannotBringTheOldIdBack(this.browser, this.repository, new JdbcTemplate(this.dataSource),
                "quentin@example.com");
    }

    @Test
    void idReplacedByAnotherRequestsSignInCannotComeBackAfterLaterChanges() {
        idReplacedByAnotherRequestCannotComeBack(this.repository);
    }

    @Test
    void lateUpdateWaitingForTheSignInsRowLockCannotBringItsOldIdBack() throws Exception {
        // H2 gives up waiting for a lock after a second unless told otherwise
        lateUpdateWaitingForTheSignInsRowLockCannotBringItsOldIdBack(this.browser, this.dataSource,
                "SET LOCK_TIMEOUT 10000", "SELECT SESSION_ID()",
                "SELECT COUNT(*) FROM INFORMATION_SCHEMA.SESSIONS WHERE SESSION_ID = ? AND BLOCKER_ID IS NOT NULL");
    }

    /**
     * The narrowest order of a late request and a sign-in: the late update starts (and
     * takes its snapshot) before the sign-in records the old id, then waits for the row
     * lock the sign-in's save holds. The database re-reads the row when the lock is free,
     * but reads the retired ids as they were when the update began, so the decision must
     * rest on the row. Also run on PostgreSQL; {@code lateSetUp}, {@code connectionId}
     * and {@code waitingForALock} are the database's own statements to let the late
     * connection wait, to name it and to tell whether it waits.
     */
    static void lateUpdateWaitingForTheSignInsRowLockCannotBringItsOldIdBack(OAuthTestClient browser,
            DataSource dataSource, String lateSetUp, String connectionId, String waitingForALock) throws Exception {
        browser.get("/login");
        String before = browser.sessionId();
        String after = UUID.randomUUID().toString();
        JdbcTemplate jdbc = new JdbcTemplate(dataSource);
        String primaryId = jdbc.queryForObject("SELECT primary_id FROM spring_session WHERE session_id = ?",
                String.class, before);
        String update = RetiredSessionIds.UPDATE_SESSION_QUERY.replace("%TABLE_NAME%", "SPRING_SESSION");
        long now = System.currentTimeMillis();
        ExecutorService lateRequest = Executors.newSingleThreadExecutor();
        try (Connection signIn = dataSource.getConnection(); Connection late = dataSource.getConnection()) {
            jdbc(late).execute(lateSetUp);
            long lateId = jdbc(late).queryForObject(connectionId, Long.class);
            signIn.setAutoCommit(false);
            jdbc(signIn).queryForList("SELECT primary_id FROM spring_session WHERE primary_id = ? FOR UPDATE",
                    primaryId);
            Future<Integer> lateSave = lateRequest
                .submit(() -> jdbc(late).update(update, before, now, 1800, now + 1_800_000, null, primaryId));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (jdbc.queryForObject(waitingForALock, Integer.class, lateId) == 0) {
                assertThat(System.nanoTime()).as("the late update waits for the row lock").isLessThan(deadline);
                Thread.sleep(50);
            }
            jdbc.update("INSERT INTO spring_session_retired_id (session_id, expiry_time) VALUES (?, ?)", before,
                    now + 3_600_000);
            jdbc(signIn).update(update, after, now, 28800, now + 28_800_000, "signed-in@example.com", primaryId);
            signIn.commit();
            lateSave.get(10, TimeUnit.SECONDS);
        }
        finally {
            lateRequest.shutdownNow();
        }
        Map<String, Object> row = jdbc.queryForMap(
                "SELECT session_id, max_inactive_interval, principal_name FROM spring_session WHERE primary_id = ?",
                primaryId);
        assertThat(row).containsEntry("session_id", after)
            .containsEntry("max_inactive_interval", 28800)
            .containsEntry("principal_name", "signed-in@example.com");
    }

    private static JdbcTemplate jdbc(Connection connection) {
        return new JdbcTemplate(new SingleConnectionDataSource(connection, true));
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
        held.setAttribute("probe", "written by the held copy");
        sessions.save(held);

        assertThat(sessions.findById(c)).isNull();
        assertThat(sessions.findById(created.getId())).isNull();
        assertThat(sessions.findById(d).getMaxInactiveInterval()).isEqualTo(Duration.ofHours(8));
        assertThat(sessions.findById(d).getAttributeNames()).doesNotContain("probe");
    }

    @Test
    void saveWithOnlyAttributeChangesIsJudgedByItsOwnCopy() {
        saveWithOnlyAttributeChangesIsJudgedByItsOwnCopy(this.repository);
    }

    /**
     * Spring Session saves a request's session when the answer commits and again when the
     * request ends; the second save carries only what changed in between, often
     * attributes alone. Such a save of the signed-in copy still writes them after a late
     * copy was saved, and a late copy's still does not after the signed-in one was. Also
     * run on PostgreSQL.
     */
    static void saveWithOnlyAttributeChangesIsJudgedByItsOwnCopy(JdbcIndexedSessionRepository repository) {
        SessionRepository<Session> sessions = sessions(repository);
        Session created = sessions.createSession();
        sessions.save(created);
        Session late = sessions.findById(created.getId());
        Session signIn = sessions.findById(created.getId());
        String signedInId = signIn.changeSessionId();
        sessions.save(signIn);
        Session current = sessions.findById(signedInId);
        current.setLastAccessedTime(Instant.now());
        sessions.save(current);
        late.setLastAccessedTime(Instant.now());
        sessions.save(late);

        current.setAttribute("token", "set after the answer committed");
        sessions.save(current);
        Session next = sessions.findById(signedInId);
        next.setLastAccessedTime(Instant.now());
        sessions.save(next);
        late.setAttribute("probe", "set by the late copy after its answer committed");
        sessions.save(late);

        Session stored = sessions.findById(signedInId);
        assertThat(stored.<String>getAttribute("token")).isEqualTo("set after the answer committed");
        assertThat(stored.getAttributeNames()).doesNotContain("probe");
    }

    /** Also run on PostgreSQL ({@code PostgresProtocolTests}). */
    static void staleRequestCannotBringTheOldIdBack(OAuthTestClient browser, JdbcIndexedSessionRepository repository,
            JdbcTemplate jdbc, String email) {
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
        Map<String, String> signedInAttributes = storedAttributes(jdbc, after);
        // The request under way adds an attribute, sets a CSRF token of its own, and
        // removes what it shares with the signed-in session (the saved request)
        underWay.setAttribute("probe", "written by the request under way");
        underWay.setAttribute(CSRF_TOKEN, "planted by the request under way");
        assertThat(underWay.getAttributeNames()).containsAnyElementsOf(signedInAttributes.keySet());
        underWay.getAttributeNames()
            .stream()
            .filter((name) -> !name.equals(CSRF_TOKEN) && signedInAttributes.containsKey(name))
            .toList()
            .forEach(underWay::removeAttribute);
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
        assertThat(storedAttributes(jdbc, after)).as("the signed-in session's attributes")
            .isEqualTo(signedInAttributes);
        // The next request of the signed-in session writes its attributes again
        Session next = sessions.findById(after);
        next.setLastAccessedTime(Instant.now());
        next.setAttribute("probe", "written after the sign-in");
        sessions.save(next);
        assertThat(sessions.findById(after).<String>getAttribute("probe")).isEqualTo("written after the sign-in");
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

    /** Each attribute of the session, as stored. */
    private static Map<String, String> storedAttributes(JdbcTemplate jdbc, String sessionId) {
        Map<String, String> attributes = new TreeMap<>();
        jdbc.query(
                "SELECT a.attribute_name, a.attribute_bytes FROM spring_session_attributes a "
                        + "JOIN spring_session s ON s.primary_id = a.session_primary_id WHERE s.session_id = ?",
                (row) -> {
                    attributes.put(row.getString(1), HexFormat.of().formatHex(row.getBytes(2)));
                }, sessionId);
        return attributes;
    }

    @SuppressWarnings({ "unchecked", "rawtypes" })
    private static SessionRepository<Session> sessions(JdbcIndexedSessionRepository repository) {
        return (SessionRepository) repository;
    }

}
