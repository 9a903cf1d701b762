package dev.gatehouse.api.token;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.nimbusds.jose.jwk.JWK;
import org.jspecify.annotations.Nullable;
import org.springframework.security.oauth2.core.ClaimAccessor;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.OAuth2Token;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jwt.DPoPProofContext;
import org.springframework.security.oauth2.jwt.DPoPProofJwtDecoderFactory;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtDecoderFactory;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.jwt.JwtValidationException;

import dev.gatehouse.api.token.TokenRejection.ProofRejection;

/**
 * The claim checks of a DPoP proof sent with an access token (RFC 9449 section 4.3), for
 * Spring Security's {@link DPoPProofJwtDecoderFactory}, which keeps doing the rest
 * ({@code typ dpop+jwt}, a public RSA or EC {@code jwk}, the signature with it).
 *
 * <p>
 * Spring's default checks are replaced rather than extended because they accept every RSA
 * and EC algorithm, compare {@code htu} as a plain string, and remember {@code jti}s in a
 * map of a thousand entries shared by the JVM (a captured proof passes again after a
 * thousand others). These run in order and stop at the first failure, so each refusal
 * names one reason: the allowed algorithms, {@code htm}, {@code htu} (scheme and host
 * compared case-insensitively, default ports ignored, as RFC 9449 section 4.3 asks),
 * {@code iat} within the window and not before this API started (the replay cache forgets
 * on restart), {@code ath} = SHA-256 of the access token, the proof's key = the token's
 * {@code cnf.jkt}, and last the {@code jti} once ({@link ProofReplayCache}), so only a
 * proof that passed everything else is remembered.
 */
public final class DPoPProofChecks {

    /** How old a proof may be (RFC 9449 leaves it to the server; Spring uses 60 s). */
    public static final Duration MAX_AGE = Duration.ofSeconds(60);

    private final List<String> algorithms;

    private final Duration futureSkew;

    private final ProofReplayCache replays;

    private final Clock clock;

    private final DPoPProofJwtDecoderFactory decoders = new DPoPProofJwtDecoderFactory();

    private static final int THUMBPRINT_CACHE_SIZE = 10_000;

    private final Map<String, String> thumbprints = new ConcurrentHashMap<>();

    /**
     * @param futureSkew how far in the future a proof's {@code iat} may be (the client's
     * clock running ahead)
     */
    public DPoPProofChecks(List<String> algorithms, Duration futureSkew, ProofReplayCache replays, Clock clock) {
        this.algorithms = List.copyOf(algorithms);
        this.futureSkew = futureSkew;
        this.replays = replays;
        this.clock = clock;
        this.decoders.setJwtValidatorFactory((context) -> validator(context));
    }

    /**
     * For {@code DPoPAuthenticationProvider#setDPoPProofVerifierFactory}: Spring's
     * decoders, whose refusals carry a reason a client can act on. A failure of the
     * checks here keeps its own description; one of Spring's or Nimbus's steps before
     * them gets a fixed one from {@link UndecodableProof}.
     */
    public JwtDecoderFactory<DPoPProofContext> decoders() {
        return (context) -> {
            JwtDecoder decoder = this.decoders.createDecoder(context);
            return (proof) -> {
                try {
                    return decoder.decode(proof);
                }
                catch (JwtValidationException ex) {
                    throw ex;
                }
                catch (JwtException ex) {
                    throw new ProofRejection(UndecodableProof.describe(proof), ex);
                }
            };
        };
    }

    /** The algorithms a proof may be signed with, as the {@code algs} of a challenge. */
    public List<String> algorithms() {
        return this.algorithms;
    }

    private OAuth2TokenValidator<Jwt> validator(DPoPProofContext context) {
        return (proof) -> {
            String failure = firstFailure(proof, context);
            if (failure == null) {
                failure = switch (this.replays.record(proof.getId())) {
                    case FIRST_USE -> null;
                    case REPLAY -> "The DPoP proof was used before (jti replayed)";
                    case FULL -> "The API is receiving more DPoP proofs than it can remember; try again shortly";
                };
            }
            return (failure == null) ? OAuth2TokenValidatorResult.success() : OAuth2TokenValidatorResult
                .failure(new OAuth2Error(OAuth2ErrorCodes.INVALID_DPOP_PROOF, failure, null));
        };
    }

    private @Nullable String firstFailure(Jwt proof, DPoPProofContext context) {
        if (!this.algorithms.contains(String.valueOf(proof.getHeaders().get("alg")))) {
            return "The DPoP proof's alg must be one of " + String.join(", ", this.algorithms);
        }
        if (!context.getMethod().equals(proof.getClaimAsString("htm"))) {
            return "The DPoP proof's htm does not match the request method";
        }
        if (!sameTarget(proof.getClaimAsString("htu"), context.getTargetUri())) {
            return "The DPoP proof's htu does not match the request URL";
        }
        Instant issuedAt = issuedAt(proof);
        Instant now = this.clock.instant();
        if (issuedAt == null) {
            return "The DPoP proof has no iat";
        }
        if (issuedAt.isBefore(now.minus(MAX_AGE)) || issuedAt.isAfter(now.plus(this.futureSkew))) {
            return "The DPoP proof's iat is too old or in the future";
        }
        if (issuedAt.isBefore(this.replays.rememberedSince())) {
            return "The DPoP proof was made before the API started (it may have been used already); make a new one";
        }
        String jti = proof.getId();
        if (jti == null || jti.isBlank() || jti.length() > 256) {
            return "The DPoP proof needs a jti (at most 256 characters)";
        }
        OAuth2Token accessToken = context.getAccessToken();
        String ath = proof.getClaimAsString("ath");
        if (ath == null) {
            return "The DPoP proof has no ath (the hash of the access token)";
        }
        if (accessToken == null || !ath.equals(sha256(accessToken.getTokenValue()))) {
            return "The DPoP proof's ath does not match the access token";
        }
        String jkt = boundKey(accessToken);
        if (jkt == null) {
            return "The access token is not DPoP-bound (no cnf.jkt)";
        }
        if (!jkt.equals(thumbprint(proof))) {
            return "The DPoP proof is not signed with the key the access token is bound to";
        }
        return null;
    }

    /**
     * {@code htu} against the request URL, both without query and fragment: same scheme,
     * host and port (defaults made explicit) and the same path.
     */
    static boolean sameTarget(@Nullable String htu, String requestUrl) {
        if (htu == null) {
            return false;
        }
        try {
            URI claimed = new URI(htu);
            URI actual = new URI(requestUrl);
            return claimed.getScheme() != null && claimed.getHost() != null
                    && claimed.getScheme().equalsIgnoreCase(actual.getScheme())
                    && claimed.getHost().equalsIgnoreCase(actual.getHost()) && port(claimed) == port(actual)
                    && path(claimed).equals(path(actual));
        }
        catch (URISyntaxException ex) {
            return false;
        }
    }

    private static int port(URI uri) {
        if (uri.getPort() != -1) {
            return uri.getPort();
        }
        return "https".equals(uri.getScheme().toLowerCase(Locale.ROOT)) ? 443 : 80;
    }

    private static String path(URI uri) {
        String path = uri.getRawPath();
        return (path == null || path.isEmpty()) ? "/" : path;
    }

    private static @Nullable Instant issuedAt(Jwt proof) {
        try {
            return proof.getIssuedAt();
        }
        catch (RuntimeException ex) {
            return null;
        }
    }

    /**
     * The {@code cnf.jkt} of an access token, or {@code null}. Tokens whose {@code cnf}
     * has another shape never get here: {@link AccessTokenClaimsVerifier} refuses them.
     */
    public static @Nullable String boundKey(@Nullable Object token) {
        Map<String, Object> claims = (token instanceof ClaimAccessor accessor) ? accessor.getClaims() : null;
        if (claims == null || !(claims.get("cnf") instanceof Map<?, ?> cnf)) {
            return null;
        }
        return (cnf.get("jkt") instanceof String jkt) ? jkt : null;
    }

    /**
     * The RFC 7638 thumbprint of the proof's key. A browser signs every proof with the
     * same key, so thumbprints are remembered by the key's members (bounded): parsing the
     * JWK again and hashing its canonical JSON on each request cost a tenth of a DPoP
     * request's CPU.
     */
    private @Nullable String thumbprint(Jwt proof) {
        if (!(proof.getHeaders().get("jwk") instanceof Map<?, ?> jwk)) {
            return null;
        }
        String members = String.valueOf(jwk.get("kty")) + '|' + jwk.get("crv") + '|' + jwk.get("x") + '|' + jwk.get("y")
                + '|' + jwk.get("n") + '|' + jwk.get("e");
        String known = this.thumbprints.get(members);
        if (known != null) {
            return known;
        }
        try {
            @SuppressWarnings("unchecked")
            String computed = JWK.parse((Map<String, Object>) jwk).computeThumbprint().toString();
            if (this.thumbprints.size() >= THUMBPRINT_CACHE_SIZE) {
                this.thumbprints.clear();
            }
            this.thumbprints.put(members, computed);
            return computed;
        }
        catch (Exception ex) {
            return null;
        }
    }

    private static String sha256(String value) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        }
        catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", ex);
        }
    }

}
