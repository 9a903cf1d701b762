package dev.gatehouse.authserver.cluster;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;

import org.springframework.jdbc.core.ResultSetExtractor;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The few statements that may rightly wait longer than the connections' read timeout
 * ({@link PostgresReadTimeout}): waiting for another instance's decision (applying the
 * tenant file, creating or rotating the signing key), a cleanup that deletes a large
 * backlog, a migration on a large table. Each lifts the timeout of its own connection to
 * {@link #LONGEST}; the pool restores the connection's own when it goes back, so the lift
 * never outlives the transaction.
 */
public final class LongStatements {

    /**
     * How long such a statement may wait for the database; a longer timeout of the user's
     * own (or none) stays.
     */
    static final Duration LONGEST = Duration.ofMinutes(10);

    private static final ResultSetExtractor<Boolean> LIFT = (rs) -> {
        allow(rs.getStatement().getConnection());
        return true;
    };

    private LongStatements() {
    }

    /**
     * Lets the statements that follow in the current transaction wait up to
     * {@link #LONGEST}; call it inside the transaction, so that they run on the same
     * connection.
     */
    public static void allow(JdbcClient jdbc) {
        if (!TransactionSynchronizationManager.isActualTransactionActive()) {
            throw new IllegalStateException("Long statements are allowed for a transaction's connection only");
        }
        jdbc.sql("SELECT 1").query(LIFT);
    }

    /**
     * Lets the statements that follow on {@code connection} wait up to {@link #LONGEST}.
     */
    static void allow(Connection connection) throws SQLException {
        int current = connection.getNetworkTimeout();
        if (current != 0 && current < LONGEST.toMillis()) {
            connection.setNetworkTimeout(Runnable::run, (int) LONGEST.toMillis());
        }
    }

}
