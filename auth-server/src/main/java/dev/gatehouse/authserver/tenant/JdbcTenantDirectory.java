package dev.gatehouse.authserver.tenant;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;

import dev.gatehouse.authserver.tenant.TenantClient.AppType;
import dev.gatehouse.authserver.tenant.TenantClient.RefreshTokenPolicy;

/**
 * {@link TenantDirectory} over the tenant tables. Reads the database on every call: the
 * tables are small and indexed by their keys, and there is no cache to go stale when the
 * tenant is re-applied.
 *
 * <p>
 * Returned collections that callers may put into token claims are mutable JDK types
 * ({@code LinkedHashSet}), which Spring Security's Jackson allow-list accepts when an
 * authorization is stored.
 */
public class JdbcTenantDirectory implements TenantDirectory {

    static final String LIST_SEPARATOR = "\n";

    private static final String CLIENT_COLUMNS = "client_id, name, client_secret_hash, app_type, callbacks, "
            + "allowed_logout_urls, web_origins, allowed_origins, grant_types, is_first_party, rt_rotation_type, "
            + "rt_expiration_type, rt_token_lifetime, rt_idle_token_lifetime, rt_leeway";

    private static final String API_COLUMNS = "identifier, name, token_lifetime, token_lifetime_for_web, "
            + "allow_offline_access, enforce_policies, token_dialect, skip_consent_first_party";

    private final JdbcClient jdbc;

    public JdbcTenantDirectory(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public Optional<TenantClient> findClient(String clientId) {
        return jdbc.sql("SELECT " + CLIENT_COLUMNS + " FROM tenant_client WHERE client_id = ?")
            .param(clientId)
            .query(JdbcTenantDirectory::client)
            .optional();
    }

    @Override
    public List<TenantClient> clients() {
        return jdbc.sql("SELECT " + CLIENT_COLUMNS + " FROM tenant_client ORDER BY client_id")
            .query(JdbcTenantDirectory::client)
            .list();
    }

    @Override
    public Optional<ResourceServer> findResourceServer(String audience) {
        // Scopes first, in a query of their own: a query inside the row mapper would hold
        // two pooled connections
        // per call, and under concurrent token requests the pool ran dry (every thread
        // holding one, waiting for one).
        List<ResourceServer.Scope> scopes = scopes(audience);
        return jdbc.sql("SELECT " + API_COLUMNS + " FROM resource_server WHERE identifier = ?")
            .param(audience)
            .query((rs, row) -> resourceServer(rs, scopes))
            .optional();
    }

    @Override
    public List<ResourceServer> resourceServers() {
        Map<String, List<ResourceServer.Scope>> scopes = new LinkedHashMap<>();
        jdbc.sql("SELECT resource_server_identifier, scope_value, description FROM resource_server_scope "
                + "ORDER BY resource_server_identifier, sort_order")
            .query(rs -> {
                scopes.computeIfAbsent(rs.getString(1), k -> new ArrayList<>())
                    .add(new ResourceServer.Scope(rs.getString(2), rs.getString(3)));
            });
        return jdbc.sql("SELECT " + API_COLUMNS + " FROM resource_server ORDER BY identifier")
            .query((rs, row) -> resourceServer(rs, scopes.getOrDefault(rs.getString("identifier"), List.of())))
            .list();
    }

    @Override
    public Optional<ClientGrant> findClientGrant(String clientId, String audience) {
        return jdbc.sql("SELECT client_id, audience, scopes FROM client_grant WHERE client_id = ? AND audience = ?")
            .params(clientId, audience)
            .query((rs, row) -> new ClientGrant(rs.getString("client_id"), rs.getString("audience"),
                    split(rs.getString("scopes"), " ")))
            .optional();
    }

    @Override
    public List<ClientGrant> clientGrants() {
        return jdbc.sql("SELECT client_id, audience, scopes FROM client_grant ORDER BY client_id, audience")
            .query((rs, row) -> new ClientGrant(rs.getString("client_id"), rs.getString("audience"),
                    split(rs.getString("scopes"), " ")))
            .list();
    }

    @Override
    public Set<String> permissionsOf(String userId, String audience) {
        return new LinkedHashSet<>(jdbc
            .sql("SELECT DISTINCT p.permission_name FROM user_role ur "
                    + "JOIN user_account u ON u.user_id = ur.user_id AND u.enabled = TRUE AND u.blocked = FALSE "
                    + "JOIN role_permission p ON p.role_name = ur.role_name "
                    + "WHERE ur.user_id = ? AND p.resource_server_identifier = ? ORDER BY p.permission_name")
            .params(userId, audience)
            .query(String.class)
            .list());
    }

    /** Every role with its permissions, in name order; for tests and diagnostics. */
    public List<Role> roles() {
        Map<String, List<Role.Permission>> permissions = new LinkedHashMap<>();
        jdbc.sql("SELECT role_name, resource_server_identifier, permission_name FROM role_permission "
                + "ORDER BY role_name, resource_server_identifier, permission_name")
            .query(rs -> {
                permissions.computeIfAbsent(rs.getString(1), k -> new ArrayList<>())
                    .add(new Role.Permission(rs.getString(3), rs.getString(2)));
            });
        return jdbc.sql("SELECT name, description FROM tenant_role ORDER BY name")
            .query((rs, row) -> new Role(rs.getString("name"), rs.getString("description"),
                    permissions.getOrDefault(rs.getString("name"), List.of())))
            .list();
    }

    private List<ResourceServer.Scope> scopes(String identifier) {
        return jdbc
            .sql("SELECT scope_value, description FROM resource_server_scope "
                    + "WHERE resource_server_identifier = ? ORDER BY sort_order")
            .param(identifier)
            .query((rs, row) -> new ResourceServer.Scope(rs.getString(1), rs.getString(2)))
            .list();
    }

    private static ResourceServer resourceServer(ResultSet rs, List<ResourceServer.Scope> scopes) throws SQLException {
        return new ResourceServer(rs.getString("name"), rs.getString("identifier"), scopes,
                rs.getLong("token_lifetime"), rs.getLong("token_lifetime_for_web"),
                rs.getBoolean("allow_offline_access"), rs.getBoolean("enforce_policies"), rs.getString("token_dialect"),
                rs.getBoolean("skip_consent_first_party"));
    }

    private static TenantClient client(ResultSet rs, int row) throws SQLException {
        AppType appType = AppType.valueOf(rs.getString("app_type"));
        String rotation = rs.getString("rt_rotation_type");
        RefreshTokenPolicy refresh = (rotation == null) ? RefreshTokenPolicy.defaultFor(appType)
                : new RefreshTokenPolicy("rotating".equals(rotation), nullableLong(rs, "rt_token_lifetime"),
                        nullableLong(rs, "rt_idle_token_lifetime"), rs.getLong("rt_leeway"));
        return new TenantClient(rs.getString("name"), rs.getString("client_id"), rs.getString("client_secret_hash"),
                appType, split(rs.getString("callbacks"), LIST_SEPARATOR),
                split(rs.getString("allowed_logout_urls"), LIST_SEPARATOR),
                split(rs.getString("web_origins"), LIST_SEPARATOR),
                split(rs.getString("allowed_origins"), LIST_SEPARATOR),
                split(rs.getString("grant_types"), LIST_SEPARATOR), rs.getBoolean("is_first_party"), refresh);
    }

    private static @Nullable Long nullableLong(ResultSet rs, String column) throws SQLException {
        long value = rs.getLong(column);
        return rs.wasNull() ? null : value;
    }

    static List<String> split(String value, String separator) {
        if (value == null || value.isEmpty()) {
            return List.of();
        }
        return Arrays.stream(value.split(separator)).filter(s -> !s.isEmpty()).toList();
    }

}
