package dev.gatehouse.api.config;

import java.time.Duration;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.jspecify.annotations.Nullable;

/**
 * Settings of the API beyond Spring Boot's standard
 * {@code spring.security.oauth2.resourceserver.jwt.*} (which still name the issuer, the
 * audiences and the optional JWKS address). Every field is documented in
 * {@code api/README.md}.
 *
 * @param cors which browser origins may call the API
 * @param jwt how strictly and how thriftily access tokens are checked
 */
@ConfigurationProperties("gatehouse.api")
public record ApiProperties(@DefaultValue Cors cors, @DefaultValue Jwt jwt) {

    /**
     * @param allowedOrigins exact origins (scheme://host:port) allowed to call the API
     * from a browser
     */
    public record Cors(@DefaultValue("http://localhost:4200") List<String> allowedOrigins) {
    }

    /**
     * @param algorithms JWS algorithms accepted, whatever the JWKS says; when unset,
     * Boot's {@code spring.security.oauth2.resourceserver.jwt.jws-algorithms} (default
     * RS256) applies. HMAC and {@code none} are refused at startup.
     * @param clockSkew leeway for {@code exp}, {@code nbf} and {@code iat}; values above
     * 60 s are capped at 60 s
     * @param jwksRefreshCooldown least time between two JWKS fetches, however many
     * unknown {@code kid}s arrive
     * @param jwksTimeout connect timeout and response timeout of each call to the issuer;
     * a whole refresh (discovery plus JWKS), and so the longest a request waits for one,
     * is bounded by twice this
     * @param jwksCacheLifetime age after which cached keys are refreshed in the
     * background (they stay in use meanwhile and for as long as the issuer cannot be
     * reached)
     * @param verifiedTokenCacheSize how many verified tokens are remembered, so a token
     * sent again skips the signature check (still checked against the clock, forgotten
     * when the keys change); 0 turns this off
     */
    public record Jwt(@Nullable List<String> algorithms, @DefaultValue("60s") Duration clockSkew,
            @DefaultValue("30s") Duration jwksRefreshCooldown, @DefaultValue("2s") Duration jwksTimeout,
            @DefaultValue("10m") Duration jwksCacheLifetime, @DefaultValue("1024") int verifiedTokenCacheSize) {
    }

}
