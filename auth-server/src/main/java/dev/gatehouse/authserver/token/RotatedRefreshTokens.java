package dev.gatehouse.authserver.token;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * The {@code refresh_token_rotated} table: hashes of refresh tokens already exchanged, by
 * family, and for the client's reuse interval the answer their exchange got (encrypted,
 * see {@link RefreshRetryAnswer}).
 */
@Repository
public class RotatedRefreshTokens {

    private final JdbcTemplate jdbc;

    public RotatedRefreshTokens(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public void record(String tokenHash, String authorizationId, Instant rotatedAt, Instant expiresAt,
            @Nullable String retryAnswer, @Nullable Instant retryUntil) {
        this.jdbc.update(
                "INSERT INTO refresh_token_rotated (token_hash, authorization_id, rotated_at, expires_at, "
                        + "retry_answer, retry_until) VALUES (?, ?, ?, ?, ?, ?)",
                tokenHash, authorizationId, Timestamp.from(rotatedAt), Timestamp.from(expiresAt), retryAnswer,
                (retryUntil != null) ? Timestamp.from(retryUntil) : null);
    }

    /** What is known of a rotated-out token. */
    public Optional<Rotated> find(String tokenHash) {
        List<Rotated> rows = this.jdbc.query(
                "SELECT authorization_id, retry_answer, retry_until FROM refresh_token_rotated WHERE token_hash = ?",
                (rs, row) -> new Rotated(rs.getString(1), rs.getString(2),
                        (rs.getTimestamp(3) != null) ? rs.getTimestamp(3).toInstant() : null),
                tokenHash);
        return rows.stream().findFirst();
    }

    public void forgetFamily(String authorizationId) {
        this.jdbc.update("DELETE FROM refresh_token_rotated WHERE authorization_id = ?", authorizationId);
    }

    /**
     * A rotated-out token: its family (authorization id) and, within the reuse interval,
     * the sealed answer its rotation gave.
     */
    public record Rotated(String authorizationId, @Nullable String retryAnswer, @Nullable Instant retryUntil) {

        boolean retryableAt(Instant now) {
            return this.retryAnswer != null && this.retryUntil != null && now.isBefore(this.retryUntil);
        }

    }

}
