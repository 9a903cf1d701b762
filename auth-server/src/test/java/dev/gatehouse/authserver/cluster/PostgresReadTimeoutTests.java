package dev.gatehouse.authserver.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;

import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.Test;

import dev.gatehouse.authserver.store.TestDatabases;

class PostgresReadTimeoutTests {

    @Test
    void postgresConnectionsWaitTenSecondsForAnAnswerUnlessTheUrlSaysOtherwise() throws Exception {
        String url = TestDatabases.newPostgresUrl();
        try (HikariDataSource pool = pool(url, "postgres"); Connection connection = pool.getConnection()) {
            assertThat(connection.getNetworkTimeout()).isEqualTo(10_000);
        }
        try (HikariDataSource pool = pool(url + "&socketTimeout=5", "postgres");
                Connection connection = pool.getConnection()) {
            assertThat(connection.getNetworkTimeout()).isEqualTo(5_000);
        }
        try (HikariDataSource pool = pool(url + "&socketTimeout=0", "postgres");
                Connection connection = pool.getConnection()) {
            assertThat(connection.getNetworkTimeout()).as("0 waits forever, as the user asked").isZero();
        }
    }

    @Test
    void h2ConnectionsAreLeftAsTheyAre() throws Exception {
        try (HikariDataSource pool = pool(TestDatabases.newH2Url(), "sa");
                Connection connection = pool.getConnection()) {
            assertThat(pool.getDataSourceProperties()).isEmpty();
            assertThat(connection.isValid(1)).isTrue();
        }
    }

    /** A pool as Spring Boot hands it to the post-processor: configured, not started. */
    private static HikariDataSource pool(String url, String user) {
        HikariDataSource pool = new HikariDataSource();
        pool.setJdbcUrl(url);
        pool.setUsername(user);
        pool.setPassword("sa".equals(user) ? "" : "postgres");
        pool.setMaximumPoolSize(1);
        return (HikariDataSource) new PostgresReadTimeout().postProcessBeforeInitialization(pool, "dataSource");
    }

}
