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
 * @param privateScopedPermission the permission (scope) a token must carry for
 * {@code /api/private-scoped}: in its {@code scope} string or its {@code permissions}
 * array; named in the 403 challenge, so it must be a valid RFC 6749 scope token
 * @param dpop DPoP-bound tokens (RFC 9449): whether they are required, and which proof
 * algorithms are accepted
 */
@ConfigurationProperties("gatehouse.api")
public record ApiProperties(@DefaultValue Cors cors, @DefaultValue Jwt jwt,
        @DefaultValue(ApiProperties.DEFAULT_PRIVATE_SCOPED_PERMISSION) String privateScopedPermission,
        @DefaultValue Dpop dpop) {

    /** The quickstart's permission, {@code read:messages}. */
    public static final String DEFAULT_PRIVATE_SCOPED_PERMISSION = "read:messages";

    public ApiProperties {
        if (!isScopeToken(privateScopedPermission)) {
            throw new IllegalArgumentException("gatehouse.api.private-scoped-permission must be one scope token such "
                    + "as read:messages (printable ASCII without spaces, quotes or backslashes), got '"
                    + privateScopedPermission + "'");
        }
    }

    /**
     * RFC 6749 section 3.3: {@code scope-token = 1*( %x21 / %x23-5B / %x5D-7E )}.
     * Anything else could not be named in the {@code WWW-Authenticate} challenge as it
     * is.
     */
    private static boolean isScopeToken(String value) {
        if (value == null || value.isEmpty()) {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x21 || c > 0x7E || c == '"' || c == '\\') {
                return false;
            }
        }
        return true;
    }

    /**
     * @param required accept only DPoP-bound access tokens sent with a DPoP proof
     * ({@code Authorization: DPoP}); every bearer token gets 401 with a DPoP challenge.
     * When {@code false}, bearer tokens work and DPoP-bound tokens work with their proof
     * (a bound token sent as bearer is refused either way)
     * @param algorithms the JWS algorithms a DPoP proof may be signed with (RSA and EC
     * only), named in the {@code algs} of every DPoP challenge
     * @param nativeCrypto verify proofs through Amazon Corretto Crypto Provider (AWS-LC)
     * where it loads (Linux x86-64): an ES256 check at about a seventh of the JDK's cost
     */
    public record Dpop(@DefaultValue("false") boolean required, @DefaultValue( {
            "ES256", "RS256", "PS256" }) List<String> algorithms, @DefaultValue("true") boolean nativeCrypto){

        private static final List<String> VERIFIABLE = List.of("ES256", "ES384", "ES512", "RS256", "RS384", "RS512",
                "PS256", "PS384", "PS512");

        public Dpop {
            List<String> names = new java.util.ArrayList<>();
            for (String name : algorithms) {
                String upper = name.trim().toUpperCase(java.util.Locale.ROOT);
                if (!VERIFIABLE.contains(upper)) {
                    throw new IllegalArgumentException(
                            "gatehouse.api.dpop.algorithms: " + name + " is not allowed; choose from " + VERIFIABLE);
                }
                if (!names.contains(upper)) {
                    names.add(upper);
                }
            }
            if (names.isEmpty()) {
                throw new IllegalArgumentException("gatehouse.api.dpop.algorithms must name at least one algorithm");
            }
            algorithms = List.copyOf(names);
        }

    }

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
     * @param issuerAliases other {@code iss} values accepted besides the issuer, for the
     * same authorization server on another address with the same keys: Gatehouse's HTTPS
     * address (like an Auth0 custom domain), which names itself as issuer to the SDK's
     * passkey API; empty accepts the issuer alone
     */
    public record Jwt(@Nullable List<String> algorithms, @DefaultValue("60s") Duration clockSkew,
            @DefaultValue("30s") Duration jwksRefreshCooldown, @DefaultValue("2s") Duration jwksTimeout,
            @DefaultValue("10m") Duration jwksCacheLifetime, @DefaultValue("1024") int verifiedTokenCacheSize,
            @DefaultValue("https://localhost:9443/") List<String> issuerAliases) {
    }

}
