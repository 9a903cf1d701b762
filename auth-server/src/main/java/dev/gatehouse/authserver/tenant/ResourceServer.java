package dev.gatehouse.authserver.tenant;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * An API ({@code resourceServers[]} in {@code tenant.yaml}). Lifetimes are in seconds.
 *
 * @param identifier the {@code audience} clients ask for; becomes the access token's
 * {@code aud}
 * @param tokenDialect Auth0's access-token profile: {@code access_token} (Auth0's
 * profile, {@code typ: JWT}), {@code rfc9068_profile} (RFC 9068, {@code typ: at+jwt},
 * {@code client_id}), and their {@code _authz} forms, which add {@code permissions}
 * @param proofOfPossession Auth0's {@code proof_of_possession} setting; {@code null} when
 * the file has none (tokens are still bound when the client sends a DPoP proof)
 */
public record ResourceServer(String name, String identifier, List<Scope> scopes, long tokenLifetime,
        long tokenLifetimeForWeb, boolean allowOfflineAccess, boolean enforcePolicies, String tokenDialect,
        boolean skipConsentForVerifiableFirstPartyClients, @Nullable ProofOfPossession proofOfPossession) {

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

    /**
     * Whether access tokens for this API must be sender-constrained: a token request
     * without a DPoP proof is refused.
     */
    public boolean requiresDPoP() {
        return this.proofOfPossession != null && this.proofOfPossession.required();
    }

    public record Scope(String value, String description) {
    }

    /**
     * Auth0's {@code proof_of_possession} block of an API.
     *
     * @param mechanism {@code dpop} (the only one Gatehouse serves)
     * @param required whether tokens for the API are issued only when the client proves
     * possession of a key
     */
    public record ProofOfPossession(String mechanism, boolean required) {
    }
}
