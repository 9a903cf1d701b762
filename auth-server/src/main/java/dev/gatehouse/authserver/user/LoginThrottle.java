package dev.gatehouse.authserver.user;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
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
 * proved right, and {@link #recordFailure} blocks the pair or address that the failure
 * left at its limit. An attempt that finds a limit reached by attempts still being
 * checked waits (a few seconds at most) for them to settle instead of being refused: a
 * dozen test workers signing in as one demo user at once are not guessing. Keys are
 * hashed: the table holds no emails, client ids or addresses.
 */
public class LoginThrottle {

    /**
     * How long an attempt waits for the attempts in flight that hold the pair or address
     * at its limit: a few password checks' time, bounded so that attempts whose outcome
     * never came (an instance killed while checking) count as failures.
     */
    static final Duration IN_FLIGHT_WAIT = Duration.ofSeconds(5);

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
     * address is blocked. While a limit is reached only because attempts are still being
     * checked, waits for them (at most {@link #IN_FLIGHT_WAIT}) and then decides.
     * @return whether the attempt may go ahead and check the secret
     */
    public boolean tryAcquire(String account, @Nullable String address) {
        long deadline = System.nanoTime() + IN_FLIGHT_WAIT.toNanos();
        for (long pause = 5;; pause = Math.min(pause * 2, 100)) {
            Attempt attempt = this.transactions.execute((status) -> attempt(account, address));
            if (attempt != Attempt.AT_LIMIT_IN_FLIGHT) {
                return attempt == Attempt.ACQUIRED;
            }
            if (System.nanoTime() + pause * 1_000_000 > deadline || !sleep(pause)) {
                return false;
            }
        }
    }

    private Attempt attempt(String account, @Nullable String address) {
        Instant now = this.clock.instant();
        List<Counter> counters = new ArrayList<>();
        for (var key : keys(account, address).entrySet()) {
            counters.add(lock(key.getKey(), key.getValue(), now));
        }
        if (counters.stream().anyMatch((c) -> c.blockedAt(now))) {
            return Attempt.BLOCKED;
        }
        if (counters.stream().anyMatch((c) -> failuresInWindow(c, now) >= c.limit())) {
            // Counted, not blocked: the attempts that reached the limit are still being
            // checked, and their outcome decides.
            return Attempt.AT_LIMIT_IN_FLIGHT;
        }
        counters.forEach((c) -> count(c, now));
        return Attempt.ACQUIRED;
    }

    /**
     * The secret was wrong. Its attempt was counted already; a pair or address it left at
     * the limit is now blocked for the block duration (an existing block is not
     * extended).
     */
    public void recordFailure(String account, @Nullable String address) {
        this.transactions.executeWithoutResult((status) -> {
            Instant now = this.clock.instant();
            for (var key : keys(account, address).entrySet()) {
                Optional<Counter> counter = find(key.getKey(), key.getValue());
                if (counter.isEmpty() || counter.get().blockedAt(now)
                        || failuresInWindow(counter.get(), now) < counter.get().limit()) {
                    continue;
                }
                Instant blockedUntil = now.plus(this.settings.blockDuration());
                this.jdbc
                    .sql("UPDATE login_throttle SET blocked_until = ?, expires_at = CASE WHEN expires_at < ? THEN ? "
                            + "ELSE expires_at END WHERE throttle_key = ?")
                    .params(Timestamp.from(blockedUntil), Timestamp.from(blockedUntil), Timestamp.from(blockedUntil),
                            key.getKey())
                    .update();
            }
        });
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
            Optional<Counter> counter = find(key, limit);
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

    /** The counter row, locked until the transaction ends. */
    private Optional<Counter> find(String key, int limit) {
        return this.jdbc
            .sql("SELECT failures, window_started_at, blocked_until FROM login_throttle WHERE throttle_key = ? "
                    + "FOR UPDATE")
            .param(key)
            .query((rs, row) -> new Counter(key, limit, rs.getInt("failures"),
                    rs.getTimestamp("window_started_at").toInstant(),
                    (rs.getTimestamp("blocked_until") != null) ? rs.getTimestamp("blocked_until").toInstant() : null))
            .optional();
    }

    private static boolean sleep(long millis) {
        try {
            Thread.sleep(millis);
            return true;
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * The failures that count now: none once the window is over or a block has ended (a
     * block that has ended starts a fresh window, so the owner gets every attempt back).
     */
    private int failuresInWindow(Counter counter, Instant now) {
        return windowOver(counter, now) ? 0 : counter.failures();
    }

    private boolean windowOver(Counter counter, Instant now) {
        return !now.isBefore(counter.windowStartedAt().plus(this.settings.window())) || counter.blockedUntil() != null;
    }

    private void count(Counter counter, Instant now) {
        boolean windowOver = windowOver(counter, now);
        int failures = failuresInWindow(counter, now) + 1;
        Instant windowStartedAt = windowOver ? now : counter.windowStartedAt();
        this.jdbc
            .sql("UPDATE login_throttle SET failures = ?, window_started_at = ?, blocked_until = NULL, expires_at = ? "
                    + "WHERE throttle_key = ?")
            .params(failures, Timestamp.from(windowStartedAt),
                    Timestamp.from(windowStartedAt.plus(this.settings.window())), counter.key())
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

        boolean blockedAt(Instant now) {
            return this.blockedUntil != null && now.isBefore(this.blockedUntil);
        }

    }

    private enum Attempt {

        ACQUIRED, BLOCKED, AT_LIMIT_IN_FLIGHT

    }

}
