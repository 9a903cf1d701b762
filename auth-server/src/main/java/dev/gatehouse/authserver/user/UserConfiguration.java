package dev.gatehouse.authserver.user;

import java.time.Clock;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;

import dev.gatehouse.authserver.config.GatehouseProperties;

/** Users, password hashing and the throttled email + password login. */
@Configuration(proxyBeanMethods = false)
public class UserConfiguration {

    /**
     * Spring Security's delegating encoder: new hashes are {@code {bcrypt}} (cost 10);
     * stored hashes of the other standard encoders ({@code {pbkdf2}}, and
     * {@code {argon2}}/{@code {scrypt}} when BouncyCastle is present) are still accepted,
     * and outdated ones are re-encoded at the next successful login.
     */
    @Bean
    public PasswordEncoder passwordEncoder() {
        return PasswordEncoderFactories.createDelegatingPasswordEncoder();
    }

    @Bean
    public JdbcUserDirectory userDirectory(JdbcClient jdbc, PasswordEncoder passwordEncoder) {
        return new JdbcUserDirectory(jdbc, passwordEncoder, Clock.systemUTC());
    }

    @Bean
    public LoginThrottle loginThrottle(JdbcClient jdbc, PlatformTransactionManager transactions,
            GatehouseProperties properties) {
        return new LoginThrottle("login", jdbc, new TransactionTemplate(transactions), properties.loginThrottle(),
                Clock.systemUTC());
    }

    @Bean
    public EmailPasswordAuthenticationProvider emailPasswordAuthenticationProvider(JdbcUserDirectory userDirectory,
            PasswordEncoder passwordEncoder, LoginThrottle loginThrottle) {
        return new EmailPasswordAuthenticationProvider(userDirectory, passwordEncoder, loginThrottle);
    }

}
