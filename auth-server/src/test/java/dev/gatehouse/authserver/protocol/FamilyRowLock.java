package dev.gatehouse.authserver.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

import javax.sql.DataSource;

import dev.gatehouse.authserver.token.TokenHasher;

/**
 * The write lock a refresh takes on its family's row, held by a transaction of the test's
 * own until closed (then rolled back): a stalled instance, or a refresh that takes long.
 * The same statement takes it on H2 and PostgreSQL.
 */
final class FamilyRowLock implements AutoCloseable {

    private final Connection connection;

    private FamilyRowLock(Connection connection) {
        this.connection = connection;
    }

    static FamilyRowLock onFamilyOf(DataSource database, String refreshToken) throws SQLException {
        Connection connection = database.getConnection();
        connection.setAutoCommit(false);
        try (PreparedStatement lock = connection
            .prepareStatement("UPDATE oauth2_authorization SET id = id WHERE refresh_token_value = ?")) {
            lock.setString(1, TokenHasher.hash(refreshToken));
            assertThat(lock.executeUpdate()).isEqualTo(1);
        }
        return new FamilyRowLock(connection);
    }

    @Override
    public void close() throws SQLException {
        this.connection.rollback();
        this.connection.close();
    }

}
