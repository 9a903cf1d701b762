package dev.gatehouse.authserver.dpop;

import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.core.OAuth2AccessToken;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AccessTokenAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2RefreshTokenAuthenticationToken;

/**
 * The binding of a public client's refresh token to its DPoP key (RFC 9449 section 5;
 * auth0-compatibility D-3). A refresh family is bound when its access token is
 * ({@code cnf.jkt}, kept with the authorization): every rotation then needs a proof made
 * with that key. SAS compares the key when a proof is sent, but issues a plain bearer
 * token when none is; this closes that gap, and lets a retry within the reuse interval
 * check the key too. Confidential clients' refresh tokens stay unbound: their client
 * authentication binds them.
 */
public final class RefreshTokenBinding {

    private RefreshTokenBinding() {
    }

    /**
     * The key thumbprint the family of {@code authorization} is bound to, or
     * {@code null}.
     */
    public static @Nullable String boundKey(OAuth2Authorization authorization) {
        OAuth2Authorization.Token<OAuth2AccessToken> access = authorization.getAccessToken();
        if (access == null || access.getClaims() == null || !(access.getClaims().get("cnf") instanceof Map<?, ?> cnf)) {
            return null;
        }
        return (cnf.get("jkt") instanceof String jkt) ? jkt : null;
    }

    /**
     * Refuses a refresh of a bound family by a public client without a DPoP proof (also
     * what presenting it "as bearer" amounts to at the token endpoint).
     */
    public static void requireProof(OAuth2Authorization family, OAuth2RefreshTokenAuthenticationToken request) {
        if (isPublicClient(request) && boundKey(family) != null
                && TokenEndpointProofs.proof(request.getAdditionalParameters()) == null) {
            throw TokenEndpointProofs
                .invalid("This refresh token is bound to a DPoP key: the request needs a DPoP proof made with it");
        }
    }

    /**
     * Whether a retry within the reuse interval may have the answer sealed for a token
     * bound to {@code boundKey} ({@code null}: unbound): a bound answer only with a proof
     * of the same key, an unbound one only without a proof. The proof was verified before
     * this runs ({@link ProofCheckedGrant}).
     */
    public static void requireSameKey(@Nullable String boundKey, OAuth2RefreshTokenAuthenticationToken request) {
        String proof = TokenEndpointProofs.proof(request.getAdditionalParameters());
        if (boundKey == null) {
            if (proof != null && isPublicClient(request)) {
                throw TokenEndpointProofs.invalid("This refresh token is not bound to a DPoP key");
            }
            return;
        }
        if (proof == null) {
            throw TokenEndpointProofs
                .invalid("This refresh token is bound to a DPoP key: the request needs a DPoP proof made with it");
        }
        if (!boundKey.equals(TokenEndpointProofs.thumbprint(proof))) {
            throw TokenEndpointProofs.invalid("The DPoP proof is not made with the key this refresh token is bound to");
        }
    }

    /**
     * The key the access token of a refresh's answer is bound to: the key of the
     * request's proof when the answer is a DPoP token, else {@code null}.
     */
    public static @Nullable String issuedKey(OAuth2AccessTokenAuthenticationToken answer,
            OAuth2RefreshTokenAuthenticationToken request) {
        String proof = TokenEndpointProofs.proof(request.getAdditionalParameters());
        return (proof != null && OAuth2AccessToken.TokenType.DPOP.equals(answer.getAccessToken().getTokenType()))
                ? TokenEndpointProofs.thumbprint(proof) : null;
    }

    private static boolean isPublicClient(OAuth2RefreshTokenAuthenticationToken request) {
        return request.getPrincipal() instanceof OAuth2ClientAuthenticationToken client
                && ClientAuthenticationMethod.NONE.equals(client.getClientAuthenticationMethod());
    }

}
