package dev.gatehouse.authserver.tenant;

import java.util.List;

/**
 * A machine client's permission to get tokens for an API ({@code clientGrants[]}):
 * {@code client_id}, {@code audience}, {@code scope}. {@code client_id} may name a client
 * by {@code name}, as Deploy CLI exports do.
 */
public record ClientGrant(String clientId, String audience, List<String> scope) {

    public ClientGrant {
        scope = List.copyOf(scope);
    }
}
