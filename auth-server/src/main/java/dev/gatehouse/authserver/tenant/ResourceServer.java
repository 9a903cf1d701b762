package dev.gatehouse.authserver.tenant;

import java.util.List;

/**
 * An API ({@code resourceServers[]} in {@code tenant.yaml}). Lifetimes are in seconds.
 *
 * @param identifier the {@code audience} clients ask for; becomes the access token's
 * {@code aud}
 * @param tokenDialect Auth0's access-token profile: {@code access_token} (Auth0's
 * profile, {@code typ: JWT}), {@code rfc9068_profile} (RFC 9068, {@code typ: at+jwt},
 * {@code client_id}), and their {@code _authz} forms, which add {@code permissions}
 */
public record ResourceServer(String name, String identifier, List<Scope> scopes, long tokenLifetime,
        long tokenLifetimeForWeb, boolean allowOfflineAccess, boolean enforcePolicies, String tokenDialect,
        boolean skipConsentForVerifiableFirstPartyClients) {

    public ResourceServer {
        scopes = List.copyOf(scopes);
    }

    /** Whether access tokens carry a {@code permissions} claim. */
    public boolean permissionsInToken() {
        return this.tokenDialect.endsWith("_authz");
    }

    /** Whether access tokens follow RFC 9068 rather than Auth0's default profile. */
    public boolean rfc9068Profile() {
        return this.tokenDialect.startsWith("rfc9068_profile");
    }

    public record Scope(String value, String description) {
    }
}
