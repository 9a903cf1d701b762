package dev.gatehouse.authserver.token;

import java.time.Instant;
import java.util.Map;
import java.util.function.Function;

import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.oidc.OidcUserInfo;
import org.springframework.security.oauth2.core.oidc.StandardClaimNames;
import org.springframework.security.oauth2.server.authorization.oidc.authentication.OidcUserInfoAuthenticationContext;

import dev.gatehouse.authserver.user.ProfileClaims;
import dev.gatehouse.authserver.user.UserAccount;
import dev.gatehouse.authserver.user.UserDirectory;

/**
 * What {@code /userinfo} answers: the user's profile as it is now (Auth0 reads the user,
 * not the ID token issued at login), limited by the access token's scopes. A user who was
 * removed from the tenant or blocked gets {@code 401 invalid_token}, and what they still
 * hold is revoked. SAS's default mapper copies the ID token's claims and never looks at
 * the user, so a removed user's token kept answering.
 */
public final class CurrentUserInfo implements Function<OidcUserInfoAuthenticationContext, OidcUserInfo> {

    private final UserDirectory users;

    private final UserGrantRevocation revocation;

    public CurrentUserInfo(UserDirectory users, UserGrantRevocation revocation) {
        this.users = users;
        this.revocation = revocation;
    }

    @Override
    public OidcUserInfo apply(OidcUserInfoAuthenticationContext context) {
        String subject = context.getAuthorization().getPrincipalName();
        UserAccount account = this.users.findById(subject).orElseThrow(() -> {
            this.revocation.revokeAllOf(subject);
            return new OAuth2AuthenticationException(OAuth2ErrorCodes.INVALID_TOKEN);
        });
        Instant issuedAt = context.getAccessToken().getIssuedAt();
        Map<String, Object> claims = ProfileClaims.of(account, context.getAccessToken().getScopes(),
                (issuedAt != null) ? issuedAt : Instant.now());
        claims.put(StandardClaimNames.SUB, subject);
        return new OidcUserInfo(claims);
    }

}
