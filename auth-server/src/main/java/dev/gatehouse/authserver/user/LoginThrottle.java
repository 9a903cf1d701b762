package dev.gatehouse.authserver.user;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;

import org.jspecify.annotations.Nullable;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;

import dev.gatehouse.authserver.config.GatehouseProperties;

/**
 * Counts failed logins per account (email) and per client address in the
 * {@code login_throttle} table and blocks further attempts once a limit is reached within
 * the window. Hand-written: Spring Security has no login throttling. Keys are hashed so
 * the table holds no emails or addresses.
 *
 * <p>
 * Counters are read and written without row locks; two instances racing may miss a count
 * or two, which only shifts the limit slightly and is accepted for simplicity.
 */
public class LoginThrottle {

    private final JdbcClient jdbc;

    private final GatehouseProperties.LoginThrottle settings;

    private final Clock clock;

    public LoginThrottle(JdbcClient jdbc, GatehouseProperties.LoginThrottle settings, Clock clock) {
        this.jdbc = jdbc;
        this.settings = settings;
        this.clock = clock;
    }

    /** Whether the account or the address is currently blocked. */
    public boolean isBlocked(String email, @Nullable String address) {
        Instant now = clock.instant();
        return blockedUntil(accountKey(email)).filter(now::isBefore).isPresent()
                || (address != null && blockedUntil(addressKey(address)).filter(now::isBefore).isPresent());
    }

    /** Records a failed attempt against both the account and the address. */
    public synchronized void recordFailure(String email, @Nullable String address) {
        count(accountKey(email), settings.maxFailuresPerAccount());
        if (address != null) {
            count(addressKey(address), settings.maxFailuresPerAddress());
        }
    }

    /**
     * Clears the account's counter. The address counter is left alone: otherwise one
     * valid account would let an attacker reset the per-address limit while guessing
     * other accounts' passwords.
     */
    public void recordSuccess(String email) {
        jdbc.sql("DELETE FROM login_throttle WHERE throttle_key = ?").param(accountKey(email)).update();
    }

    private Optional<Instant> blockedUntil(String key) {
        return jdbc.sql("SELECT blocked_until FROM login_throttle WHERE throttle_key = ?")
            .param(key)
            .query((rs, row) -> Optional.ofNullable(rs.getTimestamp("blocked_until")).map(Timestamp::toInstant))
            .optional()
            .flatMap(o -> o);
    }

    private void count(String key, int maxFailures) {
        Instant now = clock.instant();
        Optional<Counter> current = jdbc
            .sql("SELECT failures, window_started_at, blocked_until FROM login_throttle " + "WHERE throttle_key = ?")
            .param(key)
            .query((rs, row) -> new Counter(rs.getInt("failures"), rs.getTimestamp("window_started_at").toInstant(),
                    Optional.ofNullable(rs.getTimestamp("blocked_until")).map(Timestamp::toInstant).orElse(null)))
            .optional();
        Counter next;
        if (current.isEmpty() || !now.isBefore(current.get().windowStartedAt().plus(settings.window()))) {
            next = new Counter(1, now, current.map(Counter::blockedUntil).orElse(null));
        }
        else {
            next = new Counter(current.get().failures() + 1, current.get().windowStartedAt(),
                    current.get().blockedUntil());
        }
        if (next.failures() >= maxFailures) {
            next = new Counter(next.failures(), next.windowStartedAt(), now.plus(settings.blockDuration()));
        }
        Instant expires = next.windowStartedAt().plus(settings.window());
        if (next.blockedUntil() != null && next.blockedUntil().isAfter(expires)) {
            expires = next.blockedUntil();
        }
        Timestamp blocked = next.blockedUntil() == null ? null : Timestamp.from(next.blockedUntil());
        int updated = jdbc
            .sql("UPDATE login_throttle SET failures = ?, window_started_at = ?, blocked_until = ?, "
                    + "expires_at = ? WHERE throttle_key = ?")
            .params(next.failures(), Timestamp.from(next.windowStartedAt()), blocked, Timestamp.from(expires), key)
            .update();
        if (updated == 0) {
            try {
                jdbc.sql("INSERT INTO login_throttle (throttle_key, failures, window_started_at, blocked_until, "
                        + "expires_at) VALUES (?, ?, ?, ?, ?)")
                    .params(key, next.failures(), Timestamp.from(next.windowStartedAt()), blocked,
                            Timestamp.from(expires))
                    .update();
            }
            catch (DuplicateKeyException ex) {
                // Another instance inserted the row first; its count stands (see the
                // class comment).
            }
        }
    }

    private static String accountKey(String email) {
        return sha256("account:" + JdbcUserDirectory.normalise(email));
    }

    private static String addressKey(String address) {
        return sha256("address:" + address);
    }

    private static String sha256(String value) {
        try {
            return HexFormat.of()
                .formatHex(MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8)));
        }
        catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException("SHA-256 is part of every JDK", ex);
        }
    }

    private record Counter(int failures, Instant windowStartedAt, @Nullable Instant blockedUntil) {
    }

}
