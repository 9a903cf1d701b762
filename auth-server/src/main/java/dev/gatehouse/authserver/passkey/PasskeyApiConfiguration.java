package dev.gatehouse.authserver.passkey;

import java.time.Clock;
import java.util.Set;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.oauth2.core.OAuth2Token;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationGrantAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenGenerator;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.OrRequestMatcher;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.filter.CorsFilter;

import dev.gatehouse.authserver.client.ClientCorsConfigurationSource;
import dev.gatehouse.authserver.tenant.LoginSettings;
import dev.gatehouse.authserver.tenant.TenantDirectory;
import dev.gatehouse.authserver.user.UserDirectory;
import dev.gatehouse.authserver.web.JsonFormRequestFilter;

/**
 * The SDK's passkey API: {@code /passkey/register} and {@code /passkey/challenge} on
 * their own filter chain (JSON in, no session, no CSRF token: the app calls them from its
 * own origin, with CORS for the origins of the client it names), and the parts of the
 * webauthn grant the token endpoint uses.
 */
@Configuration(proxyBeanMethods = false)
public class PasskeyApiConfiguration {

    @Bean
    PasskeyAuthSessions passkeyAuthSessions(JdbcClient jdbc, Clock clock) {
        return new PasskeyAuthSessions(jdbc, clock);
    }

    @Bean
    PasskeyClients passkeyClients(TenantDirectory tenants, RegisteredClientRepository clients,
            PasswordEncoder passwordEncoder, LoginSettings settings, RelyingParty relyingParty) {
        return new PasskeyClients(tenants, clients, passwordEncoder, settings, relyingParty);
    }

    @Bean
    PasskeyGrants passkeyGrants(PasskeyAuthSessions sessions, PasskeyClients clients, RelyingParty relyingParty,
            PasskeyUsers passkeyUsers, JdbcClient jdbc, UserDirectory users, TenantDirectory tenants,
            TransactionTemplate transactions, Clock clock) {
        return new PasskeyGrants(sessions, clients, relyingParty, passkeyUsers, new SignedUpUsers(jdbc, clock), users,
                tenants, transactions, clock);
    }

    @Bean
    @Order(1)
    SecurityFilterChain passkeyApiChain(HttpSecurity http, TenantDirectory tenants) throws Exception {
        Set<String> paths = Set.of(PasskeyApiController.REGISTER, PasskeyApiController.CHALLENGE);
        PathPatternRequestMatcher.Builder match = PathPatternRequestMatcher.withDefaults();
        http.securityMatcher(new OrRequestMatcher(match.matcher(HttpMethod.POST, PasskeyApiController.REGISTER),
                match.matcher(HttpMethod.POST, PasskeyApiController.CHALLENGE),
                match.matcher(HttpMethod.OPTIONS, PasskeyApiController.REGISTER),
                match.matcher(HttpMethod.OPTIONS, PasskeyApiController.CHALLENGE)))
            .authorizeHttpRequests((authorize) -> authorize.anyRequest().permitAll())
            .cors((cors) -> cors.disable())
            .addFilter(new ClientCorsConfigurationSource(tenants, paths, Set.of()).filter())
            .addFilterBefore(new JsonFormRequestFilter(paths), CorsFilter.class)
            .csrf((csrf) -> csrf.disable())
            .sessionManagement((sessions) -> sessions.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
            .requestCache((cache) -> cache.disable())
            .securityContext((context) -> context.disable())
            .anonymous((anonymous) -> anonymous.disable());
        return http.build();
    }

    /**
     * What the token endpoint needs for the webauthn grant; its provider is made by the
     * authorization server's configuration, which owns the token generator.
     */
    public static final class PasskeyGrants {

        final PasskeyAuthSessions sessions;

        final PasskeyClients clients;

        final RelyingParty relyingParty;

        final PasskeyUsers passkeyUsers;

        final SignedUpUsers signups;

        final UserDirectory users;

        final TenantDirectory tenants;

        final TransactionTemplate transactions;

        final Clock clock;

        PasskeyGrants(PasskeyAuthSessions sessions, PasskeyClients clients, RelyingParty relyingParty,
                PasskeyUsers passkeyUsers, SignedUpUsers signups, UserDirectory users, TenantDirectory tenants,
                TransactionTemplate transactions, Clock clock) {
            this.sessions = sessions;
            this.clients = clients;
            this.relyingParty = relyingParty;
            this.passkeyUsers = passkeyUsers;
            this.signups = signups;
            this.users = users;
            this.tenants = tenants;
            this.transactions = transactions;
            this.clock = clock;
        }

        /**
         * The provider of the webauthn grant, issuing with {@code tokens}, binding them
         * to the key of the request's DPoP proof as {@code proofs} verifies it.
         */
        public PasskeyGrant.Provider provider(OAuth2AuthorizationService authorizations,
                OAuth2TokenGenerator<? extends OAuth2Token> tokens,
                Function<OAuth2AuthorizationGrantAuthenticationToken, @Nullable Jwt> proofs) {
            return new PasskeyGrant.Provider(this, authorizations, tokens, proofs);
        }

    }

}
