package dev.gatehouse.authserver.dpop;

import java.time.Clock;
import java.time.Duration;

import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.jdbc.core.simple.JdbcClient;

import dev.gatehouse.authserver.cleanup.CleanupStatement;
import dev.gatehouse.authserver.config.AuthorizationServerConfig;
import dev.gatehouse.authserver.tenant.TenantDirectory;

/**
 * DPoP (RFC 9449) at the token endpoint: proof checks before SAS's, the {@code cnf.jkt}
 * binding, server nonces when {@code gatehouse.dpop.nonce} is on, and the cleanup of
 * spent proof ids. {@code AuthorizationServerConfig} wires these into SAS.
 */
@Configuration(proxyBeanMethods = false)
public class DPoPConfiguration {

    @Bean
    DPoPNonces dpopNonces(JdbcClient jdbc, Clock clock, DPoPProperties properties) {
        return new DPoPNonces(jdbc, clock, properties.nonceLifetime());
    }

    @Bean
    TokenEndpointProofs tokenEndpointProofs(JdbcClient jdbc, Clock clock, DPoPProperties properties,
            DPoPNonces nonces) {
        return new TokenEndpointProofs(properties.signingAlgorithms(), new ProofReplayStore(jdbc),
                properties.nonce() ? nonces : null, clock);
    }

    @Bean
    DPoPConfirmation dpopConfirmation(TenantDirectory tenants) {
        return new DPoPConfirmation(tenants);
    }

    @Bean
    FilterRegistrationBean<DPoPNonceHeader> dpopNonceHeader(DPoPNonces nonces, DPoPProperties properties) {
        FilterRegistrationBean<DPoPNonceHeader> registration = new FilterRegistrationBean<>(
                new DPoPNonceHeader(nonces));
        registration.addUrlPatterns(AuthorizationServerConfig.TOKEN);
        registration.setEnabled(properties.nonce());
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
        return registration;
    }

    /** Spent proof ids, once their proofs would be refused for their age anyway. */
    @Bean
    CleanupStatement dpopProofJtiCleanup() {
        return new CleanupStatement("dpop_proof_jti", "DELETE FROM dpop_proof_jti WHERE expires_at < ?", Duration.ZERO);
    }

}
