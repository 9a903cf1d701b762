package dev.gatehouse.authserver.token;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.OAuth2RefreshToken;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AccessTokenAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2RefreshTokenAuthenticationToken;

import dev.gatehouse.authserver.client.TenantRegisteredClientRepository;
import dev.gatehouse.authserver.dpop.RefreshTokenBinding;
import dev.gatehouse.authserver.user.UserDirectory;

/**
 * Auth0's refresh-token rotation with reuse detection, around SAS's refresh grant. SAS
 * already rotates (the client's {@code reuseRefreshTokens=false}) but simply forgets the
 * old token; here every rotated-out token is remembered (hashed) with its family, and
 * presenting one again revokes the whole family: the authorization row holding the
 * current refresh token and the access token SAS checks at {@code /userinfo}.
 *
 * <p>
 * Auth0's reuse interval ({@code refresh_token.leeway}, 0 by default): for that long
 * after a rotation, presenting the rotated-out token again is a retry, not reuse, and
 * gets the answer the rotation gave (see {@link RefreshRetryAnswer}): the same access,
 * refresh and ID token. A retry thus never forks the family, and every refresh token ever
 * answered with 200 stays usable. Outside the interval, or for another client, reuse
 * revokes.
 *
 * <p>
 * A family bound to a DPoP key (a public client's, see {@link RefreshTokenBinding})
 * rotates only with a proof of that key, and so does a retry.
 */
public class RefreshTokenRotationProvider implements AuthenticationProvider {

    /**
     * The description spa-js looks for before it falls back to silent authentication
     * (auth0-compatibility S-14).
     */
    public static final String INVALID_REFRESH_TOKEN = "Unknown or invalid refresh token.";

    private static final Logger log = LoggerFactory.getLogger(RefreshTokenRotationProvider.class);

    private final AuthenticationProvider delegate;

    private final OAuth2AuthorizationService authorizations;

    private final RotatedRefreshTokens rotated;

    private final UserDirectory users;

    private final UserGrantRevocation revocation;

    private final Clock clock;

    public RefreshTokenRotationProvider(AuthenticationProvider delegate, OAuth2AuthorizationService authorizations,
            RotatedRefreshTokens rotated, UserDirectory users, UserGrantRevocation revocation, Clock clock) {
        this.delegate = delegate;
        this.authorizations = authorizations;
        this.rotated = rotated;
        this.users = users;
        this.revocation = revocation;
        this.clock = clock;
    }

    @Override
    public Authentication authenticate(Authentication authentication) throws AuthenticationException {
        OAuth2RefreshTokenAuthenticationToken request = (OAuth2RefreshTokenAuthenticationToken) authentication;
        String presented = request.getRefreshToken();
        OAuth2Authorization family = this.authorizations.findByToken(presented, OAuth2TokenType.REFRESH_TOKEN);
        if (family == null) {
            Optional<RotatedRefreshTokens.Rotated> rotatedOut = this.rotated.find(presented);
            if (rotatedOut.isPresent()) {
                OAuth2AccessTokenAuthenticationToken retry = retryAnswer(request, presented, rotatedOut.get());
                if (retry != null) {
                    return retry;
                }
                revokeFamily(rotatedOut.get().authorizationId());
            }
            throw invalidGrant();
        }
        if (this.users.findById(family.getPrincipalName()).isEmpty()) {
            // Removed from the tenant or blocked: nothing the user held may keep working.
            this.revocation.revokeAllOf(family.getPrincipalName());
            throw invalidGrant();
        }
        RefreshTokenBinding.requireProof(family, request);
        Authentication result;
        try {
            result = this.delegate.authenticate(authentication);
        }
        catch (OAuth2AuthenticationException ex) {
            if (OAuth2ErrorCodes.INVALID_GRANT.equals(ex.getError().getErrorCode())
                    && ex.getError().getDescription() == null) {
                throw invalidGrant();
            }
            throw ex;
        }
        if (result instanceof OAuth2AccessTokenAuthenticationToken tokens) {
            OAuth2RefreshToken issued = tokens.getRefreshToken();
            if (issued != null && !issued.getTokenValue().equals(presented)) {
                OAuth2Authorization.Token<OAuth2RefreshToken> old = family.getRefreshToken();
                Instant expiresAt = old != null && old.getToken().getExpiresAt() != null ? old.getToken().getExpiresAt()
                        : issued.getExpiresAt();
                Instant now = this.clock.instant();
                Duration leeway = tokens.getRegisteredClient()
                    .getTokenSettings()
                    .getSetting(TenantRegisteredClientRepository.REFRESH_TOKEN_LEEWAY);
                boolean retryable = leeway != null && !leeway.isZero();
                this.rotated.record(presented, family.getId(), now, expiresAt,
                        retryable ? RefreshRetryAnswer.seal(presented, tokens,
                                RefreshTokenBinding.issuedKey(tokens, request)) : null,
                        retryable ? now.plus(leeway) : null);
            }
        }
        return result;
    }

    /**
     * Within the client's reuse interval, the answer the token's rotation gave, if the
     * family still stands and the same client asks; {@code null} otherwise (reuse).
     */
    private @Nullable OAuth2AccessTokenAuthenticationToken retryAnswer(OAuth2RefreshTokenAuthenticationToken request,
            String presented, RotatedRefreshTokens.Rotated rotatedOut) {
        if (!rotatedOut.retryableAt(this.clock.instant())
                || !(request.getPrincipal() instanceof OAuth2ClientAuthenticationToken client)
                || client.getRegisteredClient() == null) {
            return null;
        }
        OAuth2Authorization family = this.authorizations.findById(rotatedOut.authorizationId());
        if (family == null || !family.getRegisteredClientId().equals(client.getRegisteredClient().getId())
                || this.users.findById(family.getPrincipalName()).isEmpty()) {
            return null;
        }
        RefreshRetryAnswer.Opened answer = RefreshRetryAnswer.open(presented, rotatedOut.retryAnswer(),
                client.getRegisteredClient(), client);
        if (answer == null) {
            return null;
        }
        // A retry of a DPoP-bound token must prove the same key as the rotation did.
        RefreshTokenBinding.requireSameKey(answer.boundKey(), request);
        return answer.tokens();
    }

    private void revokeFamily(String authorizationId) {
        OAuth2Authorization family = this.authorizations.findById(authorizationId);
        if (family != null) {
            this.authorizations.remove(family);
        }
        this.rotated.forgetFamily(authorizationId);
        log.warn("Refresh token reuse detected: revoked token family {} (client {})", authorizationId,
                family == null ? "?" : family.getRegisteredClientId());
    }

    private static OAuth2AuthenticationException invalidGrant() {
        return new OAuth2AuthenticationException(
                new OAuth2Error(OAuth2ErrorCodes.INVALID_GRANT, INVALID_REFRESH_TOKEN, null));
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return this.delegate.supports(authentication);
    }

}
