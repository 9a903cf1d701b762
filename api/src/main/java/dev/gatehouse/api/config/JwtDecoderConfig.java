package dev.gatehouse.api.config;

import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import com.nimbusds.jose.JWSAlgorithm;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.security.oauth2.server.resource.autoconfigure.OAuth2ResourceServerProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.util.StringUtils;

import dev.gatehouse.api.token.AccessTokenClaimsVerifier;
import dev.gatehouse.api.token.IssuerKeys;
import dev.gatehouse.api.token.StrictJwtDecoder;

/**
 * Builds the API's {@link JwtDecoder} from Boot's standard resource-server properties
 * plus {@link ApiProperties}. Nothing here talks to the issuer: keys (and, without
 * {@code jwk-set-uri}, the JWKS address) are fetched on the first token, so the API
 * starts and serves public endpoints while the issuer is down.
 */
@Configuration(proxyBeanMethods = false)
class JwtDecoderConfig {

    private static final Logger logger = LoggerFactory.getLogger(JwtDecoderConfig.class);

    /**
     * What the allow-list may contain: asymmetric signatures Nimbus verifies without
     * extra libraries.
     */
    private static final Set<JWSAlgorithm> SUPPORTED = Set.of(JWSAlgorithm.RS256, JWSAlgorithm.RS384,
            JWSAlgorithm.RS512, JWSAlgorithm.PS256, JWSAlgorithm.PS384, JWSAlgorithm.PS512, JWSAlgorithm.ES256,
            JWSAlgorithm.ES384, JWSAlgorithm.ES512);

    @Bean
    IssuerKeys issuerKeys(OAuth2ResourceServerProperties resourceServer, ApiProperties api) {
        OAuth2ResourceServerProperties.Jwt jwt = resourceServer.getJwt();
        ApiProperties.Jwt settings = api.jwt();
        String jwkSetUri = jwt.getJwkSetUri();
        URI jwksUri = StringUtils.hasText(jwkSetUri) ? URI.create(jwkSetUri.trim()) : null;
        return new IssuerKeys(issuer(jwt), jwksUri, algorithms(jwt, settings), positive(settings.jwksRefreshCooldown()),
                positive(settings.jwksTimeout()), positive(settings.jwksCacheLifetime()));
    }

    @Bean
    JwtDecoder jwtDecoder(OAuth2ResourceServerProperties resourceServer, ApiProperties api, IssuerKeys keys) {
        OAuth2ResourceServerProperties.Jwt jwt = resourceServer.getJwt();
        List<String> audiences = jwt.getAudiences().stream().filter(StringUtils::hasText).map(String::trim).toList();
        if (audiences.isEmpty()) {
            throw new IllegalStateException("spring.security.oauth2.resourceserver.jwt.audiences must name this API's "
                    + "identifier (e.g. https://gatehouse.local/api): tokens for other APIs must not be accepted");
        }
        Duration skew = api.jwt().clockSkew();
        if (skew.compareTo(AccessTokenClaimsVerifier.MAX_CLOCK_SKEW) > 0) {
            logger.warn("gatehouse.api.jwt.clock-skew={} is above the 60 s maximum; using 60 s", skew);
        }
        Set<JWSAlgorithm> algorithms = algorithms(jwt, api.jwt());
        Set<String> issuers = new LinkedHashSet<>();
        issuers.add(issuer(jwt));
        api.jwt().issuerAliases().stream().filter(StringUtils::hasText).map(String::trim).forEach(issuers::add);
        logger.info("Accepting access tokens from issuer {} for audience(s) {}, signed with {}", issuers, audiences,
                algorithms);
        return new StrictJwtDecoder(algorithms, keys, issuers, Set.copyOf(audiences), skew,
                api.jwt().verifiedTokenCacheSize());
    }

    private static String issuer(OAuth2ResourceServerProperties.Jwt jwt) {
        if (!StringUtils.hasText(jwt.getIssuerUri())) {
            throw new IllegalStateException("spring.security.oauth2.resourceserver.jwt.issuer-uri must be set: "
                    + "every token's iss is compared with it, exactly");
        }
        // Compared as an exact string: http://localhost:9000/ and http://localhost:9000
        // are different issuers.
        return jwt.getIssuerUri().trim();
    }

    static Set<JWSAlgorithm> algorithms(OAuth2ResourceServerProperties.Jwt jwt, ApiProperties.Jwt settings) {
        List<String> names = (settings.algorithms() != null && !settings.algorithms().isEmpty()) ? settings.algorithms()
                : jwt.getJwsAlgorithms();
        Set<JWSAlgorithm> algorithms = new LinkedHashSet<>();
        for (String name : names) {
            JWSAlgorithm algorithm = JWSAlgorithm.parse(name.trim().toUpperCase(Locale.ROOT));
            if (!SUPPORTED.contains(algorithm)) {
                throw new IllegalStateException("gatehouse.api.jwt.algorithms: " + name
                        + " is not allowed; choose from " + SUPPORTED + " (never none, never HMAC)");
            }
            algorithms.add(algorithm);
        }
        if (algorithms.isEmpty()) {
            throw new IllegalStateException("gatehouse.api.jwt.algorithms must name at least one algorithm");
        }
        return algorithms;
    }

    private static Duration positive(Duration duration) {
        return (duration.isNegative() || duration.isZero()) ? Duration.ofMillis(1) : duration;
    }

}
