package dev.gatehouse.testkit;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The server on a PostgreSQL database instead of its in-memory H2, by one setting. */
class PostgresTests {

    @Test
    void theServerKeepsItsTenantAndKeysInTheGivenDatabase() throws Exception {
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().start()) {
            String url = postgres.getJdbcUrl("postgres", "postgres");
            try (GatehouseServer server = GatehouseServer.builder()
                .api("https://pg.test/api", "read:things")
                .spa("pg-spa", "http://localhost:4400")
                .role("reader", "https://pg.test/api", "read:things")
                .user("pat@example.test", "Pat-Passw0rd", "reader")
                .jdbcUrl(url, "postgres", "postgres")
                .start()) {
                assertThat(server.claims(server.userToken("pat@example.test")).get("permissions"))
                    .isEqualTo(java.util.List.of("read:things"));
                assertThat(server.logIn("pat@example.test", "Pat-Passw0rd").accessToken()).isNotBlank();
            }
            try (Connection connection = postgres.getPostgresDatabase().getConnection();
                    Statement statement = connection.createStatement();
                    ResultSet users = statement.executeQuery("SELECT email FROM user_account");
                    Statement keys = connection.createStatement();
                    ResultSet signingKeys = keys.executeQuery("SELECT count(*) FROM signing_key")) {
                assertThat(users.next()).isTrue();
                assertThat(users.getString(1)).isEqualTo("pat@example.test");
                assertThat(signingKeys.next()).isTrue();
                assertThat(signingKeys.getInt(1)).isEqualTo(1);
            }
        }
    }

}
