package dev.gatehouse.authserver.token;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * The {@code refresh_token_rotated} table: hashes of refresh tokens already exchanged, by
 * family.
 */
@Repository
public class RotatedRefreshTokens {

    private final JdbcTemplate jdbc;

    public RotatedRefreshTokens(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public void record(String tokenHash, String authorizationId, Instant rotatedAt, Instant expiresAt) {
        this.jdbc.update(
                "INSERT INTO refresh_token_rotated (token_hash, authorization_id, rotated_at, expires_at) "
                        + "VALUES (?, ?, ?, ?)",
                tokenHash, authorizationId, Timestamp.from(rotatedAt), Timestamp.from(expiresAt));
    }

    /** The family (authorization id) a rotated-out token belonged to. */
    public Optional<String> familyOf(String tokenHash) {
        List<String> ids = this.jdbc.queryForList(
                "SELECT authorization_id FROM refresh_token_rotated WHERE token_hash = ?", String.class, tokenHash);
        return ids.stream().findFirst();
    }

    public void forgetFamily(String authorizationId) {
        this.jdbc.update("DELETE FROM refresh_token_rotated WHERE authorization_id = ?", authorizationId);
    }

}
