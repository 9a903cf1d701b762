package dev.gatehouse.authserver.cluster;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.session.jdbc.JdbcIndexedSessionRepository;
import org.springframework.transaction.support.TransactionTemplate;

import dev.gatehouse.authserver.store.TestDatabases;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(OutputCaptureExtension.class)
class ExpiredSessionCleanerTests {

    @Test
    void cleanDeletesExpiredSessionsAndKeepsLiveOnes() {
        DataSource database = migratedH2("sessions");
        JdbcTemplate jdbc = new JdbcTemplate(database);
        long now = System.currentTimeMillis();
        String insert = "INSERT INTO spring_session (primary_id, session_id, creation_time, last_access_time, "
                + "max_inactive_interval, expiry_time) VALUES (?, ?, ?, ?, 1800, ?)";
        String expired = UUID.randomUUID().toString();
        String live = UUID.randomUUID().toString();
        jdbc.update(insert, UUID.randomUUID().toString(), expired, now, now, now - 1_000);
        jdbc.update(insert, UUID.randomUUID().toString(), live, now, now, now + 1_800_000);

        assertThat(cleaner(database).clean()).isTrue();

        assertThat(jdbc.queryForList("SELECT session_id FROM spring_session", String.class)).containsExactly(live);
    }

    @Test
    void cleanWhenTheDatabaseIsAwayThenOneWarningLineWithoutAStackTrace(CapturedOutput output) {
        DriverManagerDataSource away = new DriverManagerDataSource("jdbc:postgresql://127.0.0.1:1/gatehouse", "u", "p");

        assertThat(cleaner(away).clean()).isFalse();

        List<String> lines = output.getAll().lines().toList();
        assertThat(lines).filteredOn(line -> line.contains("Cleanup of expired sessions failed")).hasSize(1);
        assertThat(lines).noneMatch(line -> line.trim().startsWith("at "));
    }

    @Test
    void cleanWhenTheDeleteOutlastsTheConnectionsReadTimeoutThenItStillCompletes() {
        try (HikariDataSource pool = TestDatabases.migratedPostgresPool(1)) {
            JdbcTemplate jdbc = new JdbcTemplate(pool);
            long now = System.currentTimeMillis();
            jdbc.update(
                    "INSERT INTO spring_session (primary_id, session_id, creation_time, last_access_time, "
                            + "max_inactive_interval, expiry_time) VALUES (?, ?, ?, ?, 1800, ?)",
                    UUID.randomUUID().toString(), UUID.randomUUID().toString(), now, now, now - 1_000);
            // A backlog that takes two seconds to delete
            jdbc.execute("CREATE FUNCTION slow_delete() RETURNS trigger LANGUAGE plpgsql AS "
                    + "$$ BEGIN PERFORM pg_sleep(2); RETURN OLD; END $$");
            jdbc.execute("CREATE TRIGGER slow_delete BEFORE DELETE ON spring_session "
                    + "FOR EACH ROW EXECUTE FUNCTION slow_delete()");

            assertThat(cleaner(pool).clean()).isTrue();

            assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM spring_session", Integer.class)).isZero();
        }
    }

    @Test
    void cleanForgetsTheRetiredSessionIdsThatExpiredByTheApplicationsClock() {
        DataSource database = migratedH2("retired");
        JdbcTemplate jdbc = new JdbcTemplate(database);
        Instant now = Instant.now();
        jdbc.update("INSERT INTO spring_session_retired_id (session_id, expiry_time) VALUES (?, ?)", "soon",
                now.plus(Duration.ofMinutes(10)).toEpochMilli());
        jdbc.update("INSERT INTO spring_session_retired_id (session_id, expiry_time) VALUES (?, ?)", "later",
                now.plus(Duration.ofMinutes(50)).toEpochMilli());

        assertThat(cleaner(database, Clock.fixed(now.plus(Duration.ofMinutes(30)), ZoneOffset.UTC)).clean()).isTrue();

        assertThat(jdbc.queryForList("SELECT TRIM(session_id) FROM spring_session_retired_id", String.class))
            .containsExactly("later");
    }

    private static DataSource migratedH2(String name) {
        DriverManagerDataSource database = new DriverManagerDataSource(
                "jdbc:h2:mem:" + name + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DB_CLOSE_DELAY=-1", "sa", "");
        Flyway.configure().dataSource(database).locations("classpath:db/migration").load().migrate();
        return database;
    }

    private static ExpiredSessionCleaner cleaner(DataSource database) {
        return cleaner(database, Clock.systemUTC());
    }

    private static ExpiredSessionCleaner cleaner(DataSource database, Clock clock) {
        TransactionTemplate transactions = new TransactionTemplate(new DataSourceTransactionManager(database));
        return new ExpiredSessionCleaner(new JdbcIndexedSessionRepository(new JdbcTemplate(database), transactions),
                JdbcClient.create(database), transactions, clock);
    }

}
