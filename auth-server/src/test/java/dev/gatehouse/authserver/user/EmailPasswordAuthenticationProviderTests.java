package dev.gatehouse.authserver.user;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.transaction.support.TransactionTemplate;

import com.zaxxer.hikari.HikariDataSource;

import dev.gatehouse.authserver.config.GatehouseProperties;
import dev.gatehouse.authserver.store.TestDatabases;
import dev.gatehouse.authserver.tenant.TenantUser;

/**
 * Sign-in with email and password when the database goes away between the throttle taking
 * the attempt and the user look-up: two pools on one database, the look-up's closed, as a
 * restart cuts a connection.
 */
class EmailPasswordAuthenticationProviderTests {

    private static final GatehouseProperties.LoginThrottle LIMITS = new GatehouseProperties.LoginThrottle(3, 5,
            Duration.ofMinutes(15), Duration.ofMinutes(10));

    private final PasswordEncoder encoder = PasswordEncoderFactories.createDelegatingPasswordEncoder();

    private final String url = TestDatabases.newH2Url();

    private final HikariDataSource throttlePool = pool();

    private final HikariDataSource usersPool = pool();

    @AfterEach
    void close() {
        this.throttlePool.close();
        this.usersPool.close();
    }

    private HikariDataSource pool() {
        HikariDataSource pool = new HikariDataSource();
        pool.setJdbcUrl(this.url);
        pool.setUsername("sa");
        pool.setPassword("");
        pool.setMaximumPoolSize(4);
        return pool;
    }

    private EmailPasswordAuthenticationProvider provider(HikariDataSource usersPool, LoginThrottle throttle) {
        return new EmailPasswordAuthenticationProvider(
                new JdbcUserDirectory(JdbcClient.create(usersPool), this.encoder, Clock.systemUTC()), this.encoder,
                throttle);
    }

    private static UsernamePasswordAuthenticationToken signIn(String password) {
        return UsernamePasswordAuthenticationToken.unauthenticated("user@example.com", password);
    }

    @Test
    void signInWhenTheUserLookUpCannotReachTheDatabaseThenOutageNotWrongPasswordAndNothingCounted() {
        Flyway.configure().dataSource(this.throttlePool).locations("classpath:db/migration").load().migrate();
        new JdbcUserDirectory(JdbcClient.create(this.throttlePool), this.encoder, Clock.systemUTC()).sync(List
            .of(new TenantUser("user@example.com", "right-password", null, "User", null, true, false, List.of())));
        LoginThrottle throttle = new LoginThrottle("login", JdbcClient.create(this.throttlePool),
                new TransactionTemplate(new DataSourceTransactionManager(this.throttlePool)), LIMITS,
                Clock.systemUTC());
        EmailPasswordAuthenticationProvider cutOff = provider(this.usersPool, throttle);
        this.usersPool.close();

        for (int i = 0; i < 5; i++) {
            assertThatThrownBy(() -> cutOff.authenticate(signIn("right-password")))
                .isInstanceOf(DataAccessResourceFailureException.class)
                .isNotInstanceOf(AuthenticationException.class);
        }

        EmailPasswordAuthenticationProvider reachable = provider(this.throttlePool, throttle);
        assertThat(reachable.authenticate(signIn("right-password")).isAuthenticated())
            .as("five outages, more than the limit of three, counted nothing")
            .isTrue();
        assertThatThrownBy(() -> reachable.authenticate(signIn("wrong-password")))
            .isInstanceOf(BadCredentialsException.class);
    }

}
