package dev.gatehouse.authserver.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.flywaydb.core.Flyway;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * Databases for store tests: an H2 file database in PostgreSQL mode (the default
 * configuration's kind) and a real PostgreSQL started once per test JVM with zonky's
 * embedded binaries, giving each test its own database.
 */
public final class TestDatabases {

    private static EmbeddedPostgres postgres;

    private TestDatabases() {
    }

    /**
     * A new, empty H2 file database under target/, in the same mode as the default
     * application.yml.
     */
    public static String newH2Url() {
        return "jdbc:h2:file:./target/h2-store-tests/" + UUID.randomUUID()
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH";
    }

    /** A migrated H2 database for tests of one component without a Spring context. */
    public static JdbcClient migratedH2() {
        DriverManagerDataSource dataSource = new DriverManagerDataSource(
                "jdbc:h2:mem:" + UUID.randomUUID()
                        + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1",
                "sa", "");
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
        return JdbcClient.create(dataSource);
    }

    /**
     * A pooled, migrated database for tests of one component under concurrency, without a
     * Spring context: a fresh H2 file database, or a fresh database on the shared
     * embedded PostgreSQL.
     */
    public static HikariDataSource migratedPool(boolean postgres) {
        HikariDataSource pool = new HikariDataSource();
        pool.setJdbcUrl(postgres ? newPostgresUrl() : newH2Url());
        pool.setUsername(postgres ? "postgres" : "sa");
        pool.setPassword(postgres ? "postgres" : "");
        pool.setMaximumPoolSize(20);
        Flyway.configure().dataSource(pool).locations("classpath:db/migration").load().migrate();
        return pool;
    }

    /**
     * A fresh database on the shared embedded PostgreSQL, migrated without a read
     * timeout, then pooled with PgJDBC's {@code socketTimeout} of
     * {@code readTimeoutSeconds}.
     */
    public static HikariDataSource migratedPostgresPool(int readTimeoutSeconds) {
        String url = newPostgresUrl();
        Flyway.configure().dataSource(url, "postgres", "postgres").locations("classpath:db/migration").load().migrate();
        HikariDataSource pool = new HikariDataSource();
        pool.setJdbcUrl(url + "&socketTimeout=" + readTimeoutSeconds);
        pool.setUsername("postgres");
        pool.setPassword("postgres");
        pool.setMaximumPoolSize(4);
        return pool;
    }

    /**
     * A new, empty database on the shared embedded PostgreSQL; user and password are
     * "postgres".
     */
    public static String newPostgresUrl() {
        EmbeddedPostgres pg = postgres();
        String name = "store_" + UUID.randomUUID().toString().replace("-", "");
        try (Connection c = pg.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        }
        catch (SQLException ex) {
            throw new IllegalStateException("Cannot create test database " + name, ex);
        }
        return pg.getJdbcUrl("postgres", name);
    }

    private static synchronized EmbeddedPostgres postgres() {
        if (postgres == null) {
            try {
                // Headroom over the default hundred connections: every Spring test
                // context the run keeps cached holds a pool of its own.
                postgres = EmbeddedPostgres.builder().setServerConfig("max_connections", "300").start();
            }
            catch (IOException ex) {
                throw new UncheckedIOException("Cannot start embedded PostgreSQL", ex);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    postgres.close();
                }
                catch (IOException ex) {
                    // The JVM is exiting; zonky cleans its directory on the next start
                    // anyway.
                }
            }));
        }
        return postgres;
    }

}
