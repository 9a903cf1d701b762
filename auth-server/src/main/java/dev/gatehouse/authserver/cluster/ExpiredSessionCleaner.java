package dev.gatehouse.authserver.cluster;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.session.jdbc.JdbcIndexedSessionRepository;

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

    ExpiredSessionCleaner(JdbcIndexedSessionRepository sessions) {
        this.sessions = sessions;
    }

    /** Deletes the sessions that expired; returns whether the database answered. */
    @Scheduled(fixedDelayString = "PT1M", initialDelayString = "PT1M")
    boolean clean() {
        try {
            this.sessions.cleanUpExpiredSessions();
            return true;
        }
        catch (RuntimeException ex) {
            log.warn("Cleanup of expired sessions failed, trying again in a minute: {}", ex.getMessage());
            return false;
        }
    }

}
