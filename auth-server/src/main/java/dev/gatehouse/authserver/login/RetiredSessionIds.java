package dev.gatehouse.authserver.login;

import java.time.Clock;
import java.time.Duration;

import org.springframework.jdbc.core.simple.JdbcClient;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;

/**
 * Keeps a session id that a sign-in replaced from coming back.
 *
 * <p>
 * A sign-in (and an added factor) gives the session a new id, so an id known before it,
 * planted or copied, stays anonymous. But Spring Session JDBC writes the whole session
 * row from each request's copy, its id included: a request of the same session that
 * loaded it before the sign-in saved and ends after it wrote the old id back. The
 * browser's new cookie then found nothing (signed out), and the old id led to the
 * signed-in session. Any client holding the old id could time such requests around a
 * victim's sign-in.
 *
 * <p>
 * So the session row keeps the ids it had before, written by the statement that changes
 * its id, and when a request has changed its session's id, the id it was asked for is
 * recorded too (in the same database, before Spring Session saves the session). The
 * session update ({@link #UPDATE_SESSION_QUERY}, given to Spring Session in place of its
 * own) leaves the row as it is when the copy being saved has one of those ids: such a
 * copy was loaded before the sign-in, so its lifetime and principal name (anonymous, the
 * sign-in timeout) are out of date too, and the attribute statements that follow it leave
 * the session's attributes as they are. Spring Session has no such check, and its
 * statements are the one place every instance's writes pass.
 */
public final class RetiredSessionIds extends BeforeSessionSave {

    /**
     * Spring Session's update, with its parameters in its order, except that a late copy
     * writes nothing: the row keeps its id, lifetime, expiry and principal name. A copy
     * is late when its id is not the row's but one the row had before, or a recorded
     * retired one. A change of id adds the row's old id to the row's own list (newest
     * first, never cut short: an id that fell off could be written back) in the same
     * statement, so the list holds every id the row had, whichever request replaced it.
     * The row also keeps whether the copy was late ({@code LAST_SAVE_LATE}), for the
     * attribute statements that follow.
     */
    public static final String UPDATE_SESSION_QUERY = """
            UPDATE %TABLE_NAME% s
            SET (SESSION_ID, LAST_ACCESS_TIME, MAX_INACTIVE_INTERVAL, EXPIRY_TIME, PRINCIPAL_NAME,
                    PREVIOUS_SESSION_IDS, LAST_SAVE_LATE) = (
                SELECT CASE WHEN k.late THEN s.SESSION_ID ELSE c.id END,
                    CASE WHEN k.late THEN s.LAST_ACCESS_TIME ELSE c.last_access END,
                    CASE WHEN k.late THEN s.MAX_INACTIVE_INTERVAL ELSE c.max_inactive END,
                    CASE WHEN k.late THEN s.EXPIRY_TIME ELSE c.expiry END,
                    CASE WHEN k.late THEN s.PRINCIPAL_NAME ELSE c.principal END,
                    CASE WHEN k.late OR c.id = s.SESSION_ID THEN s.PREVIOUS_SESSION_IDS
                        ELSE s.SESSION_ID || ' ' || COALESCE(s.PREVIOUS_SESSION_IDS, '') END,
                    COALESCE(k.late, FALSE)
                FROM (SELECT CAST(? AS CHAR(36)) AS id, CAST(? AS BIGINT) AS last_access,
                        CAST(? AS INTEGER) AS max_inactive, CAST(? AS BIGINT) AS expiry,
                        CAST(? AS VARCHAR(100)) AS principal) c
                    LEFT JOIN (SELECT TRUE AS late) k ON c.id <> s.SESSION_ID
                        AND (POSITION(c.id IN COALESCE(s.PREVIOUS_SESSION_IDS, '')) > 0
                            OR EXISTS (SELECT 1 FROM spring_session_retired_id r WHERE r.session_id = c.id)))
            WHERE PRIMARY_ID = ?
            """;

    /*
     * A late copy's attributes (the CSRF token of a login page rendered during the
     * sign-in, a saved request) are not written either. Spring Session writes a copy's
     * attributes after its session update, in the same transaction (every save runs the
     * update: ClusterConfiguration), and that update holds the row's lock until the
     * commit, so the row's LAST_SAVE_LATE is this copy's. The attribute statements only
     * get the row's primary id, not the copy's id, so they read the flag. Each takes
     * Spring Session's parameters in Spring Session's order, casts none shorter than its
     * column (a name too long is refused, not cut), and writes nothing to a row that is
     * gone (signed out meanwhile).
     */

    private static final String NOT_A_LATE_COPY = """
            NOT EXISTS (SELECT 1 FROM %TABLE_NAME% s WHERE s.PRIMARY_ID = a.SESSION_PRIMARY_ID AND s.LAST_SAVE_LATE)
            """;

    private static final String ATTRIBUTE_OF_A_COPY_NOT_LATE = """
            SELECT c.primary_id, c.name, c.bytes
            FROM (SELECT CAST(? AS CHAR(36)) AS primary_id, CAST(? AS VARCHAR) AS name,
                    CAST(? AS BYTEA) AS bytes) c
                JOIN %TABLE_NAME% s ON s.PRIMARY_ID = c.primary_id AND NOT s.LAST_SAVE_LATE
            """;

    /**
     * Spring Session's attribute insert as an upsert on PostgreSQL (two requests of one
     * session may both add an attribute; the last writer wins), for a copy that is not
     * late.
     */
    public static final String CREATE_SESSION_ATTRIBUTE_QUERY_POSTGRESQL = "INSERT INTO %TABLE_NAME%_ATTRIBUTES "
            + "(SESSION_PRIMARY_ID, ATTRIBUTE_NAME, ATTRIBUTE_BYTES)\n" + ATTRIBUTE_OF_A_COPY_NOT_LATE
            + "ON CONFLICT (SESSION_PRIMARY_ID, ATTRIBUTE_NAME) DO UPDATE SET ATTRIBUTE_BYTES = EXCLUDED.ATTRIBUTE_BYTES";

    /** The same on H2, which merges on the key instead. */
    public static final String CREATE_SESSION_ATTRIBUTE_QUERY_H2 = "MERGE INTO %TABLE_NAME%_ATTRIBUTES "
            + "(SESSION_PRIMARY_ID, ATTRIBUTE_NAME, ATTRIBUTE_BYTES) KEY (SESSION_PRIMARY_ID, ATTRIBUTE_NAME)\n"
            + ATTRIBUTE_OF_A_COPY_NOT_LATE;

    /** Spring Session's attribute update, for a copy that is not late. */
    public static final String UPDATE_SESSION_ATTRIBUTE_QUERY = "UPDATE %TABLE_NAME%_ATTRIBUTES a SET ATTRIBUTE_BYTES = ? "
            + "WHERE a.SESSION_PRIMARY_ID = ? AND a.ATTRIBUTE_NAME = ? AND " + NOT_A_LATE_COPY;

    /** Spring Session's attribute removal, for a copy that is not late. */
    public static final String DELETE_SESSION_ATTRIBUTE_QUERY = "DELETE FROM %TABLE_NAME%_ATTRIBUTES a "
            + "WHERE a.SESSION_PRIMARY_ID = ? AND a.ATTRIBUTE_NAME = ? AND " + NOT_A_LATE_COPY;

    /** Longer than any request that may still hold a retired id. */
    static final Duration KEPT = Duration.ofHours(1);

    private final JdbcClient jdbc;

    private final Clock clock;

    public RetiredSessionIds(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    @Override
    void beforeSave(HttpServletRequest request) {
        String requested = request.getRequestedSessionId();
        if (requested == null) {
            return;
        }
        HttpSession session = request.getSession(false);
        if (session == null) {
            return;
        }
        try {
            if (session.isNew() || requested.equals(session.getId())) {
                return;
            }
        }
        catch (IllegalStateException ex) {
            return; // invalidated during the request
        }
        // The requested session's id changed in this request (a sign-in, an added
        // factor). Idempotent: two sign-ins of one session at once both retire it.
        this.jdbc
            .sql("INSERT INTO spring_session_retired_id (session_id, expiry_time) VALUES (?, ?) "
                    + "ON CONFLICT DO NOTHING")
            .params(requested, this.clock.millis() + KEPT.toMillis())
            .update();
    }

    /** Forgets the ids no request can still hold. */
    public static void forgetExpired(JdbcClient jdbc, Clock clock) {
        jdbc.sql("DELETE FROM spring_session_retired_id WHERE expiry_time < ?").params(clock.millis()).update();
    }

}
