package dev.gatehouse.authserver.key;

import java.time.Clock;
import java.util.List;
import java.util.Set;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.security.oauth2.jwt.JwtEncoder;
import org.springframework.security.oauth2.jwt.NimbusJwtEncoder;

import dev.gatehouse.authserver.config.GatehouseProperties;

/**
 * Persisted signing keys. Replaces Spring Boot's default {@code JWKSource}, which makes a
 * new key at every start and so invalidates every issued token on restart.
 */
@Configuration(proxyBeanMethods = false)
public class SigningKeyConfiguration {

    @Bean
    public SigningKeyService signingKeyService(JdbcClient jdbc, PlatformTransactionManager transactions,
            GatehouseProperties properties) {
        SigningKeyService service = new SigningKeyService(jdbc, new TransactionTemplate(transactions),
                properties.signingKeys(), Clock.systemUTC());
        service.initialize();
        return service;
    }

    /** Named {@code signingKeys} in health and in the readiness group. */
    @Bean
    SigningKeysReadiness signingKeysHealthIndicator(SigningKeyService keys) {
        return new SigningKeysReadiness(keys);
    }

    /**
     * Every published key (current, pre-published, retired in their grace period); the
     * JWKS shows their public parts. A look-up for a {@code kid} this instance does not
     * hold yet (a key another instance just made) re-reads the keys at once.
     */
    @Bean
    public JWKSource<SecurityContext> jwkSource(SigningKeyService keys) {
        return (selector, context) -> {
            List<JWK> found = selector.select(keys.jwkSet());
            Set<String> kids = selector.getMatcher().getKeyIDs();
            if (found.isEmpty() && kids != null && kids.size() == 1
                    && keys.reloadForUnknownKid(kids.iterator().next())) {
                found = selector.select(keys.jwkSet());
            }
            return found;
        };
    }

    /**
     * Signs with the current key only. Without the selector {@link NimbusJwtEncoder}
     * refuses to choose between several RS256 keys; with it, the chosen key's {@code kid}
     * is written into every token header.
     */
    @Bean
    public JwtEncoder jwtEncoder(JWKSource<SecurityContext> jwkSource, SigningKeyService keys,
            GatehouseProperties properties) {
        NativeSigningCrypto.install(properties.signingKeys().nativeCrypto());
        NimbusJwtEncoder encoder = new NimbusJwtEncoder(jwkSource);
        encoder.setJwkSelector(candidates -> {
            String kid = keys.currentKid();
            for (JWK jwk : candidates) {
                if (kid.equals(jwk.getKeyID())) {
                    return jwk;
                }
            }
            throw new IllegalStateException("The current signing key " + kid + " is not among the candidates");
        });
        return encoder;
    }

}
