package dev.gatehouse.authserver.dpop;

import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.endpoint.OAuth2AuthorizationRequest;
import org.springframework.security.oauth2.core.endpoint.OAuth2ParameterNames;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationCode;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientAuthenticationToken;

/**
 * The binding of an authorization code to the DPoP key a client names with
 * {@code dpop_jkt} at {@code /authorize} (RFC 9449 section 10; auth0-compatibility D-7).
 * SAS keeps the parameter with the authorization request but never looks at it, so a code
 * stolen on its way back could be redeemed with any key or none. Here the exchange of
 * such a code needs a proof made with that key; otherwise it is {@code invalid_grant} and
 * the code stays unused, so the client that holds the key can still redeem it.
 *
 * <p>
 * Runs inside the code's redemption (after its row lock, see
 * {@code LockedGrantRedemption}), where the authorization it reads is the one SAS then
 * redeems; the proof itself was verified before ({@link ProofCheckedGrant}).
 */
public final class AuthorizationCodeBinding implements AuthenticationProvider {

    /** The authorization request parameter. */
    public static final String PARAMETER = "dpop_jkt";

    /**
     * An RFC 7638 SHA-256 thumbprint: 32 bytes, base64url without padding, so the last of
     * its 43 characters holds 4 bits of the hash and 2 zero bits.
     */
    private static final Pattern THUMBPRINT = Pattern.compile("[A-Za-z0-9_-]{42}[AEIMQUYcgkosw048]");

    private static final OAuth2TokenType CODE = new OAuth2TokenType(OAuth2ParameterNames.CODE);

    private final AuthenticationProvider delegate;

    private final OAuth2AuthorizationService authorizations;

    private AuthorizationCodeBinding(AuthenticationProvider delegate, OAuth2AuthorizationService authorizations) {
        this.delegate = delegate;
        this.authorizations = authorizations;
    }

    /** Wraps SAS's provider of the {@code authorization_code} grant. */
    public static AuthenticationProvider of(AuthenticationProvider codeProvider,
            OAuth2AuthorizationService authorizations) {
        return new AuthorizationCodeBinding(codeProvider, authorizations);
    }

    /**
     * Whether a {@code dpop_jkt} value can be a key thumbprint at all (checked at
     * {@code /authorize}, where a malformed one is {@code invalid_request}).
     */
    public static boolean isThumbprint(@Nullable Object value) {
        return value instanceof String text && THUMBPRINT.matcher(text).matches();
    }

    @Override
    public @Nullable Authentication authenticate(Authentication authentication) throws AuthenticationException {
        if (authentication instanceof OAuth2AuthorizationCodeAuthenticationToken exchange && exchange.getCode() != null
                && !exchange.getCode().isEmpty()) {
            OAuth2Authorization authorization = this.authorizations.findByToken(exchange.getCode(), CODE);
            String boundKey = (authorization != null && isLiveCodeOf(authorization, exchange))
                    ? requestedKey(authorization) : null;
            if (boundKey != null) {
                String proof = TokenEndpointProofs.proof(exchange.getAdditionalParameters());
                if (proof == null) {
                    throw invalidGrant(
                            "This authorization code is bound to a DPoP key (dpop_jkt): the request needs a DPoP proof made with it");
                }
                if (!boundKey.equals(TokenEndpointProofs.thumbprint(proof))) {
                    throw invalidGrant("The DPoP proof is not made with the key named by dpop_jkt");
                }
            }
        }
        return this.delegate.authenticate(authentication);
    }

    /**
     * Only a live code of the requesting client is checked here: a used one goes on to
     * SAS, whose answer to a replayed code also revokes what that code gave, and another
     * client's is SAS's {@code invalid_grant} without telling that client anything about
     * the code.
     */
    private static boolean isLiveCodeOf(OAuth2Authorization authorization,
            OAuth2AuthorizationCodeAuthenticationToken exchange) {
        if (!(exchange.getPrincipal() instanceof OAuth2ClientAuthenticationToken client)
                || client.getRegisteredClient() == null
                || !client.getRegisteredClient().getId().equals(authorization.getRegisteredClientId())) {
            return false;
        }
        OAuth2Authorization.Token<OAuth2AuthorizationCode> code = authorization.getToken(OAuth2AuthorizationCode.class);
        return code != null && code.isActive();
    }

    private static @Nullable String requestedKey(OAuth2Authorization authorization) {
        OAuth2AuthorizationRequest request = authorization.getAttribute(OAuth2AuthorizationRequest.class.getName());
        if (request == null) {
            return null;
        }
        Object value = request.getAdditionalParameters().get(PARAMETER);
        return (value instanceof String key && !key.isEmpty()) ? key : null;
    }

    private static OAuth2AuthenticationException invalidGrant(String description) {
        return new OAuth2AuthenticationException(new OAuth2Error(OAuth2ErrorCodes.INVALID_GRANT, description, null));
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return this.delegate.supports(authentication);
    }

}
