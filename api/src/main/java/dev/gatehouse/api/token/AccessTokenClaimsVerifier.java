package dev.gatehouse.api.token;

import java.time.Clock;
import java.time.Duration;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.BadJWTException;
import com.nimbusds.jwt.proc.JWTClaimsSetVerifier;

import dev.gatehouse.api.token.TokenRejection.ClaimsRejection;

/**
 * Checks the claims of a correctly signed access token: {@code exp} required, {@code nbf}
 * and {@code iat} not in the future, {@code iss} equal to the configured issuer (or one
 * of its aliases) as an exact string, {@code aud} naming one of our audiences, and
 * {@code cnf}, when present, an object whose only member, if any, is {@code jkt}, a
 * string.
 * <p>
 * Runs on the raw claims Nimbus parsed, before Spring maps them: Spring's mapping invents
 * an {@code iat} when it is missing and turns {@code iss} into a URL, both of which would
 * blur the checks. The messages are ours and name no expected value, so a caller learns
 * which rule failed but not our configuration.
 */
public final class AccessTokenClaimsVerifier implements JWTClaimsSetVerifier<SecurityContext> {

    /** The most leeway we grant on timestamps, whatever is configured. */
    public static final Duration MAX_CLOCK_SKEW = Duration.ofSeconds(60);

    private final Set<String> issuers;

    private final Set<String> audiences;

    private final long skewMillis;

    private final Clock clock;

    public AccessTokenClaimsVerifier(String issuer, Set<String> audiences, Duration clockSkew, Clock clock) {
        this(Set.of(issuer), audiences, clockSkew, clock);
    }

    /**
     * @param issuers the accepted {@code iss} values, each compared as an exact string:
     * the issuer and its aliases (the same server on its HTTPS address)
     */
    public AccessTokenClaimsVerifier(Set<String> issuers, Set<String> audiences, Duration clockSkew, Clock clock) {
        this.issuers = Set.copyOf(issuers);
        this.audiences = Set.copyOf(audiences);
        this.skewMillis = clampSkew(clockSkew).toMillis();
        this.clock = clock;
    }

    public static Duration clampSkew(Duration skew) {
        if (skew.isNegative()) {
            return Duration.ZERO;
        }
        return (skew.compareTo(MAX_CLOCK_SKEW) > 0) ? MAX_CLOCK_SKEW : skew;
    }

    @Override
    public void verify(JWTClaimsSet claims, SecurityContext context) throws BadJWTException {
        long now = this.clock.millis();
        Date exp = claims.getExpirationTime();
        if (exp == null) {
            throw new ClaimsRejection("The token has no expiry time (exp)");
        }
        if (now - this.skewMillis >= exp.getTime()) {
            throw new ClaimsRejection("The token has expired");
        }
        Date nbf = claims.getNotBeforeTime();
        if (nbf != null && now + this.skewMillis < nbf.getTime()) {
            throw new ClaimsRejection("The token is not valid yet (nbf)");
        }
        Date iat = claims.getIssueTime();
        if (iat != null && now + this.skewMillis < iat.getTime()) {
            throw new ClaimsRejection("The token claims to be issued in the future (iat)");
        }
        if (!(claims.getClaim("iss") instanceof String iss) || !this.issuers.contains(iss)) {
            throw new ClaimsRejection("The token was not issued by the trusted issuer");
        }
        if (!hasOurAudience(claims.getClaim("aud"))) {
            throw new ClaimsRejection("The token is not meant for this API (aud)");
        }
        Object cnf = claims.getClaim("cnf");
        if (!wellFormedConfirmation(cnf)) {
            throw new ClaimsRejection("The token's confirmation claim (cnf) is malformed");
        }
        if (!checkableConfirmation(cnf)) {
            throw new ClaimsRejection("The token is bound to a key this API cannot check (only cnf.jkt, DPoP)");
        }
    }

    /**
     * {@code cnf} absent, or an object (RFC 7800) whose {@code jkt}, if present, is a
     * non-blank string (RFC 9449 section 6.1), and which names no other confirmation
     * method. Decided here, once, for both schemes: any other shape would read as "not
     * DPoP-bound" to our code and make Spring's bearer filter fail converting it (a 500),
     * and a token bound to what this API cannot check (a client certificate's
     * {@code x5t#S256}, RFC 8705) must not pass as a bearer token.
     */
    private static boolean wellFormedConfirmation(Object cnf) {
        if (cnf == null) {
            return true;
        }
        if (!(cnf instanceof Map<?, ?> confirmation)) {
            return false;
        }
        return !confirmation.containsKey("jkt")
                || (confirmation.get("jkt") instanceof String thumbprint && !thumbprint.isBlank());
    }

    /** {@code cnf} absent, or naming no confirmation method but {@code jkt}. */
    private static boolean checkableConfirmation(Object cnf) {
        if (cnf instanceof Map<?, ?> confirmation) {
            for (Object method : confirmation.keySet()) {
                if (!"jkt".equals(method)) {
                    return false;
                }
            }
        }
        return true;
    }

    private boolean hasOurAudience(Object aud) {
        if (aud instanceof String single) {
            return this.audiences.contains(single);
        }
        if (aud instanceof List<?> many) {
            for (Object one : many) {
                if (one instanceof String value && this.audiences.contains(value)) {
                    return true;
                }
            }
        }
        return false;
    }

}
