package dev.gatehouse.authserver.user;

import org.jspecify.annotations.Nullable;

/**
 * A stored user.
 *
 * @param userId the stable subject, Auth0-style {@code auth0|<id>}; becomes {@code sub}
 */
public record UserAccount(String userId, String email, String name, @Nullable String picture, boolean emailVerified) {
}
