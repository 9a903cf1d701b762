package dev.gatehouse.authserver.user;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import org.springframework.security.oauth2.core.oidc.OidcScopes;

/**
 * The OpenID Connect profile claims of a user, by granted scope, as Auth0 sends them in
 * ID tokens and at {@code /userinfo}: {@code name nickname picture updated_at} with
 * {@code profile}, {@code email email_verified} with {@code email}.
 */
public final class ProfileClaims {

    private ProfileClaims() {
    }

    /**
     * The claims {@code scopes} allow; a mutable map, as SAS's claim storage needs.
     * @param updatedAt the {@code updated_at} value
     */
    public static Map<String, Object> of(UserAccount account, Set<String> scopes, Instant updatedAt) {
        Map<String, Object> claims = new LinkedHashMap<>();
        if (scopes.contains(OidcScopes.PROFILE)) {
            claims.put("name", account.name());
            claims.put("nickname", nickname(account.email()));
            if (account.picture() != null) {
                claims.put("picture", account.picture());
            }
            claims.put("updated_at", updatedAt.toString());
        }
        if (scopes.contains(OidcScopes.EMAIL)) {
            claims.put("email", account.email());
            claims.put("email_verified", account.emailVerified());
        }
        return claims;
    }

    /** Auth0's default nickname: the part of the email before the {@code @}. */
    public static String nickname(String email) {
        int at = email.indexOf('@');
        return (at > 0) ? email.substring(0, at) : email;
    }

}
