package dev.gatehouse.authserver.cleanup;

import java.time.Duration;

/**
 * One delete run by {@link ExpiredRowCleaner}. Declare a bean of this type to have a
 * table cleaned.
 *
 * @param name what is cleaned, for the log
 * @param sql a {@code DELETE} whose every {@code ?} is the same cutoff instant (bound as
 * a timestamp); rows older than the cutoff go, e.g.
 * {@code DELETE FROM t WHERE expires_at < ?}
 * @param retention how long after "now" is the cutoff in the past; {@link Duration#ZERO}
 * deletes everything that expired before now
 */
public record CleanupStatement(String name, String sql, Duration retention) {

    public CleanupStatement {
        if (parameterCount(sql) == 0) {
            throw new IllegalArgumentException("A cleanup statement needs the cutoff as a parameter: " + name);
        }
    }

    int parameterCount() {
        return parameterCount(sql);
    }

    private static int parameterCount(String sql) {
        return (int) sql.chars().filter(c -> c == '?').count();
    }
}
