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
 *
 * <p>
 * A row is found by its {@link #key(String) key}: the hash of the token, led by the
 * family and generation the token names ({@link RefreshTokenFamilyGenerator}). The table
 * gains a row with every rotation and keeps it until the family would have expired. Keyed
 * by the bare hash, every insert landed on a random page of an ever larger index: under
 * steady refresh load the embedded database re-read those pages from disk, and the copies
 * filled the heap's old generation, which then needed a full collection (120-140 ms)
 * every few seconds. Led by family and generation, a family's rows sit next to each other
 * in issue order, and its next insert goes to the page its last one went to (measured: a
 * third less promoted to the old generation). A token issued before tokens named their
 * family has the bare hash as its key, the form its rows were stored in.
 */
@Repository
public class RotatedRefreshTokens {

    private final JdbcTemplate jdbc;

    public RotatedRefreshTokens(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * The row key of a presented refresh token. Family and generation only order the
     * rows: the hash covers the whole token, so naming another family or generation finds
     * nothing. The generation is zero-padded so that keys sort in issue order.
     */
    static String key(String presented) {
        return key(presented, TokenHasher.hash(presented));
    }

    private static String key(String presented, String hash) {
        RefreshTokenFamilyGenerator.Name name = RefreshTokenFamilyGenerator.name(presented);
        if (name == null) {
            return hash;
        }
        // By hand rather than String.format, which parses its pattern on every call.
        String generation = Long.toString(name.generation());
        StringBuilder key = new StringBuilder(name.family().length() + hash.length() + 11).append(name.family())
            .append(':');
        for (int i = generation.length(); i < 9; i++) {
            key.append('0');
        }
        return key.append(generation).append(':').append(hash).toString();
    }

    public void record(String presented, String authorizationId, Instant rotatedAt, Instant expiresAt,
            @Nullable String retryAnswer, @Nullable Instant retryUntil) {
        this.jdbc.update(
                "INSERT INTO refresh_token_rotated (token_hash, authorization_id, rotated_at, expires_at, "
                        + "retry_answer, retry_until) VALUES (?, ?, ?, ?, ?, ?)",
                key(presented), authorizationId, Timestamp.from(rotatedAt), Timestamp.from(expiresAt), retryAnswer,
                (retryUntil != null) ? Timestamp.from(retryUntil) : null);
    }

    /**
     * What is known of a rotated-out token. Also under the bare hash: during a rolling
     * upgrade an instance of the version before this key files even a token that names
     * its family that way.
     */
    public Optional<Rotated> find(String presented) {
        String hash = TokenHasher.hash(presented);
        List<Rotated> rows = this.jdbc.query(
                "SELECT authorization_id, retry_answer, retry_until FROM refresh_token_rotated "
                        + "WHERE token_hash IN (?, ?)",
                (rs, row) -> new Rotated(rs.getString(1), rs.getString(2),
                        (rs.getTimestamp(3) != null) ? rs.getTimestamp(3).toInstant() : null),
                key(presented, hash), hash);
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
