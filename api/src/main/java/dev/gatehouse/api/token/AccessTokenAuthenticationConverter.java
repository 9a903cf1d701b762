package dev.gatehouse.api.token;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import org.springframework.core.convert.converter.Converter;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.InvalidBearerTokenException;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;

/**
 * Grants {@code SCOPE_x} for every {@code x} in the token's {@code scope} (a
 * space-delimited string, RFC 8693 §4.2) and in its {@code permissions} (an array of
 * strings, which Auth0 adds when RBAC is on with the {@code access_token_authz} dialect).
 * Values are compared whole: {@code read:messages2} does not grant {@code read:messages}.
 * Other shapes (a scope array, a permissions string) grant nothing.
 */
public final class AccessTokenAuthenticationConverter implements Converter<Jwt, AbstractAuthenticationToken> {

    public static final String AUTHORITY_PREFIX = "SCOPE_";

    @Override
    public AbstractAuthenticationToken convert(Jwt jwt) {
        try {
            return new JwtAuthenticationToken(jwt, authorities(jwt));
        }
        catch (RuntimeException ex) {
            // A signed token with claims of odd shapes is still the client's problem:
            // 401, not 500.
            throw new InvalidBearerTokenException("The token is invalid");
        }
    }

    private static List<GrantedAuthority> authorities(Jwt jwt) {
        List<GrantedAuthority> authorities = new ArrayList<>();
        if (jwt.getClaims().get("scope") instanceof String scope) {
            for (String value : scope.split(" ")) {
                if (!value.isEmpty()) {
                    authorities.add(new SimpleGrantedAuthority(AUTHORITY_PREFIX + value));
                }
            }
        }
        if (jwt.getClaims().get("permissions") instanceof Collection<?> permissions) {
            for (Object value : permissions) {
                if (value instanceof String permission && !permission.isEmpty()) {
                    authorities.add(new SimpleGrantedAuthority(AUTHORITY_PREFIX + permission));
                }
            }
        }
        return authorities;
    }

}
