package dev.gatehouse.authserver.tenant;

import java.util.List;

/**
 * An API ({@code resourceServers[]} in {@code tenant.yaml}). Lifetimes are in seconds.
 *
 * @param identifier the {@code audience} clients ask for; becomes the access token's
 * {@code aud}
 * @param tokenDialect {@code access_token} (scope only) or {@code access_token_authz}
 * (adds {@code permissions})
 */
public record ResourceServer(String name, String identifier, List<Scope> scopes, long tokenLifetime,
        long tokenLifetimeForWeb, boolean allowOfflineAccess, boolean enforcePolicies, String tokenDialect,
        boolean skipConsentForVerifiableFirstPartyClients) {

    public ResourceServer {
        scopes = List.copyOf(scopes);
    }

    public record Scope(String value, String description) {
    }
}
