package dev.gatehouse.authserver.cleanup;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import dev.gatehouse.authserver.store.TestDatabases;

class ExpiredRowCleanerTests {

    @Test
    void aDeleteThatOutlastsTheConnectionsReadTimeoutStillCompletes() {
        try (HikariDataSource pool = TestDatabases.migratedPostgresPool(1)) {
            JdbcClient jdbc = JdbcClient.create(pool);
            Instant now = Instant.now();
            jdbc.sql("INSERT INTO login_throttle (throttle_key, failures, window_started_at, expires_at) "
                    + "VALUES ('k', 1, ?, ?)")
                .params(Timestamp.from(now.minusSeconds(120)), Timestamp.from(now.minusSeconds(60)))
                .update();
            // A backlog that takes two seconds to delete
            jdbc.sql("CREATE FUNCTION slow_delete() RETURNS trigger LANGUAGE plpgsql AS "
                    + "$$ BEGIN PERFORM pg_sleep(2); RETURN OLD; END $$")
                .update();
            jdbc.sql("CREATE TRIGGER slow_delete BEFORE DELETE ON login_throttle "
                    + "FOR EACH ROW EXECUTE FUNCTION slow_delete()")
                .update();
            CleanupStatement slow = new CleanupStatement("slow", "DELETE FROM login_throttle WHERE expires_at < ?",
                    Duration.ZERO);
            ExpiredRowCleaner cleaner = new ExpiredRowCleaner(jdbc,
                    new TransactionTemplate(new DataSourceTransactionManager(pool)), List.of(slow), Clock.systemUTC());

            assertThat(cleaner.clean()).containsEntry("slow", 1);
        }
    }

}
