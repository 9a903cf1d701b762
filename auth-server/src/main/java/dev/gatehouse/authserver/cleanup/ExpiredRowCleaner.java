package dev.gatehouse.authserver.cleanup;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.transaction.support.TransactionTemplate;

import dev.gatehouse.authserver.cluster.LongStatements;

/**
 * Deletes expired rows: runs every {@link CleanupStatement} bean, each on its own so one
 * failing table does not stop the others. Scheduled every
 * {@code gatehouse.cleanup.interval} (default one hour), first one minute after start. A
 * delete may take long after a busy hour, so each runs as one of the
 * {@link LongStatements}.
 */
public class ExpiredRowCleaner {

    private static final Logger log = LoggerFactory.getLogger(ExpiredRowCleaner.class);

    private final JdbcClient jdbc;

    private final List<CleanupStatement> statements;

    private final TransactionTemplate transactions;

    private final Clock clock;

    public ExpiredRowCleaner(JdbcClient jdbc, TransactionTemplate transactions, List<CleanupStatement> statements,
            Clock clock) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.statements = List.copyOf(statements);
        this.clock = clock;
    }

    /** Runs every statement now; returns the deleted row counts by statement name. */
    @Scheduled(fixedDelayString = "${gatehouse.cleanup.interval:PT1H}", initialDelayString = "PT1M")
    public Map<String, Integer> clean() {
        Instant now = clock.instant();
        Map<String, Integer> deleted = new LinkedHashMap<>();
        for (CleanupStatement statement : statements) {
            try {
                Timestamp cutoff = Timestamp.from(now.minus(statement.retention()));
                Object[] params = new Object[statement.parameterCount()];
                java.util.Arrays.fill(params, cutoff);
                int rows = Objects.requireNonNull(this.transactions.execute((status) -> {
                    LongStatements.allow(this.jdbc);
                    return this.jdbc.sql(statement.sql()).params(params).update();
                }));
                deleted.put(statement.name(), rows);
            }
            catch (RuntimeException ex) {
                log.warn("Cleanup of {} failed: {}", statement.name(), ex.getMessage());
            }
        }
        int total = deleted.values().stream().mapToInt(Integer::intValue).sum();
        if (total > 0) {
            log.info("Cleanup deleted {} expired row(s): {}", total, deleted);
        }
        return deleted;
    }

}
