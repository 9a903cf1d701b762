package dev.gatehouse.authserver.cluster;

import java.util.List;
import java.util.UUID;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.session.jdbc.JdbcIndexedSessionRepository;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(OutputCaptureExtension.class)
class ExpiredSessionCleanerTests {

    @Test
    void cleanDeletesExpiredSessionsAndKeepsLiveOnes() {
        DriverManagerDataSource database = new DriverManagerDataSource(
                "jdbc:h2:mem:sessions;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DB_CLOSE_DELAY=-1", "sa", "");
        Flyway.configure().dataSource(database).locations("classpath:db/migration").load().migrate();
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

    private static ExpiredSessionCleaner cleaner(DriverManagerDataSource database) {
        return new ExpiredSessionCleaner(new JdbcIndexedSessionRepository(new JdbcTemplate(database),
                new TransactionTemplate(new DataSourceTransactionManager(database))));
    }

}
