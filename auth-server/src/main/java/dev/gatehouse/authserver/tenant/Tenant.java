package dev.gatehouse.authserver.tenant;

import java.util.List;

/**
 * A tenant as declared in a tenant file: the subset of the Auth0 Deploy CLI
 * {@code tenant.yaml} that Gatehouse supports, plus our {@code users} extension.
 * Immutable and already validated: every reference (a grant's audience, a role's resource
 * server, a user's role) points at something defined in the same tenant.
 *
 * @param ignoredFields dotted paths of fields present in the file that Gatehouse does not
 * support (for example {@code clients[0].jwt_configuration}); listed once at startup,
 * never an error
 * @param database the user database's sign-in settings ({@code databases}); passwords
 * only when the file has none
 * @param guardian the multi-factor settings ({@code guardianFactors},
 * {@code guardianPolicies}); none, "Never", when the file has none
 */
public record Tenant(List<TenantClient> clients, List<ResourceServer> resourceServers, List<ClientGrant> clientGrants,
        List<Role> roles, List<TenantUser> users, List<String> ignoredFields, DatabaseConnection database,
        GuardianSettings guardian) {

    /** A tenant with passwords only and no second factor. */
    public Tenant(List<TenantClient> clients, List<ResourceServer> resourceServers, List<ClientGrant> clientGrants,
            List<Role> roles, List<TenantUser> users, List<String> ignoredFields) {
        this(clients, resourceServers, clientGrants, roles, users, ignoredFields, DatabaseConnection.PASSWORDS_ONLY,
                GuardianSettings.NEVER);
    }

    public Tenant {
        clients = List.copyOf(clients);
        resourceServers = List.copyOf(resourceServers);
        clientGrants = List.copyOf(clientGrants);
        roles = List.copyOf(roles);
        users = List.copyOf(users);
        ignoredFields = List.copyOf(ignoredFields);
    }
}
