package dev.gatehouse.authserver.user;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

import dev.gatehouse.authserver.config.GatehouseProperties;
import dev.gatehouse.authserver.store.MutableClock;
import dev.gatehouse.authserver.store.TestDatabases;

import static org.assertj.core.api.Assertions.assertThat;

class LoginThrottleTests {

    private final JdbcClient jdbc = TestDatabases.migratedH2();

    private final MutableClock clock = new MutableClock(Instant.parse("2030-01-01T00:00:00Z"));

    private final LoginThrottle throttle = new LoginThrottle(jdbc,
            new GatehouseProperties.LoginThrottle(3, 5, Duration.ofMinutes(15), Duration.ofMinutes(10)), clock);

    @Test
    void accountIsBlockedAtTheLimitAndFreeAgainAfterTheBlock() {
        throttle.recordFailure("a@example.com", "10.0.0.1");
        throttle.recordFailure("A@example.com", "10.0.0.2");
        assertThat(throttle.isBlocked("a@example.com", "10.0.0.3")).isFalse();
        throttle.recordFailure("a@example.com ", "10.0.0.4");
        assertThat(throttle.isBlocked("a@example.com", "10.0.0.3")).isTrue();
        assertThat(throttle.isBlocked("b@example.com", "10.0.0.3")).isFalse();

        clock.advance(Duration.ofMinutes(10));
        assertThat(throttle.isBlocked("a@example.com", "10.0.0.3")).isFalse();
    }

    @Test
    void failuresOutsideTheWindowDoNotAddUp() {
        throttle.recordFailure("a@example.com", null);
        throttle.recordFailure("a@example.com", null);
        clock.advance(Duration.ofMinutes(16));
        throttle.recordFailure("a@example.com", null);
        throttle.recordFailure("a@example.com", null);
        assertThat(throttle.isBlocked("a@example.com", null)).isFalse();
    }

    @Test
    void addressIsBlockedAcrossAccountsAndSuccessDoesNotResetIt() {
        for (int i = 0; i < 5; i++) {
            throttle.recordFailure("user" + i + "@example.com", "192.0.2.1");
        }
        throttle.recordSuccess("someone@example.com");
        assertThat(throttle.isBlocked("someone@example.com", "192.0.2.1")).isTrue();
        assertThat(throttle.isBlocked("someone@example.com", "192.0.2.2")).isFalse();
    }

    @Test
    void successClearsTheAccountCounter() {
        throttle.recordFailure("a@example.com", null);
        throttle.recordFailure("a@example.com", null);
        throttle.recordSuccess("a@example.com");
        throttle.recordFailure("a@example.com", null);
        throttle.recordFailure("a@example.com", null);
        assertThat(throttle.isBlocked("a@example.com", null)).isFalse();
    }

    @Test
    void tableHoldsNeitherEmailsNorAddresses() {
        throttle.recordFailure("secret.person@example.com", "198.51.100.7");
        String rows = String.join(" ", jdbc.sql("SELECT throttle_key FROM login_throttle").query(String.class).list());
        assertThat(rows).doesNotContain("secret").doesNotContain("198.51");
    }

}
