package dev.gatehouse.authserver.cluster;

import java.time.Clock;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.session.jdbc.JdbcIndexedSessionRepository;
import org.springframework.transaction.support.TransactionTemplate;

import dev.gatehouse.authserver.login.RetiredSessionIds;

/**
 * Deletes expired SSO sessions every minute, as Spring Session's own cleanup task does,
 * which is switched off ({@code spring.session.jdbc.cleanup-cron: "-"}): that task runs
 * on a scheduler whose error handler logs a full stack trace at ERROR for every failed
 * run, so a database outage filled the log. Here a failed run is one WARN line and the
 * next run tries again.
 */
class ExpiredSessionCleaner {

    private static final Logger log = LoggerFactory.getLogger(ExpiredSessionCleaner.class);

    private final JdbcIndexedSessionRepository sessions;

    private final JdbcClient jdbc;

    private final TransactionTemplate transactions;

    private final Clock clock;

    /**
     * {@code sessions} must join a transaction open on the thread, as the application's
     * does ({@link ClusterConfiguration}): the delete runs in one opened here, as one of
     * the {@link LongStatements}, since the backlog after a busy hour may take long.
     */
    ExpiredSessionCleaner(JdbcIndexedSessionRepository sessions, JdbcClient jdbc, TransactionTemplate transactions,
            Clock clock) {
        this.sessions = sessions;
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.clock = clock;
    }

    /** Deletes the sessions that expired; returns whether the database answered. */
    @Scheduled(fixedDelayString = "PT1M", initialDelayString = "PT1M")
    boolean clean() {
        try {
            this.transactions.executeWithoutResult((status) -> {
                LongStatements.allow(this.jdbc);
                this.sessions.cleanUpExpiredSessions();
                RetiredSessionIds.forgetExpired(this.jdbc, this.clock);
            });
            return true;
        }
        catch (RuntimeException ex) {
            log.warn("Cleanup of expired sessions failed, trying again in a minute: {}", ex.getMessage());
            return false;
        }
    }

}
