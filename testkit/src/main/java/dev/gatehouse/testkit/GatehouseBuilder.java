package dev.gatehouse.testkit;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What a test server is started with: its tenant (a {@code tenant.yaml} file or classpath
 * resource, the methods below, or by default the built-in demo tenant) and its settings.
 * Shared by {@link GatehouseExtension#builder()} and {@link GatehouseServer#builder()}.
 *
 * <p>
 * A tenant built here is written as the tenant file the server reads
 * ({@code gatehouse.tenant-file}, Auth0 Deploy CLI field names), so it is applied and
 * validated exactly as a hand-written one:
 *
 * <ul>
 * <li>{@link #api(String, String...)}: an API with RBAC on and the {@code permissions}
 * claim in its tokens (Auth0's "Enable RBAC" and "Add Permissions in the Access Token"),
 * refresh tokens allowed;</li>
 * <li>{@link #spa(String, String)}: a single-page app (public client, code + PKCE,
 * rotating refresh tokens) for one origin;</li>
 * <li>{@link #role(String, String, String...)} and
 * {@link #user(String, String, String...)}: who holds which permission;</li>
 * <li>{@link #machineClient(String, String, String, String...)}: a
 * {@code client_credentials} client with its grant on an API.</li>
 * </ul>
 *
 * @param <B> the concrete builder, returned by every method
 */
public abstract class GatehouseBuilder<B extends GatehouseBuilder<B>> {

    private String tenantSource;

    private final Map<String, Map<String, Object>> apis = new LinkedHashMap<>();

    private final List<Map<String, Object>> clients = new ArrayList<>();

    private final List<Map<String, Object>> clientGrants = new ArrayList<>();

    private final Map<String, Map<String, Object>> roles = new LinkedHashMap<>();

    private final List<Map<String, Object>> users = new ArrayList<>();

    private final Map<String, String> properties = new LinkedHashMap<>();

    private String logLevel = "WARN";

    GatehouseBuilder() {
    }

    @SuppressWarnings("unchecked")
    private B self() {
        return (B) this;
    }

    /**
     * The tenant from a {@code tenant.yaml}: a classpath resource (e.g.
     * {@code "tenant.yaml"} in {@code src/test/resources}) or a file path. The file
     * format is the server's (Auth0 Deploy CLI field names, plus {@code users} and
     * {@code client_secret}); see {@code auth-server/README-store.md}.
     */
    public B tenant(String resourceOrPath) {
        Objects.requireNonNull(resourceOrPath, "resourceOrPath");
        this.tenantSource = resourceOrPath;
        return self();
    }

    /** The tenant from a {@code tenant.yaml} file. */
    public B tenantFile(Path file) {
        return tenant(file.toString());
    }

    /**
     * An API (Auth0 "resource server"): its identifier is the {@code audience} clients
     * ask for and the tokens' {@code aud}. RBAC is on and tokens carry
     * {@code permissions}; refresh tokens may be issued for it.
     */
    public B api(String identifier, String... scopes) {
        requireText(identifier, "API identifier");
        if (this.apis.containsKey(identifier)) {
            throw new IllegalArgumentException("API " + identifier + " is declared twice");
        }
        List<Map<String, Object>> scopeList = new ArrayList<>();
        for (String scope : scopes) {
            scopeList.add(map("value", scope, "description", scope));
        }
        Map<String, Object> api = new LinkedHashMap<>();
        api.put("name", identifier);
        api.put("identifier", identifier);
        api.put("scopes", scopeList);
        api.put("allow_offline_access", true);
        api.put("enforce_policies", true);
        api.put("token_dialect", "access_token_authz");
        this.apis.put(identifier, api);
        return self();
    }

    /**
     * A single-page application: a public client using the authorization code flow with
     * PKCE and rotating refresh tokens, with {@code url} as its callback and logout URL
     * and its origin as web origin (silent authentication, CORS).
     */
    public B spa(String clientId, String url) {
        requireText(clientId, "client id");
        String origin = origin(url);
        Map<String, Object> client = new LinkedHashMap<>();
        client.put("name", clientId);
        client.put("client_id", clientId);
        client.put("app_type", "spa");
        client.put("callbacks", List.of(url));
        client.put("allowed_logout_urls", List.of(url));
        client.put("web_origins", List.of(origin));
        client.put("allowed_origins", List.of(origin));
        client.put("grant_types", List.of("authorization_code", "refresh_token"));
        client.put("is_first_party", true);
        client.put("refresh_token", map("rotation_type", "rotating", "expiration_type", "expiring"));
        this.clients.add(client);
        return self();
    }

    /**
     * A machine-to-machine application ({@code non_interactive},
     * {@code client_credentials}) and its grant on {@code api} for {@code scopes}.
     */
    public B machineClient(String clientId, String clientSecret, String api, String... scopes) {
        requireText(clientId, "client id");
        requireText(clientSecret, "client secret");
        Map<String, Object> client = new LinkedHashMap<>();
        client.put("name", clientId);
        client.put("client_id", clientId);
        client.put("app_type", "non_interactive");
        client.put("client_secret", clientSecret);
        client.put("grant_types", List.of("client_credentials"));
        this.clients.add(client);
        this.clientGrants.add(map("client_id", clientId, "audience", api, "scope", List.of(scopes)));
        return self();
    }

    /** A role holding {@code permissions} (scopes of {@code api}). */
    public B role(String name, String api, String... permissions) {
        requireText(name, "role name");
        Map<String, Object> role = this.roles.computeIfAbsent(name, n -> {
            Map<String, Object> created = new LinkedHashMap<>();
            created.put("name", n);
            created.put("permissions", new ArrayList<Map<String, Object>>());
            return created;
        });
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> held = (List<Map<String, Object>>) role.get("permissions");
        for (String permission : permissions) {
            held.add(map("permission_name", permission, "resource_server_identifier", api));
        }
        return self();
    }

    /**
     * A user who logs in with {@code email} and {@code password}, holding {@code roles}.
     */
    public B user(String email, String password, String... roles) {
        requireText(email, "email");
        requireText(password, "password");
        Map<String, Object> user = new LinkedHashMap<>();
        user.put("email", email);
        user.put("password", password);
        user.put("roles", List.of(roles));
        this.users.add(user);
        return self();
    }

    /**
     * The server's database: a JDBC URL (e.g. {@code jdbc:postgresql://...}). Default: an
     * in-memory H2 database of the server's own, gone when it stops.
     */
    public B jdbcUrl(String url, String username, String password) {
        property("spring.datasource.url", url);
        property("spring.datasource.username", username);
        return property("spring.datasource.password", password);
    }

    /**
     * Any authorization server setting (see the server's settings table), e.g.
     * {@code gatehouse.login-throttle.max-failures-per-account}. The kit's own choices
     * (port, issuer, database, tenant) can be overridden too; a fixed {@code server.port}
     * gives up the retry on a port taken meanwhile.
     */
    public B property(String name, String value) {
        this.properties.put(name, value);
        return self();
    }

    /** The server's log level on the console: {@code WARN} (default), {@code INFO}... */
    public B logLevel(String level) {
        this.logLevel = level;
        return self();
    }

    /** Checks the tenant and freezes everything into what a server is started with. */
    ServerOptions options() {
        boolean built = !this.apis.isEmpty() || !this.clients.isEmpty() || !this.roles.isEmpty()
                || !this.users.isEmpty();
        if (built && this.tenantSource != null) {
            throw new IllegalArgumentException("Give either a tenant file (" + this.tenantSource
                    + ") or build the tenant with api/spa/user/role/machineClient, not both");
        }
        Map<String, Object> tenant = null;
        if (built) {
            check();
            tenant = new LinkedHashMap<>();
            tenant.put("resourceServers", new ArrayList<>(this.apis.values()));
            tenant.put("clients", new ArrayList<>(this.clients));
            tenant.put("clientGrants", new ArrayList<>(this.clientGrants));
            tenant.put("roles", new ArrayList<>(this.roles.values()));
            tenant.put("users", new ArrayList<>(this.users));
        }
        return new ServerOptions(this.tenantSource, tenant, Map.copyOf(this.properties), this.logLevel);
    }

    /** The mistakes a builder can see itself, said in the builder's words. */
    @SuppressWarnings("unchecked")
    private void check() {
        for (Map<String, Object> grant : this.clientGrants) {
            requireApi(grant.get("audience"), "machineClient(" + grant.get("client_id") + ", ...)");
        }
        for (Map<String, Object> role : this.roles.values()) {
            for (Map<String, Object> permission : (List<Map<String, Object>>) role.get("permissions")) {
                requireApi(permission.get("resource_server_identifier"), "role(" + role.get("name") + ", ...)");
            }
        }
        Set<String> clientIds = new LinkedHashSet<>();
        for (Map<String, Object> client : this.clients) {
            if (!clientIds.add((String) client.get("client_id"))) {
                throw new IllegalArgumentException("Client " + client.get("client_id") + " is declared twice");
            }
        }
        for (Map<String, Object> user : this.users) {
            for (String role : (List<String>) user.get("roles")) {
                if (!this.roles.containsKey(role)) {
                    throw new IllegalArgumentException("User " + user.get("email") + " has role '" + role
                            + "', which is not declared: add .role(\"" + role + "\", api, permissions...)");
                }
            }
        }
    }

    private void requireApi(Object identifier, String where) {
        if (!this.apis.containsKey(identifier)) {
            throw new IllegalArgumentException(where + " names API " + identifier
                    + ", which is not declared: add .api(\"" + identifier + "\", scopes...)");
        }
    }

    private static String origin(String url) {
        URI uri = URI.create(url);
        if (uri.getScheme() == null || uri.getHost() == null) {
            throw new IllegalArgumentException("Not an absolute URL: " + url);
        }
        return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort());
    }

    private static void requireText(String value, String what) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("The " + what + " must not be empty");
        }
    }

    private static Map<String, Object> map(Object... pairs) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put((String) pairs[i], pairs[i + 1]);
        }
        return map;
    }

    /**
     * Everything a server starts with; the tenant source is resolved to a file at each
     * start.
     */
    record ServerOptions(String tenantSource, Map<String, Object> tenant, Map<String, String> properties,
            String logLevel) {

        /** The options the runtime's {@code KitServer.start} takes. */
        Map<String, Object> toRuntime(Path tenantFile) {
            Map<String, Object> options = new LinkedHashMap<>();
            if (this.tenant != null) {
                options.put("tenant", this.tenant);
            }
            if (tenantFile != null) {
                options.put("tenantFile", tenantFile.toString());
            }
            options.put("properties", new LinkedHashMap<>(this.properties));
            options.put("logLevel", this.logLevel);
            return options;
        }

    }

    static boolean isFile(String path) {
        try {
            return Files.isRegularFile(Path.of(path));
        }
        catch (RuntimeException ex) {
            return false;
        }
    }

}
