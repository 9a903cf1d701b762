package dev.gatehouse.api.token;

import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.BadJWSException;
import com.nimbusds.jose.proc.JOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;

/**
 * Spring's {@link NimbusJwtDecoder} over a Nimbus processor wired with our key selector
 * and claims verifier, plus the one thing neither library does for us: every failure
 * becomes a {@link BadJwtException} (so a 401, never the 500 Spring answers to other
 * {@link JwtException}s) whose message is safe to show a client.
 */
public final class StrictJwtDecoder implements JwtDecoder {

    /**
     * Far above any real access token (Auth0's are 1 to 2 KB); bounds parsing work on
     * hostile input.
     */
    static final int MAX_TOKEN_CHARS = 16 * 1024;

    /**
     * Auth0 sends {@code typ: JWT}, RFC 9068 says {@code at+jwt}; some issuers send none.
     * Anything else is refused.
     */
    private static final Set<String> ACCEPTED_TYPES = Set.of("jwt", "at+jwt", "application/at+jwt");

    private final NimbusJwtDecoder delegate;

    private final IssuerKeys keys;

    private final long skewSeconds;

    private final int cacheSize;

    private final Map<String, Verified> verified;

    /**
     * @param verifiedCacheSize how many verified tokens to remember (0: none); see
     * {@link #decode(String)}
     */
    public StrictJwtDecoder(Set<JWSAlgorithm> algorithms, IssuerKeys keys, String issuer, Set<String> audiences,
            Duration clockSkew, int verifiedCacheSize) {
        this(algorithms, keys, Set.of(issuer), audiences, clockSkew, verifiedCacheSize);
    }

    /**
     * @param issuers the {@code iss} values accepted: the issuer and the addresses it
     * also answers on with the same keys (its HTTPS address)
     * @param verifiedCacheSize how many verified tokens to remember (0: none); see
     * {@link #decode(String)}
     */
    public StrictJwtDecoder(Set<JWSAlgorithm> algorithms, IssuerKeys keys, Set<String> issuers, Set<String> audiences,
            Duration clockSkew, int verifiedCacheSize) {
        this.keys = keys;
        this.skewSeconds = AccessTokenClaimsVerifier.clampSkew(clockSkew).toSeconds();
        this.cacheSize = Math.max(0, verifiedCacheSize);
        this.verified = new ConcurrentHashMap<>();
        DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
        processor.setJWSTypeVerifier(typeVerifier());
        processor.setJWSKeySelector(new StrictKeySelector(algorithms, keys));
        processor
            .setJWTClaimsSetVerifier(new AccessTokenClaimsVerifier(issuers, audiences, clockSkew, Clock.systemUTC()));
        this.delegate = new NimbusJwtDecoder(processor);
        // Every claim rule runs above, on the raw claims; Spring's default validators
        // would only repeat some of them.
        this.delegate.setJwtValidator((jwt) -> OAuth2TokenValidatorResult.success());
    }

    private static JOSEObjectTypeVerifier<SecurityContext> typeVerifier() {
        return (type, context) -> {
            if (type != null && !ACCEPTED_TYPES.contains(type.getType().toLowerCase(Locale.ROOT))) {
                throw new BadJOSEException("unexpected typ");
            }
        };
    }

    /**
     * Verifies the token, or finds it among the tokens verified earlier under the same
     * key set. A client sends the same access token again and again until it expires;
     * checking its RSA signature once is enough, since the same string cannot carry other
     * claims. A remembered token is still checked against the clock ({@code exp},
     * {@code nbf}), and is forgotten when the issuer's keys change (a withdrawn key must
     * stop working) or when the cache is full. Only tokens that passed every check are
     * remembered, so forged tokens cannot fill it.
     */
    @Override
    public Jwt decode(String token) throws JwtException {
        if (token.length() > MAX_TOKEN_CHARS) {
            throw new BadJwtException("The token is too large");
        }
        Object generation = this.keys.generation();
        Verified known = (this.cacheSize > 0) ? this.verified.get(token) : null;
        if (known != null && known.generation() == generation && inTime(known.jwt())) {
            return known.jwt();
        }
        Jwt jwt;
        try {
            jwt = this.delegate.decode(token);
        }
        catch (JwtException | IllegalArgumentException ex) {
            throw new BadJwtException(describe(ex), ex);
        }
        if (this.cacheSize > 0) {
            if (this.verified.size() >= this.cacheSize) {
                // Crude but bounded: real clients reuse few tokens, so a full cache is
                // rare and refills fast.
                this.verified.clear();
            }
            this.verified.put(token, new Verified(jwt, generation));
        }
        return jwt;
    }

    private boolean inTime(Jwt jwt) {
        Instant now = Instant.now();
        Instant exp = jwt.getExpiresAt();
        Instant nbf = jwt.getNotBefore();
        return exp != null && now.minusSeconds(this.skewSeconds).isBefore(exp)
                && (nbf == null || !now.plusSeconds(this.skewSeconds).isBefore(nbf));
    }

    private record Verified(Jwt jwt, Object generation) {
    }

    /**
     * A fixed, client-safe description: ours when we rejected the token, a generic one
     * when a library did.
     */
    static String describe(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof TokenRejection rejection) {
                return rejection.getMessage();
            }
        }
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof ParseException) {
                return "The token is malformed";
            }
            if (cause instanceof BadJWSException) {
                return "The token signature is invalid";
            }
            if (cause instanceof BadJOSEException && "unexpected typ".equals(cause.getMessage())) {
                return "The token type (typ) is not an access token type";
            }
        }
        String message = failure.getMessage();
        if (message != null && message.startsWith("Unsupported algorithm")) {
            return "The token is signed with an algorithm this API does not accept";
        }
        if (message != null && message.contains("Malformed")) {
            return "The token is malformed";
        }
        return "The token is invalid";
    }

}
