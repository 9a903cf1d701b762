package dev.gatehouse.authserver.mfa;

import java.time.Clock;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import dev.gatehouse.authserver.config.GatehouseProperties;
import dev.gatehouse.authserver.login.MultiFactorPolicy;
import dev.gatehouse.authserver.login.SessionLogin;
import dev.gatehouse.authserver.passkey.PasskeyProperties;
import dev.gatehouse.authserver.tenant.LoginSettings;
import dev.gatehouse.authserver.user.LoginThrottle;

/** Second factors: authenticator apps, recovery codes, the policy and its throttle. */
@Configuration(proxyBeanMethods = false)
public class MfaConfiguration {

    /** Wrong codes of one user, from every address together, within the window. */
    static final int MFA_FAILURES_PER_USER = 10;

    @Bean
    AuthenticatorApps authenticatorApps(JdbcClient jdbc, Clock clock) {
        return new AuthenticatorApps(jdbc, clock);
    }

    @Bean
    RecoveryCodes recoveryCodes(JdbcClient jdbc) {
        return new RecoveryCodes(jdbc);
    }

    @Bean
    MultiFactorPolicy multiFactorPolicy(LoginSettings settings) {
        return new MultiFactorPolicy(settings);
    }

    @Bean
    SessionLogin sessionLogin(Clock clock) {
        return new SessionLogin(clock);
    }

    /**
     * Guessing of second-factor codes, counted like password guesses (same limits, same
     * table, own counters), plus a counter for the user from every address: whoever
     * reaches the code step holds the password already, and could otherwise spread six
     * digits' worth of guesses over as many addresses as they have.
     */
    @Bean
    LoginThrottle mfaThrottle(JdbcClient jdbc, PlatformTransactionManager transactions, GatehouseProperties properties,
            Clock clock) {
        return new LoginThrottle("mfa", jdbc, new TransactionTemplate(transactions), properties.loginThrottle(), clock,
                MFA_FAILURES_PER_USER);
    }

    @Bean
    MfaController.IssuerName authenticatorAppIssuerName(PasskeyProperties passkeys) {
        return new MfaController.IssuerName(passkeys.rpName());
    }

}
