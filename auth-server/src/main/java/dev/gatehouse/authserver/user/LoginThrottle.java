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
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.CannotAcquireLockException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

import dev.gatehouse.authserver.config.GatehouseProperties;
import dev.gatehouse.authserver.web.DatabaseOutage;

/**
 * Limits guessing of a secret (a user's password, a machine client's secret, a second
 * factor's code) in the {@code login_throttle} table, shared by every instance on the
 * database. Hand-written: Spring Security has no login throttling.
 *
 * <p>
 * Two counters per attempt, as Auth0's brute-force protection keeps them: one for the
 * account from this client address ({@code max-failures-per-account}), one for the
 * address across accounts ({@code max-failures-per-address}). A failure that brings a
 * counter to its limit within the window blocks that pair or address for the block
 * duration. Blocking the pair rather than the account means nobody can lock an account's
 * owner out from elsewhere; a block always ends after the block duration, and attempts
 * refused during a block neither count nor extend it.
 *
 * <p>
 * {@link #tryAcquire} lets an attempt check its secret only while the counter's failures
 * plus the attempts still being checked stay under the limit, inside one transaction that
 * locks both counter rows, so a burst of parallel guesses (on one instance or several)
 * never gets more checks than the limit. Each attempt then settles with
 * {@link #recordSuccess} (the pair's failures are cleared), {@link #recordFailure}, or
 * {@link #release} when its check never got to compare the secret. An attempt that finds
 * the limit taken by attempts in flight waits for them, polling, up to
 * {@link #IN_FLIGHT_WAIT}: a dozen test workers signing in as one demo user at once are
 * not guessing. At most {@link #WAITERS_PER_ADDRESS} attempts from one address wait on an
 * instance; beyond that they are refused at once, so parallel sign-ins cannot hold every
 * request thread. Attempts left unsettled for {@link #UNSETTLED_AFTER} (an instance
 * stopped mid-check) count as failures. Keys are hashed: the table holds no emails,
 * client ids or addresses.
 */
public class LoginThrottle {

    /** How long an attempt waits for the attempts in flight that hold a limit. */
    static final Duration IN_FLIGHT_WAIT = Duration.ofSeconds(5);

    /** When attempts not settled since the newest of them started count as failures. */
    static final Duration UNSETTLED_AFTER = Duration.ofSeconds(30);

    /** Attempts from one address that may wait on this instance at once. */
    static final int WAITERS_PER_ADDRESS = 32;

    private static final long POLL_MILLIS = 15;

    private static final Logger log = LoggerFactory.getLogger(LoginThrottle.class);

    private final String subject;

    private final JdbcClient jdbc;

    private final TransactionTemplate transactions;

    private final GatehouseProperties.LoginThrottle settings;

    private final Clock clock;

    private final int maxFailuresPerAccountEverywhere;

    private final ConcurrentHashMap<String, Integer> waiting = new ConcurrentHashMap<>();

    /**
     * @param subject what is guessed, keeping the counters of different secrets apart
     * (e.g. {@code login}, {@code client})
     */
    public LoginThrottle(String subject, JdbcClient jdbc, TransactionTemplate transactions,
            GatehouseProperties.LoginThrottle settings, Clock clock) {
        this(subject, jdbc, transactions, settings, clock, 0);
    }

    /**
     * @param maxFailuresPerAccountEverywhere with a value above zero, a third counter:
     * the account's failures from every address together (for secrets whose guessers
     * already hold the account's password and can spread their guesses over many
     * addresses)
     */
    public LoginThrottle(String subject, JdbcClient jdbc, TransactionTemplate transactions,
            GatehouseProperties.LoginThrottle settings, Clock clock, int maxFailuresPerAccountEverywhere) {
        this.subject = subject;
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.settings = settings;
        this.clock = clock;
        this.maxFailuresPerAccountEverywhere = maxFailuresPerAccountEverywhere;
    }

    /**
     * Takes one attempt for {@code account} from {@code address}, unless the pair or the
     * address is blocked. While a limit is taken by attempts still being checked, waits
     * for their outcome (see the class comment). An attempt taken must be settled with
     * {@link #recordSuccess}, {@link #recordFailure} or {@link #release}.
     * @return whether the attempt may go ahead and check the secret
     */
    public boolean tryAcquire(String account, @Nullable String address) {
        Attempt first = this.transactions.execute((status) -> attempt(account, address));
        if (first != Attempt.AT_LIMIT_IN_FLIGHT) {
            return first == Attempt.ACQUIRED;
        }
        String waitKey = (address != null) ? address : "-";
        if (this.waiting.merge(waitKey, 1, Integer::sum) > WAITERS_PER_ADDRESS) {
            stopWaiting(waitKey);
            return false;
        }
        try {
            long deadline = System.nanoTime() + IN_FLIGHT_WAIT.toNanos();
            while (System.nanoTime() + POLL_MILLIS * 1_000_000 < deadline && sleep(POLL_MILLIS)) {
                Attempt attempt = this.transactions.execute((status) -> attempt(account, address));
                if (attempt != Attempt.AT_LIMIT_IN_FLIGHT) {
                    return attempt == Attempt.ACQUIRED;
                }
            }
            return false;
        }
        finally {
            stopWaiting(waitKey);
        }
    }

    private void stopWaiting(String waitKey) {
        this.waiting.computeIfPresent(waitKey, (key, count) -> (count > 1) ? count - 1 : null);
    }

    private Attempt attempt(String account, @Nullable String address) {
        Instant now = this.clock.instant();
        List<Counter> rows = new ArrayList<>();
        List<Counter> counters = new ArrayList<>();
        for (var key : keys(account, address).entrySet()) {
            Counter row = lock(key.getKey(), key.getValue(), now);
            rows.add(row);
            counters.add(current(row, now));
        }
        Attempt attempt = Attempt.ACQUIRED;
        for (Counter counter : counters) {
            if (counter.blockedAt(now)) {
                return Attempt.BLOCKED;
            }
            if (counter.failures() + counter.inFlight() >= counter.limit()) {
                attempt = Attempt.AT_LIMIT_IN_FLIGHT;
            }
        }
        for (int i = 0; i < counters.size(); i++) {
            Counter counter = counters.get(i);
            // Attempts unsettled for too long became failures; they may be the ones
            // that block.
            Counter next = (attempt == Attempt.ACQUIRED)
                    ? counter.withInFlight(counter.inFlight() + 1, now.plus(UNSETTLED_AFTER)) : counter;
            if (next.failures() >= next.limit()) {
                next = next.blockedFrom(now, this.settings.blockDuration());
                attempt = Attempt.BLOCKED;
            }
            // A waiter's poll that changes nothing writes nothing.
            if (!next.equals(rows.get(i))) {
                write(next);
            }
        }
        return attempt;
    }

    /**
     * Runs the check of a secret for an attempt {@link #tryAcquire} took, and settles the
     * attempt however the check ends: a result is a success; no result, or a check that
     * throws (a wrong secret), is a failure, so no attempt stays in flight. A check cut
     * short because the database could not be reached compared no secret: its attempt is
     * {@link #release released} instead, and the outage goes on to the caller. Were it a
     * failure, a user signing in while the database restarts would be shown "wrong
     * password" and come closer to a block. This rests on every check touching the
     * database after its comparison only for a right secret (a hash upgrade, a used code
     * recorded), so a wrong guess never ends in an outage; a check that did otherwise
     * could turn lock timeouts into uncounted guesses.
     * @return what the check returned
     */
    public <T> @Nullable T check(String account, @Nullable String address, Supplier<@Nullable T> check) {
        T result = null;
        boolean outage = false;
        try {
            result = check.get();
        }
        catch (RuntimeException ex) {
            outage = DatabaseOutage.causeOf(ex) != null;
            throw ex;
        }
        finally {
            if (outage) {
                releaseDuringOutage(account, address);
            }
            else if (result != null) {
                recordSuccess(account, address);
            }
            else {
                recordFailure(account, address);
            }
        }
        return result;
    }

    /**
     * While the database is away the release itself usually fails too. The attempt then
     * stays in flight and counts as a failure after {@link #UNSETTLED_AFTER}, as those of
     * an instance stopped mid-check do: a release kept for later could not tell its own
     * attempt from another one in flight, nor whether a commit whose answer was lost went
     * through. The outage that cut the check short is what the caller hears of.
     */
    private void releaseDuringOutage(String account, @Nullable String address) {
        try {
            release(account, address);
        }
        catch (RuntimeException ex) {
            if (DatabaseOutage.causeOf(ex) == null) {
                log.warn("Releasing a throttled attempt failed: {}", ex.getMessage());
            }
        }
    }

    /**
     * The attempt ended without a verdict on its secret: one attempt fewer in flight,
     * nothing else changes.
     */
    public void release(String account, @Nullable String address) {
        settle(account, address, (counter, now) -> counter.oneFewerInFlight());
    }

    /**
     * The secret was right: the pair's failures are cleared (and a block of it ends), and
     * the address (and the account everywhere) has one attempt fewer in flight: those
     * counters count failures only.
     */
    public void recordSuccess(String account, @Nullable String address) {
        String pair = pairKey(account, address);
        settle(account, address, (counter, now) -> {
            Counter settled = counter.oneFewerInFlight();
            return counter.key().equals(pair) ? settled.cleared() : settled;
        });
    }

    /**
     * The secret was wrong: one more failure; a pair or address it brings to the limit is
     * blocked for the block duration (an existing block is not extended).
     */
    public void recordFailure(String account, @Nullable String address) {
        settle(account, address, (counter, now) -> {
            Counter settled = counter.oneFewerInFlight().withFailures(counter.failures() + 1);
            return (settled.failures() >= settled.limit() && !settled.blockedAt(now))
                    ? settled.blockedFrom(now, this.settings.blockDuration()) : settled;
        });
    }

    private void settle(String account, @Nullable String address, BiFunction<Counter, Instant, Counter> outcome) {
        this.transactions.executeWithoutResult((status) -> {
            Instant now = this.clock.instant();
            // The rows in the order tryAcquire locks them: an attempt settling while
            // another of the same pair starts must not deadlock with it.
            for (var key : keys(account, address).entrySet()) {
                find(key.getKey(), key.getValue()).ifPresent((row) -> write(outcome.apply(current(row, now), now)));
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
        if (this.maxFailuresPerAccountEverywhere > 0) {
            keys.put(sha256(this.subject + ":account-everywhere:" + account.trim().toLowerCase(Locale.ROOT)),
                    this.maxFailuresPerAccountEverywhere);
        }
        return keys;
    }

    /**
     * The counter as it stands at {@code now}: a block that has ended, or a window that
     * is over while no block lasts, starts afresh (the owner gets every attempt back); a
     * block outlasts its window. Attempts in flight that were not settled in time are
     * failures.
     */
    private Counter current(Counter counter, Instant now) {
        Counter current = counter;
        boolean blockEnded = counter.blockedUntil() != null && !counter.blockedAt(now);
        boolean windowOver = !now.isBefore(counter.windowStartedAt().plus(this.settings.window()));
        if (blockEnded || (windowOver && !counter.blockedAt(now))) {
            current = new Counter(counter.key(), counter.limit(), 0, now, null, counter.inFlight(),
                    counter.inFlightUntil());
        }
        if (current.inFlight() > 0 && current.inFlightUntil() != null && !now.isBefore(current.inFlightUntil())) {
            current = current.withInFlight(0, null).withFailures(current.failures() + current.inFlight());
        }
        return current;
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
            if (!sleep(2)) {
                throw new CannotAcquireLockException("Interrupted while waiting for the login throttle");
            }
        }
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

    /** The counter row, locked until the transaction ends. */
    private Optional<Counter> find(String key, int limit) {
        return this.jdbc
            .sql("SELECT failures, window_started_at, blocked_until, in_flight, in_flight_until FROM login_throttle "
                    + "WHERE throttle_key = ? FOR UPDATE")
            .param(key)
            .query((rs, row) -> new Counter(key, limit, rs.getInt("failures"),
                    rs.getTimestamp("window_started_at").toInstant(), instant(rs.getTimestamp("blocked_until")),
                    rs.getInt("in_flight"), instant(rs.getTimestamp("in_flight_until"))))
            .optional();
    }

    private void write(Counter counter) {
        // The row lives as long as its window, its block or its attempts in flight.
        Instant expires = counter.windowStartedAt().plus(this.settings.window());
        for (Instant other : new Instant[] { counter.blockedUntil(), counter.inFlightUntil() }) {
            if (other != null && other.isAfter(expires)) {
                expires = other;
            }
        }
        this.jdbc
            .sql("UPDATE login_throttle SET failures = ?, window_started_at = ?, blocked_until = ?, in_flight = ?, "
                    + "in_flight_until = ?, expires_at = ? WHERE throttle_key = ?")
            .params(counter.failures(), Timestamp.from(counter.windowStartedAt()), timestamp(counter.blockedUntil()),
                    counter.inFlight(), timestamp(counter.inFlightUntil()), Timestamp.from(expires), counter.key())
            .update();
    }

    private static @Nullable Instant instant(@Nullable Timestamp timestamp) {
        return (timestamp != null) ? timestamp.toInstant() : null;
    }

    private static @Nullable Timestamp timestamp(@Nullable Instant instant) {
        return (instant != null) ? Timestamp.from(instant) : null;
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

    private record Counter(String key, int limit, int failures, Instant windowStartedAt, @Nullable Instant blockedUntil,
            int inFlight, @Nullable Instant inFlightUntil) {

        boolean blockedAt(Instant now) {
            return this.blockedUntil != null && now.isBefore(this.blockedUntil);
        }

        Counter withFailures(int failures) {
            return new Counter(this.key, this.limit, failures, this.windowStartedAt, this.blockedUntil, this.inFlight,
                    this.inFlightUntil);
        }

        Counter withInFlight(int inFlight, @Nullable Instant inFlightUntil) {
            return new Counter(this.key, this.limit, this.failures, this.windowStartedAt, this.blockedUntil, inFlight,
                    (inFlight > 0) ? inFlightUntil : null);
        }

        /** One attempt in flight has settled. */
        Counter oneFewerInFlight() {
            return withInFlight(Math.max(0, this.inFlight - 1), this.inFlightUntil);
        }

        Counter blockedFrom(Instant now, Duration blockDuration) {
            return new Counter(this.key, this.limit, this.failures, this.windowStartedAt, now.plus(blockDuration),
                    this.inFlight, this.inFlightUntil);
        }

        Counter cleared() {
            return new Counter(this.key, this.limit, 0, this.windowStartedAt, null, this.inFlight, this.inFlightUntil);
        }

    }

    private enum Attempt {

        ACQUIRED, BLOCKED, AT_LIMIT_IN_FLIGHT

    }

}
