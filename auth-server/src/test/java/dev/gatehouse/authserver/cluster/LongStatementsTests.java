package dev.gatehouse.authserver.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import java.sql.Connection;
import java.sql.DriverManager;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import com.zaxxer.hikari.HikariDataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import dev.gatehouse.authserver.store.TestDatabases;

/**
 * On PostgreSQL connections whose read timeout is one second: what may rightly wait
 * longer does, and only that.
 */
class LongStatementsTests {

    private HikariDataSource pool;

    private JdbcClient jdbc;

    private TransactionTemplate transactions;

    @BeforeEach
    void oneSecondReadTimeout() {
        this.pool = TestDatabases.migratedPostgresPool(1);
        this.jdbc = JdbcClient.create(this.pool);
        this.transactions = new TransactionTemplate(new DataSourceTransactionManager(this.pool));
    }

    @AfterEach
    void close() {
        this.pool.close();
    }

    @Test
    void aStartWaitsForAnotherInstancesDecisionLongerThanTheReadTimeout() throws Exception {
        CountDownLatch held = new CountDownLatch(1);
        CompletableFuture<Void> other = CompletableFuture.runAsync(() -> this.transactions.executeWithoutResult((s) -> {
            DatabaseLock.hold(this.jdbc, DatabaseLock.TENANT_IMPORT);
            held.countDown();
            sleep(2_500);
        }));
        assertThat(held.await(10, TimeUnit.SECONDS)).isTrue();
        long start = System.nanoTime();
        this.transactions.executeWithoutResult((s) -> DatabaseLock.hold(this.jdbc, DatabaseLock.TENANT_IMPORT));
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isGreaterThan(1_500);
        other.get(10, TimeUnit.SECONDS);
    }

    @Test
    void aLiftLastsAsLongAsItsTransaction() {
        this.transactions.executeWithoutResult((s) -> {
            LongStatements.allow(this.jdbc);
            this.jdbc.sql("SELECT pg_sleep(2)").query().singleValue();
        });
        assertThatExceptionOfType(DataAccessResourceFailureException.class)
            .as("the pool gave the connection its own timeout back")
            .isThrownBy(() -> this.jdbc.sql("SELECT pg_sleep(2)").query().singleValue());
    }

    @Test
    void aTimeoutLongerThanTheLiftOrNoneAtAllStays() throws Exception {
        String url = TestDatabases.newPostgresUrl();
        for (String timeout : List.of("0", "3600")) {
            try (Connection connection = DriverManager.getConnection(url + "&socketTimeout=" + timeout, "postgres",
                    "postgres")) {
                LongStatements.allow(connection);
                assertThat(connection.getNetworkTimeout()).isEqualTo(Integer.parseInt(timeout) * 1000);
            }
        }
    }

    @Test
    void aLiftOutsideATransactionIsRefused() {
        assertThatIllegalStateException().isThrownBy(() -> LongStatements.allow(this.jdbc));
    }

    @Test
    void aMigrationThatOutlastsTheReadTimeoutCompletes() {
        Flyway flyway = Flyway.configure()
            .dataSource(this.pool)
            .callbacks(new LongMigrations())
            .locations("classpath:db/slow-migration")
            .table("slow_migration_history")
            .baselineOnMigrate(true)
            .baselineVersion("0")
            .load();
        assertThat(flyway.migrate().migrationsExecuted).isEqualTo(1);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

}
