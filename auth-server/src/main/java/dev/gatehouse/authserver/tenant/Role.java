package dev.gatehouse.authserver.tenant;

import java.util.List;

/**
 * A role ({@code roles[]}): a name and its {@code permissions[{permission_name,
 * resource_server_identifier}]}.
 */
public record Role(String name, String description, List<Permission> permissions) {

    public Role {
        permissions = List.copyOf(permissions);
    }

    public record Permission(String permissionName, String resourceServerIdentifier) {
    }
}
