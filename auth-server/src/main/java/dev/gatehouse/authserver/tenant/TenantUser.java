package dev.gatehouse.authserver.tenant;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * A user: Gatehouse's extension to {@code tenant.yaml} ({@code users[]}).
 *
 * @param password clear-text password from the file, hashed before it is stored;
 * {@code null} when {@code passwordHash} is given
 * @param passwordHash a Spring Security {@code DelegatingPasswordEncoder} hash such as
 * {@code {bcrypt}$2a$...}
 * @param blocked Auth0's {@code blocked} flag: the user cannot sign in, and what they
 * hold (sessions, refresh tokens) is revoked
 * @param roles names of roles defined in the same file
 */
public record TenantUser(String email, @Nullable String password, @Nullable String passwordHash, String name,
        @Nullable String picture, boolean emailVerified, boolean blocked, List<String> roles) {

    public TenantUser {
        roles = List.copyOf(roles);
    }

    /**
     * Leaves the password and its hash out, so a logged user never leaks a credential.
     */
    @Override
    public String toString() {
        return "TenantUser[email=" + email + ", name=" + name + ", roles=" + roles + "]";
    }
}
