package dev.gatehouse.authserver.dpop;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jwt.SignedJWT;
import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jwt.DPoPProofContext;
import org.springframework.security.oauth2.jwt.DPoPProofJwtDecoderFactory;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.jwt.JwtValidationException;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationGrantAuthenticationToken;

/**
 * Checks the DPoP proof of a token request before SAS sees it (auth0-compatibility D-1),
 * with what SAS's own check lacks. SAS verifies proofs through Spring Security's
 * {@link DPoPProofJwtDecoderFactory} ({@code typ dpop+jwt}, a public {@code jwk} of an
 * RSA or EC key, the signature, {@code htm}, {@code htu}, {@code iat} within 60 s) but
 * accepts every RSA and EC algorithm, checks {@code jti} against the last thousand seen
 * by one JVM, and knows no server nonce. This runs the same factory with its claim checks
 * replaced by ours, in order, stopping at the first failure: the advertised algorithms
 * only, {@code htm}, {@code htu}, {@code iat}, the server nonce when
 * {@code gatehouse.dpop.nonce} is on, and {@code jti} once across every instance sharing
 * the database ({@link ProofReplayStore}). Spring's in-memory {@code jti} check is left
 * out here on purpose: its cache is shared by the whole JVM, so running it before SAS
 * would make SAS see every proof as a replay.
 */
public final class TokenEndpointProofs {

    /** Spring Security's window for {@code iat}, which SAS applies after us anyway. */
    static final Duration IAT_WINDOW = Duration.ofSeconds(60);

    static final String HEADER = "DPoP";

    static final String PROOF = "dpop_proof";

    static final String METHOD = "dpop_method";

    static final String TARGET_URI = "dpop_target_uri";

    /**
     * The parameter names SAS files a token request's {@code DPoP} header, method and URL
     * under, and reads them back from: a request must never send them itself.
     */
    public static final List<String> REQUEST_PARAMETERS = List.of(PROOF, METHOD, TARGET_URI);

    private final DPoPProofJwtDecoderFactory decoders = new DPoPProofJwtDecoderFactory();

    private final List<String> algorithms;

    private final ProofReplayStore replays;

    private final @Nullable DPoPNonces nonces;

    private final Clock clock;

    TokenEndpointProofs(List<String> algorithms, ProofReplayStore replays, @Nullable DPoPNonces nonces, Clock clock) {
        this.algorithms = List.copyOf(algorithms);
        this.replays = replays;
        this.nonces = nonces;
        this.clock = clock;
        this.decoders.setJwtValidatorFactory(this::claimChecks);
    }

    /**
     * {@code provider} (a grant's) with this check in front: see
     * {@link ProofCheckedGrant}.
     */
    public AuthenticationProvider guard(AuthenticationProvider provider) {
        return new ProofCheckedGrant(provider, this);
    }

    /** The algorithms a proof may use, as discovery advertises them. */
    public List<String> algorithms() {
        return this.algorithms;
    }

    /**
     * The verified proof of a grant SAS does not know (the passkey grant), which binds
     * its tokens itself; {@code null} when the request has none. Throws as
     * {@link #verify}.
     */
    public @Nullable Jwt verifyIfPresent(OAuth2AuthorizationGrantAuthenticationToken grant) {
        return (proof(grant.getAdditionalParameters()) != null) ? verify(grant.getAdditionalParameters()) : null;
    }

    /**
     * The proof SAS's converters put into a token request's additional parameters, or
     * {@code null} when the request has none.
     */
    static @Nullable String proof(Map<String, Object> additionalParameters) {
        return (additionalParameters.get(PROOF) instanceof String proof && !proof.isEmpty()) ? proof : null;
    }

    /**
     * Verifies the proof of a token request; throws {@code invalid_dpop_proof} (or
     * {@code use_dpop_nonce}) naming what is wrong.
     */
    Jwt verify(Map<String, Object> additionalParameters) {
        String proof = proof(additionalParameters);
        String method = (String) additionalParameters.get(METHOD);
        String targetUri = (String) additionalParameters.get(TARGET_URI);
        if (proof == null || method == null || targetUri == null) {
            throw invalid("The DPoP proof is missing");
        }
        try {
            return this.decoders
                .createDecoder(DPoPProofContext.withDPoPProof(proof).method(method).targetUri(targetUri).build())
                .decode(proof);
        }
        catch (JwtValidationException ex) {
            OAuth2Error first = ex.getErrors().iterator().next();
            throw new OAuth2AuthenticationException(first);
        }
        catch (JwtException | IllegalArgumentException ex) {
            throw invalid(describe(ex));
        }
    }

    /**
     * Adds the request's {@code DPoP} header to a grant's parameters as SAS's own
     * converters do (for a converter of ours); two headers are {@code invalid_request}.
     */
    public static void addProofParameters(HttpServletRequest request, Map<String, Object> parameters) {
        List<String> headers = Collections.list(request.getHeaders(HEADER));
        if (headers.isEmpty() || headers.get(0).isEmpty()) {
            return;
        }
        if (headers.size() > 1) {
            throw new OAuth2AuthenticationException(
                    new OAuth2Error(OAuth2ErrorCodes.INVALID_REQUEST, "OAuth 2.0 Parameter: DPoP", null));
        }
        parameters.put(PROOF, headers.get(0));
        parameters.put(METHOD, request.getMethod());
        parameters.put(TARGET_URI, request.getRequestURL().toString());
    }

    /** The RFC 7638 SHA-256 thumbprint of a verified proof's key: the {@code cnf.jkt}. */
    static String thumbprint(Jwt proof) {
        try {
            @SuppressWarnings("unchecked")
            Map<String, Object> jwk = (Map<String, Object>) proof.getHeaders().get("jwk");
            return JWK.parse(jwk).computeThumbprint().toString();
        }
        catch (Exception ex) {
            throw invalid("The DPoP proof's jwk is invalid");
        }
    }

    /**
     * The thumbprint of the key in a proof's header, or {@code null} when it has none;
     * for a proof already verified ({@link ProofCheckedGrant}).
     */
    static @Nullable String thumbprint(String proof) {
        try {
            JWK jwk = SignedJWT.parse(proof).getHeader().getJWK();
            return (jwk == null) ? null : jwk.computeThumbprint().toString();
        }
        catch (Exception ex) {
            return null;
        }
    }

    private OAuth2TokenValidator<Jwt> claimChecks(DPoPProofContext context) {
        return (proof) -> {
            String failure = firstFailure(proof, context);
            if (failure != null) {
                return OAuth2TokenValidatorResult.failure(error(failure));
            }
            if (this.nonces != null && !this.nonces.accepts(proof.getClaimAsString("nonce"))) {
                return OAuth2TokenValidatorResult.failure(
                        new OAuth2Error("use_dpop_nonce", "Authorization server requires nonce in DPoP proof", null));
            }
            Instant issuedAt = proof.getIssuedAt();
            if (!this.replays.firstUse(proof.getId(), issuedAt.plus(IAT_WINDOW).plus(IAT_WINDOW))) {
                return OAuth2TokenValidatorResult.failure(error("The DPoP proof was used before (jti replayed)"));
            }
            return OAuth2TokenValidatorResult.success();
        };
    }

    private @Nullable String firstFailure(Jwt proof, DPoPProofContext context) {
        Object alg = proof.getHeaders().get("alg");
        if (!this.algorithms.contains(String.valueOf(alg))) {
            return "The DPoP proof's alg must be one of " + String.join(", ", this.algorithms);
        }
        if (!context.getMethod().equals(proof.getClaimAsString("htm"))) {
            return "The DPoP proof's htm does not match the request method";
        }
        if (!context.getTargetUri().equals(proof.getClaimAsString("htu"))) {
            return "The DPoP proof's htu does not match the request URL";
        }
        Instant issuedAt;
        try {
            issuedAt = proof.getIssuedAt();
        }
        catch (RuntimeException ex) {
            issuedAt = null;
        }
        if (issuedAt == null) {
            return "The DPoP proof has no iat";
        }
        Instant now = this.clock.instant();
        if (issuedAt.isBefore(now.minus(IAT_WINDOW)) || issuedAt.isAfter(now.plus(IAT_WINDOW))) {
            return "The DPoP proof's iat is not within " + IAT_WINDOW.toSeconds() + " seconds of the server's time";
        }
        String jti = proof.getId();
        if (jti == null || jti.isBlank()) {
            return "The DPoP proof has no jti";
        }
        if (jti.length() > 256) {
            return "The DPoP proof's jti is longer than 256 characters";
        }
        return null;
    }

    /** A fixed description for what Spring or Nimbus refused before the claims. */
    static String describe(Throwable failure) {
        StringBuilder messages = new StringBuilder();
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            messages.append(cause.getMessage()).append('\n');
        }
        String message = messages.toString();
        if (message.contains("Non-public key")) {
            return "The DPoP proof's jwk is invalid or holds a private key";
        }
        if (message.contains("Unsupported alg")) {
            return "The DPoP proof must be signed with an asymmetric algorithm (RSA or EC)";
        }
        if (message.contains("Missing jwk")) {
            return "The DPoP proof's header has no jwk";
        }
        if (message.contains("jwk")) {
            return "The DPoP proof's jwk is invalid or holds a private key";
        }
        if (message.contains("typ")) {
            return "The DPoP proof's typ must be dpop+jwt";
        }
        if (message.contains("signature")) {
            return "The DPoP proof's signature is invalid";
        }
        return "The DPoP proof is malformed";
    }

    static OAuth2AuthenticationException invalid(String description) {
        return new OAuth2AuthenticationException(error(description));
    }

    private static OAuth2Error error(String description) {
        return new OAuth2Error(OAuth2ErrorCodes.INVALID_DPOP_PROOF, description, null);
    }

}
