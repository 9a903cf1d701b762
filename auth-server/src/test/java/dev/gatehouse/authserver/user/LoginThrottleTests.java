package dev.gatehouse.authserver.user;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import com.zaxxer.hikari.HikariDataSource;

import dev.gatehouse.authserver.config.GatehouseProperties;
import dev.gatehouse.authserver.store.MutableClock;
import dev.gatehouse.authserver.store.TestDatabases;

/**
 * The throttle on H2 and on PostgreSQL, its limits and its atomicity under parallel
 * attempts.
 */
class LoginThrottleTests {

    private static final GatehouseProperties.LoginThrottle LIMITS = new GatehouseProperties.LoginThrottle(3, 5,
            Duration.ofMinutes(15), Duration.ofMinutes(10));

    private final MutableClock clock = new MutableClock(Instant.parse("2030-01-01T00:00:00Z"));

    private JdbcClient jdbc;

    private final List<HikariDataSource> pools = new ArrayList<>();

    /**
     * Each test's pool is closed after it: the shared embedded PostgreSQL takes a hundred
     * connections, and a pool left open keeps its idle ones.
     */
    @AfterEach
    void closePools() {
        this.pools.forEach(HikariDataSource::close);
    }

    private DataSource pool(boolean postgres) {
        HikariDataSource pool = TestDatabases.migratedPool(postgres);
        this.pools.add(pool);
        return pool;
    }

    private LoginThrottle throttle(boolean postgres) {
        DataSource pool = pool(postgres);
        this.jdbc = JdbcClient.create(pool);
        return throttleOn(pool);
    }

    private LoginThrottle throttleOn(DataSource pool) {
        return new LoginThrottle("login", JdbcClient.create(pool),
                new TransactionTemplate(new DataSourceTransactionManager(pool)), LIMITS, this.clock);
    }

    /** An attempt whose secret proved wrong: whether it was let through to the check. */
    private static boolean fail(LoginThrottle throttle, String account, String address) {
        boolean acquired = throttle.tryAcquire(account, address);
        if (acquired) {
            throttle.recordFailure(account, address);
        }
        return acquired;
    }

    @ParameterizedTest(name = "postgres={0}")
    @ValueSource(booleans = { false, true })
    void accountIsBlockedFromAnAddressAtTheLimitAndFreeAgainAfterTheBlock(boolean postgres) {
        LoginThrottle throttle = throttle(postgres);
        assertThat(fail(throttle, "a@example.com", "10.0.0.1")).isTrue();
        assertThat(fail(throttle, "A@example.com", "10.0.0.1")).isTrue();
        assertThat(fail(throttle, "a@example.com ", "10.0.0.1")).isTrue();
        assertThat(throttle.tryAcquire("a@example.com", "10.0.0.1")).as("the limit is 3").isFalse();
        assertThat(throttle.tryAcquire("a@example.com", "10.0.0.2")).as("the owner elsewhere").isTrue();
        assertThat(throttle.tryAcquire("b@example.com", "10.0.0.3")).isTrue();

        this.clock.advance(Duration.ofMinutes(10));
        assertThat(fail(throttle, "a@example.com", "10.0.0.1")).as("the block has ended").isTrue();
        assertThat(fail(throttle, "a@example.com", "10.0.0.1")).as("with fresh attempts").isTrue();
    }

    @ParameterizedTest(name = "postgres={0}")
    @ValueSource(booleans = { false, true })
    void attemptsRefusedDuringABlockNeitherCountNorExtendIt(boolean postgres) {
        LoginThrottle throttle = throttle(postgres);
        for (int i = 0; i < 3; i++) {
            fail(throttle, "a@example.com", "10.0.0.1");
        }
        for (int i = 0; i < 50; i++) {
            this.clock.advance(Duration.ofSeconds(10));
            assertThat(fail(throttle, "a@example.com", "10.0.0.1")).isFalse();
        }
        this.clock.advance(Duration.ofSeconds(100));
        assertThat(throttle.tryAcquire("a@example.com", "10.0.0.1")).isTrue();
    }

    @ParameterizedTest(name = "postgres={0}")
    @ValueSource(booleans = { false, true })
    void guessesSpreadOverManyAddressesMeetTheAccountWideLimit(boolean postgres) {
        DataSource pool = pool(postgres);
        LoginThrottle throttle = new LoginThrottle("mfa", JdbcClient.create(pool),
                new TransactionTemplate(new DataSourceTransactionManager(pool)), LIMITS, this.clock, 4);
        for (int i = 0; i < 4; i++) {
            assertThat(fail(throttle, "a@example.com", "203.0.113." + i)).as("one guess from each address").isTrue();
        }
        assertThat(throttle.tryAcquire("a@example.com", "203.0.113.99")).as("a fifth address").isFalse();
        assertThat(throttle.tryAcquire("b@example.com", "203.0.113.99")).as("another account").isTrue();
        throttle.recordSuccess("b@example.com", "203.0.113.99");
        this.clock.advance(Duration.ofMinutes(10));
        assertThat(throttle.tryAcquire("a@example.com", "203.0.113.99")).as("the block has ended").isTrue();
    }

    @ParameterizedTest(name = "postgres={0}")
    @ValueSource(booleans = { false, true })
    void blockLongerThanTheWindowOutlastsIt(boolean postgres) {
        DataSource pool = pool(postgres);
        LoginThrottle throttle = new LoginThrottle("login", JdbcClient.create(pool),
                new TransactionTemplate(new DataSourceTransactionManager(pool)),
                new GatehouseProperties.LoginThrottle(3, 5, Duration.ofMinutes(1), Duration.ofHours(1)), this.clock);
        for (int i = 0; i < 3; i++) {
            assertThat(fail(throttle, "a@example.com", "10.0.0.1")).isTrue();
        }
        for (int i = 0; i < 10; i++) {
            this.clock.advance(Duration.ofMinutes(5));
            assertThat(fail(throttle, "a@example.com", "10.0.0.1")).as("%d minutes into the block", 5 * (i + 1))
                .isFalse();
        }
        this.clock.advance(Duration.ofMinutes(10));
        assertThat(fail(throttle, "a@example.com", "10.0.0.1")).as("the block has ended").isTrue();
    }

    @ParameterizedTest(name = "postgres={0}")
    @ValueSource(booleans = { false, true })
    void attemptAtALimitTakenByAttemptsInFlightWaitsForTheirOutcome(boolean postgres) throws Exception {
        LoginThrottle throttle = throttle(postgres);
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            fail(throttle, "a@example.com", "10.0.0.1");
            fail(throttle, "a@example.com", "10.0.0.1");
            assertThat(throttle.tryAcquire("a@example.com", "10.0.0.1")).as("the third, now being checked").isTrue();
            Future<Boolean> fourth = threads.submit(() -> throttle.tryAcquire("a@example.com", "10.0.0.1"));
            Thread.sleep(300);
            assertThat(fourth).as("waits while the third is being checked").isNotDone();
            throttle.recordSuccess("a@example.com", "10.0.0.1");
            assertThat(fourth.get(2, TimeUnit.SECONDS)).as("the third was the owner").isTrue();
            throttle.recordSuccess("a@example.com", "10.0.0.1");

            fail(throttle, "b@example.com", "10.0.0.1");
            fail(throttle, "b@example.com", "10.0.0.1");
            assertThat(throttle.tryAcquire("b@example.com", "10.0.0.1")).isTrue();
            Future<Boolean> next = threads.submit(() -> throttle.tryAcquire("b@example.com", "10.0.0.1"));
            Thread.sleep(300);
            assertThat(next).isNotDone();
            throttle.recordFailure("b@example.com", "10.0.0.1");
            assertThat(next.get(2, TimeUnit.SECONDS)).as("the third was a guess: the pair is blocked").isFalse();
            this.clock.advance(Duration.ofMinutes(9));
            assertThat(throttle.tryAcquire("b@example.com", "10.0.0.1")).as("still blocked").isFalse();
        }
        finally {
            threads.shutdownNow();
        }
    }

    @ParameterizedTest(name = "postgres={0}")
    @ValueSource(booleans = { false, true })
    void failureBlocksOnSettledFailuresOnlyNotOnOtherAttemptsInFlight(boolean postgres) {
        LoginThrottle throttle = throttle(postgres);
        assertThat(throttle.tryAcquire("a@example.com", "10.0.0.1")).isTrue();
        assertThat(throttle.tryAcquire("a@example.com", "10.0.0.1")).isTrue();
        assertThat(fail(throttle, "a@example.com", "10.0.0.1")).as("a typo while two sign-ins are checked").isTrue();
        assertThat(throttle.pairBlockedUntil("a@example.com", "10.0.0.1")).isNull();
        throttle.recordSuccess("a@example.com", "10.0.0.1");
        throttle.recordSuccess("a@example.com", "10.0.0.1");
        for (int i = 0; i < 3; i++) {
            assertThat(throttle.tryAcquire("a@example.com", "10.0.0.1")).isTrue();
        }
    }

    @ParameterizedTest(name = "postgres={0}")
    @ValueSource(booleans = { false, true })
    void attemptsLeftUnsettledCountAsFailures(boolean postgres) {
        LoginThrottle throttle = throttle(postgres);
        for (int i = 0; i < 3; i++) {
            assertThat(throttle.tryAcquire("a@example.com", "10.0.0.1")).isTrue();
        }
        long started = System.nanoTime();
        assertThat(throttle.tryAcquire("a@example.com", "10.0.0.1")).as("waited for them in vain").isFalse();
        assertThat(Duration.ofNanos(System.nanoTime() - started))
            .isBetween(LoginThrottle.IN_FLIGHT_WAIT.minusMillis(200), LoginThrottle.IN_FLIGHT_WAIT.plusSeconds(2));

        this.clock.advance(LoginThrottle.UNSETTLED_AFTER);
        started = System.nanoTime();
        assertThat(throttle.tryAcquire("a@example.com", "10.0.0.1")).as("now failures: a block").isFalse();
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(1));
        assertThat(throttle.pairBlockedUntil("a@example.com", "10.0.0.1")).isNotNull();
        this.clock.advance(Duration.ofMinutes(10));
        assertThat(throttle.tryAcquire("a@example.com", "10.0.0.1")).as("the block has ended").isTrue();
    }

    @ParameterizedTest(name = "postgres={0}")
    @ValueSource(booleans = { false, true })
    void checkCutShortByADatabaseOutageNeitherCountsNorStaysInFlight(boolean postgres) {
        LoginThrottle throttle = throttle(postgres);
        for (int i = 0; i < 5; i++) {
            assertThat(throttle.tryAcquire("a@example.com", "10.0.0.1")).isTrue();
            assertThatThrownBy(() -> throttle.check("a@example.com", "10.0.0.1", () -> {
                throw new CannotGetJdbcConnectionException("the user directory is away");
            })).isInstanceOf(CannotGetJdbcConnectionException.class);
        }
        long started = System.nanoTime();
        assertThat(fail(throttle, "a@example.com", "10.0.0.1")).as("nothing counted, nothing in flight").isTrue();
        assertThat(fail(throttle, "a@example.com", "10.0.0.1")).isTrue();
        assertThat(fail(throttle, "a@example.com", "10.0.0.1")).isTrue();
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(LoginThrottle.IN_FLIGHT_WAIT);
        assertThat(throttle.pairBlockedUntil("a@example.com", "10.0.0.1")).as("three real failures").isNotNull();
    }

    @ParameterizedTest(name = "postgres={0}")
    @ValueSource(booleans = { false, true })
    void checkThatThrowsForAnyOtherReasonCountsAsAFailure(boolean postgres) {
        LoginThrottle throttle = throttle(postgres);
        for (int i = 0; i < 3; i++) {
            assertThat(throttle.tryAcquire("a@example.com", "10.0.0.1")).isTrue();
            assertThatThrownBy(() -> throttle.check("a@example.com", "10.0.0.1", () -> {
                throw new IllegalArgumentException("a secret the check cannot take");
            })).isInstanceOf(IllegalArgumentException.class);
        }
        assertThat(throttle.pairBlockedUntil("a@example.com", "10.0.0.1")).isNotNull();
        assertThat(throttle.tryAcquire("a@example.com", "10.0.0.1")).isFalse();
    }

    @ParameterizedTest(name = "postgres={0}")
    @ValueSource(booleans = { false, true })
    void successClearsThePairAndGivesTheAddressItsAttemptBack(boolean postgres) {
        LoginThrottle throttle = throttle(postgres);
        for (int i = 0; i < 10; i++) {
            assertThat(throttle.tryAcquire("user" + i + "@example.com", "192.0.2.1")).isTrue();
            throttle.recordSuccess("user" + i + "@example.com", "192.0.2.1");
        }
        fail(throttle, "a@example.com", "192.0.2.1");
        fail(throttle, "a@example.com", "192.0.2.1");
        assertThat(throttle.tryAcquire("a@example.com", "192.0.2.1")).isTrue();
        throttle.recordSuccess("a@example.com", "192.0.2.1");
        assertThat(fail(throttle, "a@example.com", "192.0.2.1")).isTrue();
        assertThat(fail(throttle, "a@example.com", "192.0.2.1")).isTrue();
        assertThat(fail(throttle, "a@example.com", "192.0.2.1")).as("two failures were cleared").isTrue();
        assertThat(throttle.tryAcquire("a@example.com", "192.0.2.1")).isFalse();
    }

    @ParameterizedTest(name = "postgres={0}")
    @ValueSource(booleans = { false, true })
    void addressIsBlockedAcrossAccountsAtItsLimit(boolean postgres) {
        LoginThrottle throttle = throttle(postgres);
        for (int i = 0; i < 5; i++) {
            assertThat(fail(throttle, "user" + i + "@example.com", "192.0.2.1")).isTrue();
        }
        assertThat(throttle.tryAcquire("someone@example.com", "192.0.2.1")).isFalse();
        assertThat(throttle.tryAcquire("someone@example.com", "192.0.2.2")).isTrue();
    }

    @ParameterizedTest(name = "postgres={0}")
    @ValueSource(booleans = { false, true })
    void parallelGuessesOnTwoInstancesGetNoMoreChecksThanTheLimit(boolean postgres) throws Exception {
        DataSource pool = pool(postgres);
        List<LoginThrottle> instances = List.of(throttleOn(pool), throttleOn(pool));
        ExecutorService threads = Executors.newFixedThreadPool(16);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Boolean>> attempts = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                LoginThrottle instance = instances.get(i % 2);
                attempts.add(threads.submit(() -> {
                    go.await();
                    boolean acquired = instance.tryAcquire("victim@example.com", "203.0.113.9");
                    if (acquired) {
                        Thread.sleep(50); // the check of a wrong secret
                        instance.recordFailure("victim@example.com", "203.0.113.9");
                    }
                    return acquired;
                }));
            }
            go.countDown();
            int acquired = 0;
            for (Future<Boolean> attempt : attempts) {
                acquired += attempt.get() ? 1 : 0;
            }
            assertThat(acquired).isEqualTo(3);
        }
        finally {
            threads.shutdownNow();
        }
    }

    @ParameterizedTest(name = "postgres={0}")
    @ValueSource(booleans = { false, true })
    void parallelSuccessfulSignInsOfOneUserAllGoThrough(boolean postgres) throws Exception {
        // A success deletes the pair's row while the next attempt may be creating it
        // again; twice as many at once as the pair's limit wait for the ones in flight.
        LoginThrottle throttle = throttle(postgres);
        ExecutorService threads = Executors.newFixedThreadPool(6);
        try {
            List<Future<Boolean>> signIns = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                signIns.add(threads.submit(() -> {
                    boolean acquired = throttle.tryAcquire("busy@example.com", "192.0.2.50");
                    throttle.recordSuccess("busy@example.com", "192.0.2.50");
                    return acquired;
                }));
            }
            for (Future<Boolean> signIn : signIns) {
                assertThat(signIn.get()).isTrue();
            }
        }
        finally {
            threads.shutdownNow();
        }
    }

    @ParameterizedTest(name = "postgres={0}")
    @ValueSource(booleans = { false, true })
    void tableHoldsNeitherEmailsNorAddresses(boolean postgres) {
        LoginThrottle throttle = throttle(postgres);
        throttle.tryAcquire("secret.person@example.com", "198.51.100.7");
        String rows = String.join(" ",
                this.jdbc.sql("SELECT throttle_key FROM login_throttle").query(String.class).list());
        assertThat(rows).doesNotContain("secret").doesNotContain("198.51");
    }

}
