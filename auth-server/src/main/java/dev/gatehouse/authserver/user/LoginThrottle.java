package dev.gatehouse.authserver.user;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.TreeMap;

import org.jspecify.annotations.Nullable;
import org.springframework.dao.CannotAcquireLockException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

import dev.gatehouse.authserver.config.GatehouseProperties;

/**
 * Limits guessing of a secret (a user's password, a machine client's secret) in the
 * {@code login_throttle} table, shared by every instance on the database. Hand-written:
 * Spring Security has no login throttling.
 *
 * <p>
 * Two counters per attempt, as Auth0's brute-force protection keeps them: one for the
 * account from this client address ({@code max-failures-per-account}), one for the
 * address across accounts ({@code max-failures-per-address}). Reaching a limit within the
 * window blocks that pair or address for the block duration. Blocking the pair rather
 * than the account means nobody can lock an account's owner out from elsewhere; a block
 * always ends after the block duration, and attempts refused during a block neither count
 * nor extend it.
 *
 * <p>
 * The check and the count are one step: {@link #tryAcquire} counts the attempt as a
 * failure before the secret is checked, inside one transaction that locks both counter
 * rows, so a burst of parallel guesses (on one instance or several) can never get more
 * checks than the limit; {@link #recordSuccess} takes the count back once the secret
 * proved right. Keys are hashed: the table holds no emails, client ids or addresses.
 */
public class LoginThrottle {

    private final String subject;

    private final JdbcClient jdbc;

    private final TransactionTemplate transactions;

    private final GatehouseProperties.LoginThrottle settings;

    private final Clock clock;

    /**
     * @param subject what is guessed, keeping the counters of different secrets apart
     * (e.g. {@code login}, {@code client})
     */
    public LoginThrottle(String subject, JdbcClient jdbc, TransactionTemplate transactions,
            GatehouseProperties.LoginThrottle settings, Clock clock) {
        this.subject = subject;
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.settings = settings;
        this.clock = clock;
    }

    /**
     * Counts one attempt for {@code account} from {@code address}, unless the pair or the
     * address is blocked.
     * @return whether the attempt may go ahead and check the secret
     */
    public boolean tryAcquire(String account, @Nullable String address) {
        Boolean acquired = this.transactions.execute((status) -> {
            Instant now = this.clock.instant();
            List<Counter> counters = new ArrayList<>();
            for (var key : keys(account, address).entrySet()) {
                counters.add(lock(key.getKey(), key.getValue(), now));
            }
            if (counters.stream().anyMatch((c) -> c.blockedUntil() != null && now.isBefore(c.blockedUntil()))) {
                return false;
            }
            counters.forEach((c) -> count(c, now));
            return true;
        });
        return Boolean.TRUE.equals(acquired);
    }

    /**
     * The secret was right: the pair's counter is cleared and the address gets back the
     * attempt it lent (the address limit counts failures, not sign-ins).
     */
    public void recordSuccess(String account, @Nullable String address) {
        String pair = pairKey(account, address);
        this.transactions.executeWithoutResult((status) -> {
            // The rows in the order tryAcquire locks them: a success settling while
            // another attempt of the same pair counts must not deadlock with it.
            for (String key : keys(account, address).keySet()) {
                if (key.equals(pair)) {
                    this.jdbc.sql("DELETE FROM login_throttle WHERE throttle_key = ?").param(key).update();
                }
                else {
                    this.jdbc
                        .sql("UPDATE login_throttle SET failures = failures - 1, blocked_until = CASE WHEN "
                                + "failures - 1 < ? THEN NULL ELSE blocked_until END WHERE throttle_key = ? "
                                + "AND failures > 0")
                        .params(this.settings.maxFailuresPerAddress(), key)
                        .update();
                }
            }
        });
    }

    /**
     * Until when {@code account} is blocked from {@code address} (the pair, not the
     * address alone), or {@code null} when it is not.
     */
    public @Nullable Instant pairBlockedUntil(String account, @Nullable String address) {
        Instant now = this.clock.instant();
        return this.jdbc.sql("SELECT blocked_until FROM login_throttle WHERE throttle_key = ?")
            .param(pairKey(account, address))
            .query((rs, row) -> rs.getTimestamp(1))
            .optional()
            .map(Timestamp::toInstant)
            .filter(now::isBefore)
            .orElse(null);
    }

    /**
     * The counter rows of one attempt, key to limit, in a fixed order so two attempts
     * never deadlock.
     */
    private TreeMap<String, Integer> keys(String account, @Nullable String address) {
        TreeMap<String, Integer> keys = new TreeMap<>();
        keys.put(pairKey(account, address), this.settings.maxFailuresPerAccount());
        if (address != null) {
            keys.put(addressKey(address), this.settings.maxFailuresPerAddress());
        }
        return keys;
    }

    private Counter lock(String key, int limit, Instant now) {
        // Another attempt may be inserting the same row right now: PostgreSQL's insert
        // then waits for it, H2's returns at once and the row is not visible until that
        // attempt commits, a moment later. So: make sure the row exists, lock it, and
        // look again until it is there.
        for (int tries = 0;; tries++) {
            this.jdbc
                .sql("INSERT INTO login_throttle (throttle_key, failures, window_started_at, blocked_until, "
                        + "expires_at) VALUES (?, 0, ?, NULL, ?) ON CONFLICT DO NOTHING")
                .params(key, Timestamp.from(now), Timestamp.from(now.plus(this.settings.window())))
                .update();
            Optional<Counter> counter = this.jdbc
                .sql("SELECT failures, window_started_at, blocked_until FROM login_throttle WHERE throttle_key = ? "
                        + "FOR UPDATE")
                .param(key)
                .query((rs, row) -> new Counter(key, limit, rs.getInt("failures"),
                        rs.getTimestamp("window_started_at").toInstant(),
                        (rs.getTimestamp("blocked_until") != null) ? rs.getTimestamp("blocked_until").toInstant()
                                : null))
                .optional();
            if (counter.isPresent()) {
                return counter.get();
            }
            if (tries == 50) {
                throw new CannotAcquireLockException("The login throttle's counter row stayed out of reach");
            }
            pause();
        }
    }

    private static void pause() {
        try {
            Thread.sleep(2);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new CannotAcquireLockException("Interrupted while waiting for the login throttle", ex);
        }
    }

    private void count(Counter counter, Instant now) {
        // A block that has ended starts a fresh window: the owner gets every attempt
        // back.
        boolean windowOver = !now.isBefore(counter.windowStartedAt().plus(this.settings.window()))
                || counter.blockedUntil() != null;
        int failures = (windowOver ? 0 : counter.failures()) + 1;
        Instant windowStartedAt = windowOver ? now : counter.windowStartedAt();
        Instant blockedUntil = (failures >= counter.limit()) ? now.plus(this.settings.blockDuration()) : null;
        Instant expires = windowStartedAt.plus(this.settings.window());
        if (blockedUntil != null && blockedUntil.isAfter(expires)) {
            expires = blockedUntil;
        }
        this.jdbc
            .sql("UPDATE login_throttle SET failures = ?, window_started_at = ?, blocked_until = ?, expires_at = ? "
                    + "WHERE throttle_key = ?")
            .params(failures, Timestamp.from(windowStartedAt),
                    (blockedUntil != null) ? Timestamp.from(blockedUntil) : null, Timestamp.from(expires),
                    counter.key())
            .update();
    }

    private String pairKey(String account, @Nullable String address) {
        return sha256(this.subject + ":account:" + account.trim().toLowerCase(Locale.ROOT) + "\n"
                + ((address != null) ? address : "-"));
    }

    private String addressKey(String address) {
        return sha256(this.subject + ":address:" + address);
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

    private record Counter(String key, int limit, int failures, Instant windowStartedAt,
            @Nullable Instant blockedUntil) {
    }

}
