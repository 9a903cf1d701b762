package dev.gatehouse.authserver.passkey;

import java.time.Clock;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.ObjectPostProcessor;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.core.userdetails.UsernameNotFoundException;
import org.springframework.security.web.access.intercept.AuthorizationFilter;
import org.springframework.security.web.authentication.HttpMessageConverterAuthenticationSuccessHandler;
import org.springframework.security.web.authentication.session.ChangeSessionIdAuthenticationStrategy;
import org.springframework.security.web.authentication.session.SessionAuthenticationStrategy;
import org.springframework.security.web.webauthn.authentication.WebAuthnAuthenticationFilter;

import dev.gatehouse.authserver.config.GatehouseProperties;
import dev.gatehouse.authserver.https.HttpsPort;
import dev.gatehouse.authserver.login.AfterPasswordLogin;
import dev.gatehouse.authserver.login.SavedRequests;
import dev.gatehouse.authserver.login.SecondFactors;
import dev.gatehouse.authserver.tenant.LoginSettings;

/**
 * Passkeys: the stores, the relying party, and Spring Security's WebAuthn filters on the
 * hosted pages ({@link #passkeyPages}).
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(PasskeyProperties.class)
public class PasskeyConfiguration {

    @Bean
    PasskeyUsers passkeyUsers(JdbcClient jdbc) {
        return new PasskeyUsers(jdbc);
    }

    @Bean
    PasskeyCredentials passkeyCredentials(JdbcTemplate jdbc, PasskeyUsers users, Clock clock) {
        return new PasskeyCredentials(jdbc, users, clock);
    }

    @Bean
    UsedChallenges usedChallenges(JdbcClient jdbc, Clock clock) {
        return new UsedChallenges(jdbc, clock);
    }

    @Bean
    SecondFactors secondFactors(JdbcClient jdbc) {
        return new SecondFactors(jdbc);
    }

    @Bean
    PasskeyEnrollment passkeyEnrollment(LoginSettings settings, SecondFactors factors) {
        return new PasskeyEnrollment(settings, factors);
    }

    @Bean
    RelyingParty relyingParty(PasskeyUsers users, PasskeyCredentials credentials, PasskeyProperties properties,
            GatehouseProperties gatehouse) {
        return new RelyingParty(users, credentials, properties, gatehouse.issuer());
    }

    @Bean
    AfterPasswordLogin afterPasswordLogin(LoginSettings settings, SecondFactors factors) {
        return new AfterPasswordLogin(settings, factors);
    }

    /** The one relying party Spring Security's WebAuthn configurer picks up. */
    @Bean
    HostedPasskeys hostedPasskeys(RelyingParty relyingParty, PasskeyUsers users, PasskeyEnrollment enrollment,
            GatehouseProperties gatehouse, HttpsPort https) {
        return new HostedPasskeys(relyingParty, users, enrollment, gatehouse.issuer(), https);
    }

    /**
     * Spring Security's WebAuthn filters on the pages chain: sign-in with a passkey
     * ({@code /webauthn/authenticate/options}, {@code /login/webauthn}), registration
     * ({@code /webauthn/register/options}, {@code /webauthn/register}), with every
     * challenge good for one answer and the session principal in the shape the protocol
     * code expects.
     */
    @Bean
    Customizer<HttpSecurity> passkeyPages(HostedPasskeys operations, PasskeyUsers users, LoginSettings settings,
            UsedChallenges used, Clock clock) {
        return (http) -> {
            try {
                // Required by the configurer for its own provider, which is replaced
                // below;
                // it must never find anyone.
                http.setSharedObject(UserDetailsService.class, (username) -> {
                    throw new UsernameNotFoundException("passkey sign-in does not load users by name");
                });
                http.addFilterBefore(new WebAuthnErrors(), AuthorizationFilter.class);
                http.webAuthn((webauthn) -> webauthn.disableDefaultRegistrationPage(true)
                    .creationOptionsRepository(OneTimeChallenges.creations(used))
                    .withObjectPostProcessor(new ObjectPostProcessor<WebAuthnAuthenticationFilter>() {
                        @Override
                        public <O extends WebAuthnAuthenticationFilter> O postProcess(O filter) {
                            filter.setAuthenticationManager(
                                    new ProviderManager(new PasskeyLoginProvider(operations, users, settings, clock)));
                            filter.setRequestOptionsRepository(OneTimeChallenges.requests(used));
                            // The sign-in's JSON names the interrupted request by its
                            // path.
                            HttpMessageConverterAuthenticationSuccessHandler success = new HttpMessageConverterAuthenticationSuccessHandler();
                            success.setRequestCache(new SavedRequests());
                            filter.setAuthenticationSuccessHandler(success);
                            filter.setAuthenticationFailureHandler(WebAuthnErrors.signInRefused());
                            // A passkey as second factor keeps the password factor of the
                            // same user's session.
                            filter.setMfaEnabled(true);
                            // A sign-in or a stronger session gets a new session id, as a
                            // password login does: the configurer leaves this filter
                            // without one, so a session id planted before the passkey
                            // step became the signed-in (even multi-factor) session.
                            SessionAuthenticationStrategy sessions = http
                                .getSharedObject(SessionAuthenticationStrategy.class);
                            filter.setSessionAuthenticationStrategy(
                                    sessions != null ? sessions : new ChangeSessionIdAuthenticationStrategy());
                            return filter;
                        }
                    }));
            }
            catch (Exception ex) {
                throw new IllegalStateException(ex);
            }
        };
    }

}
