package dev.gatehouse.authserver.tenant;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Read access to the tenant as it is stored (applied from the tenant file at startup).
 * The protocol code asks this, never the tenant file: what is in the database is the
 * truth after a restart.
 */
public interface TenantDirectory {

    Optional<TenantClient> findClient(String clientId);

    List<TenantClient> clients();

    /** The API whose {@code identifier} is {@code audience}. */
    Optional<ResourceServer> findResourceServer(String audience);

    List<ResourceServer> resourceServers();

    /** The grant allowing a machine client to get tokens for {@code audience}, if any. */
    Optional<ClientGrant> findClientGrant(String clientId, String audience);

    /** Every client grant. */
    List<ClientGrant> clientGrants();

    /**
     * The permission names {@code userId} holds on the API {@code audience}, through
     * their roles.
     */
    Set<String> permissionsOf(String userId, String audience);

}
