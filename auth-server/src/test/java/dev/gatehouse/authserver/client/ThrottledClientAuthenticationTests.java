package dev.gatehouse.authserver.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.dao.CannotAcquireLockException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.core.Authentication;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.client.InMemoryRegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.transaction.support.TransactionTemplate;

import dev.gatehouse.authserver.config.GatehouseProperties;
import dev.gatehouse.authserver.store.TestDatabases;
import dev.gatehouse.authserver.user.LoginThrottle;

/**
 * The turn each slow check of one client's secret waits for on an instance: bounded, so a
 * check that hangs does not queue the client's other requests without end.
 */
class ThrottledClientAuthenticationTests {

    private final PasswordEncoder passwords = PasswordEncoderFactories.createDelegatingPasswordEncoder();

    @Test
    @Timeout(30)
    void secretCheckWhileAnotherOfTheSameClientHangsGivesUpAfterItsTurnWaitAsTransient() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        AuthenticationProvider hanging = new AuthenticationProvider() {
            @Override
            public Authentication authenticate(Authentication authentication) {
                await(release);
                return null;
            }

            @Override
            public boolean supports(Class<?> authentication) {
                return true;
            }
        };
        RegisteredClient client = RegisteredClient.withId("1")
            .clientId("backend")
            .clientSecret(this.passwords.encode("backend-secret"))
            .clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
            .authorizationGrantType(AuthorizationGrantType.CLIENT_CREDENTIALS)
            .build();
        DataSource pool = TestDatabases.migratedPool(false);
        LoginThrottle throttle = new LoginThrottle("client", JdbcClient.create(pool),
                new TransactionTemplate(new DataSourceTransactionManager(pool)),
                new GatehouseProperties.LoginThrottle(5, 20, Duration.ofMinutes(15), Duration.ofMinutes(15)),
                Clock.systemUTC());
        ThrottledClientAuthentication authentication = new ThrottledClientAuthentication(hanging,
                new InMemoryRegisteredClientRepository(client),
                new CachingClientSecretEncoder(this.passwords, Duration.ofMinutes(10), Clock.systemUTC()), throttle,
                Clock.systemUTC());

        CompletableFuture<Authentication> first = CompletableFuture
            .supplyAsync(() -> authentication.authenticate(token("backend-secret")));
        Thread.sleep(200);
        long started = System.nanoTime();
        assertThatExceptionOfType(CannotAcquireLockException.class)
            .isThrownBy(() -> authentication.authenticate(token("backend-secret")));
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isBetween(
                ThrottledClientAuthentication.TURN_WAIT.minusMillis(100),
                ThrottledClientAuthentication.TURN_WAIT.plusSeconds(3));
        release.countDown();
        first.get(5, TimeUnit.SECONDS);
    }

    private static OAuth2ClientAuthenticationToken token(String secret) {
        return new OAuth2ClientAuthenticationToken("backend", ClientAuthenticationMethod.CLIENT_SECRET_BASIC, secret,
                null);
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

}
