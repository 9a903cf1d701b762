package dev.gatehouse.authserver.tenant;

import java.net.URI;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.transaction.support.TransactionTemplate;

import dev.gatehouse.authserver.cluster.DatabaseLock;
import dev.gatehouse.authserver.config.GatehouseProperties;
import dev.gatehouse.authserver.token.UserGrantRevocation;
import dev.gatehouse.authserver.user.JdbcUserDirectory;

/**
 * Applies a tenant to the database at startup, idempotently and in one transaction:
 * applying the same tenant twice changes no row. Clients, APIs, grants and roles that are
 * no longer in the file are deleted; users are disabled instead (see
 * {@link JdbcUserDirectory#sync}) so their subject stays reserved.
 */
public class TenantImporter {

    /** The built-in demo tenant, used when no tenant file is configured. */
    public static final String DEMO_TENANT = "tenant/demo-tenant.yaml";

    private static final Logger log = LoggerFactory.getLogger(TenantImporter.class);

    private final JdbcClient jdbc;

    private final TransactionTemplate transactions;

    private final PasswordEncoder passwordEncoder;

    private final JdbcUserDirectory users;

    private final UserGrantRevocation revocation;

    public TenantImporter(JdbcClient jdbc, TransactionTemplate transactions, PasswordEncoder passwordEncoder,
            JdbcUserDirectory users, UserGrantRevocation revocation) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.passwordEncoder = passwordEncoder;
        this.users = users;
        this.revocation = revocation;
    }

    /**
     * Reads the configured tenant file (or the demo tenant) and applies it; the startup
     * entry point.
     */
    public Result importConfigured(GatehouseProperties properties) {
        return importConfigured(properties, DeployCliKeywords.NONE);
    }

    /**
     * Reads the configured tenant file, its Deploy CLI keywords replaced with
     * {@code keywords}, (or the demo tenant) and applies it.
     */
    public Result importConfigured(GatehouseProperties properties, DeployCliKeywords keywords) {
        Path file = properties.tenantFile();
        if (file != null) {
            Tenant tenant = TenantFileReader.read(file, keywords);
            logIgnored(file.toString(), tenant);
            Result result = apply(tenant);
            log.info("Tenant applied from {}: {}", file, result);
            return result;
        }
        Tenant demo = TenantFileReader.readClasspath(DEMO_TENANT);
        if (!isLocalhost(properties.issuer()) && !properties.demoCredentialsAllowed()) {
            log.warn("Demo tenant: its public credentials (the demo users and the secret of the machine client) are "
                    + "NOT loaded because the issuer {} is not a localhost URL. Set gatehouse.tenant-file to your "
                    + "own tenant (or gatehouse.allow-demo-credentials=true to accept the public demo credentials "
                    + "anyway).", properties.issuer());
            demo = withoutCredentials(demo);
        }
        Result result = apply(demo);
        log.info("Built-in demo tenant applied: {}", result);
        log.info(demoBanner(demo));
        return result;
    }

    /**
     * The demo tenant without anything that authenticates with a published secret: no
     * users, no confidential clients (and so no client grants); the public SPA client and
     * the API stay.
     */
    static Tenant withoutCredentials(Tenant demo) {
        List<TenantClient> publicClients = demo.clients().stream().filter((c) -> c.clientSecret() == null).toList();
        Set<String> kept = publicClients.stream().map(TenantClient::clientId).collect(Collectors.toSet());
        List<ClientGrant> grants = demo.clientGrants().stream().filter((g) -> kept.contains(g.clientId())).toList();
        return new Tenant(publicClients, demo.resourceServers(), grants, demo.roles(), List.of(), demo.ignoredFields(),
                demo.database(), demo.guardian());
    }

    /** Applies {@code tenant} in one transaction. */
    public Result apply(Tenant tenant) {
        return Objects.requireNonNull(transactions.execute(status -> {
            // Instances starting together apply the file one after the other: the second
            // finds every row in place and changes none.
            DatabaseLock.hold(jdbc, DatabaseLock.TENANT_IMPORT);
            return write(tenant);
        }));
    }

    private Result write(Tenant tenant) {
        Set<String> apiIds = tenant.resourceServers()
            .stream()
            .map(ResourceServer::identifier)
            .collect(Collectors.toSet());
        int removedApis = deleteMissing("resource_server", "identifier", apiIds);
        for (ResourceServer api : tenant.resourceServers()) {
            upsert("UPDATE resource_server SET name = ?, token_lifetime = ?, token_lifetime_for_web = ?, "
                    + "allow_offline_access = ?, enforce_policies = ?, token_dialect = ?, "
                    + "skip_consent_first_party = ?, pop_mechanism = ?, pop_required = ? WHERE identifier = ?",
                    "INSERT INTO resource_server (name, token_lifetime, token_lifetime_for_web, allow_offline_access, "
                            + "enforce_policies, token_dialect, skip_consent_first_party, pop_mechanism, pop_required, "
                            + "identifier) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    api.name(), api.tokenLifetime(), api.tokenLifetimeForWeb(), api.allowOfflineAccess(),
                    api.enforcePolicies(), api.tokenDialect(), api.skipConsentForVerifiableFirstPartyClients(),
                    (api.proofOfPossession() == null) ? null : api.proofOfPossession().mechanism(), api.requiresDPoP(),
                    api.identifier());
            jdbc.sql("DELETE FROM resource_server_scope WHERE resource_server_identifier = ?")
                .param(api.identifier())
                .update();
            for (int i = 0; i < api.scopes().size(); i++) {
                ResourceServer.Scope scope = api.scopes().get(i);
                jdbc.sql("INSERT INTO resource_server_scope (resource_server_identifier, scope_value, description, "
                        + "sort_order) VALUES (?, ?, ?, ?)")
                    .params(api.identifier(), scope.value(), scope.description(), i)
                    .update();
            }
        }

        Set<String> clientIds = tenant.clients().stream().map(TenantClient::clientId).collect(Collectors.toSet());
        int removedClients = deleteMissing("tenant_client", "client_id", clientIds);
        for (TenantClient client : tenant.clients()) {
            TenantClient.RefreshTokenPolicy rt = client.refreshToken();
            boolean expiring = rt.absoluteLifetime() != null || rt.idleLifetime() != null;
            upsert("UPDATE tenant_client SET name = ?, client_secret_hash = ?, app_type = ?, callbacks = ?, "
                    + "allowed_logout_urls = ?, web_origins = ?, allowed_origins = ?, grant_types = ?, "
                    + "is_first_party = ?, rt_rotation_type = ?, rt_expiration_type = ?, "
                    + "rt_token_lifetime = ?, rt_idle_token_lifetime = ?, rt_leeway = ?, "
                    + "require_proof_of_possession = ? WHERE client_id = ?",
                    "INSERT INTO tenant_client (name, client_secret_hash, app_type, callbacks, allowed_logout_urls, "
                            + "web_origins, allowed_origins, grant_types, is_first_party, rt_rotation_type, "
                            + "rt_expiration_type, rt_token_lifetime, rt_idle_token_lifetime, rt_leeway, "
                            + "require_proof_of_possession, client_id) "
                            + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    client.name(), secretHash(client), client.appType().name(), join(client.callbacks()),
                    join(client.allowedLogoutUrls()), join(client.webOrigins()), join(client.allowedOrigins()),
                    join(client.grantTypes()), client.isFirstParty(), rt.rotating() ? "rotating" : "non-rotating",
                    expiring ? "expiring" : "non-expiring", rt.absoluteLifetime(), rt.idleLifetime(), rt.leeway(),
                    client.requireProofOfPossession(), client.clientId());
        }

        jdbc.sql("DELETE FROM client_grant").update();
        for (ClientGrant grant : tenant.clientGrants()) {
            jdbc.sql("INSERT INTO client_grant (client_id, audience, scopes) VALUES (?, ?, ?)")
                .params(grant.clientId(), grant.audience(), String.join(" ", grant.scope()))
                .update();
        }

        Set<String> roleNames = tenant.roles().stream().map(Role::name).collect(Collectors.toSet());
        int removedRoles = deleteMissing("tenant_role", "name", roleNames);
        for (Role role : tenant.roles()) {
            upsert("UPDATE tenant_role SET description = ? WHERE name = ?",
                    "INSERT INTO tenant_role (description, name) VALUES (?, ?)", role.description(), role.name());
            jdbc.sql("DELETE FROM role_permission WHERE role_name = ?").param(role.name()).update();
            Set<Role.Permission> distinct = new HashSet<>(role.permissions());
            for (Role.Permission p : distinct) {
                jdbc.sql("INSERT INTO role_permission (role_name, resource_server_identifier, permission_name) "
                        + "VALUES (?, ?, ?)")
                    .params(role.name(), p.resourceServerIdentifier(), p.permissionName())
                    .update();
            }
        }

        writeLoginSettings(tenant.database(), tenant.guardian());

        JdbcUserDirectory.SyncResult userResult = users.sync(tenant.users());
        // Users removed from the file or blocked keep nothing: their refresh families and
        // the access tokens /userinfo would accept are revoked now, on every instance.
        int revoked = revocation.revokeInactiveUsers();
        return new Result(tenant.clients().size(), removedClients, tenant.resourceServers().size(), removedApis,
                tenant.clientGrants().size(), tenant.roles().size(), removedRoles, tenant.users().size(), userResult,
                revoked);
    }

    /**
     * The user database's sign-in settings and the multi-factor settings, read by
     * {@link LoginSettings}.
     */
    private void writeLoginSettings(DatabaseConnection database, GuardianSettings guardian) {
        deleteMissing("tenant_connection", "name", Set.of(database.name()));
        upsert("UPDATE tenant_connection SET strategy = ?, enabled_clients = ?, password_enabled = ?, "
                + "passkey_enabled = ?, challenge_ui = ?, progressive_enrollment = ?, local_enrollment = ?, "
                + "disable_signup = ? WHERE name = ?",
                "INSERT INTO tenant_connection (strategy, enabled_clients, password_enabled, passkey_enabled, "
                        + "challenge_ui, progressive_enrollment, local_enrollment, disable_signup, name) "
                        + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                "auth0", (database.enabledClients() != null) ? join(database.enabledClients()) : null, true,
                database.passkeyEnabled(), database.challengeUi(), database.progressiveEnrollment(),
                database.localEnrollment(), database.disableSignup(), database.name());
        setting(LoginSettings.GUARDIAN_FACTORS, String.join(" ", guardian.enabledFactors().stream().sorted().toList()));
        setting(LoginSettings.GUARDIAN_POLICIES, String.join(" ", guardian.policies()));
    }

    private void setting(String key, String value) {
        upsert("UPDATE tenant_setting SET setting_value = ? WHERE setting_key = ?",
                "INSERT INTO tenant_setting (setting_value, setting_key) VALUES (?, ?)", value, key);
    }

    /**
     * Keeps the stored hash while it still matches the file's secret, so re-applying
     * rewrites nothing.
     */
    private @Nullable String secretHash(TenantClient client) {
        String secret = client.clientSecret();
        if (secret == null) {
            return null;
        }
        String stored = jdbc.sql("SELECT client_secret_hash FROM tenant_client WHERE client_id = ?")
            .param(client.clientId())
            .query(String.class)
            .optional()
            .orElse(null);
        if (stored != null) {
            try {
                if (passwordEncoder.matches(secret, stored)) {
                    return stored;
                }
            }
            catch (IllegalArgumentException ex) {
                // Unreadable stored hash: encode afresh.
            }
        }
        return passwordEncoder.encode(secret);
    }

    private void upsert(String update, String insert, @Nullable Object... params) {
        if (jdbc.sql(update).params(params).update() == 0) {
            jdbc.sql(insert).params(params).update();
        }
    }

    private int deleteMissing(String table, String keyColumn, Set<String> keep) {
        List<String> stored = jdbc.sql("SELECT " + keyColumn + " FROM " + table).query(String.class).list();
        int removed = 0;
        for (String key : stored) {
            if (!keep.contains(key)) {
                removed += jdbc.sql("DELETE FROM " + table + " WHERE " + keyColumn + " = ?").param(key).update();
            }
        }
        return removed;
    }

    private static String join(List<String> values) {
        return String.join(JdbcTenantDirectory.LIST_SEPARATOR, values);
    }

    private static void logIgnored(String source, Tenant tenant) {
        if (!tenant.ignoredFields().isEmpty()) {
            log.info("Tenant file {}: {} unsupported field(s) ignored: {}", source, tenant.ignoredFields().size(),
                    String.join(", ", tenant.ignoredFields()));
        }
    }

    /**
     * True for issuers on localhost or a loopback address, where the public demo
     * credentials are harmless.
     */
    static boolean isLocalhost(String issuer) {
        try {
            String host = URI.create(issuer).getHost();
            if (host == null) {
                return false;
            }
            host = host.toLowerCase(Locale.ROOT);
            return host.equals("localhost") || host.endsWith(".localhost") || host.equals("127.0.0.1")
                    || host.equals("[::1]") || host.equals("::1");
        }
        catch (IllegalArgumentException ex) {
            return false;
        }
    }

    /**
     * The startup banner for the demo tenant: its well-known credentials, clearly marked
     * local-only.
     */
    static String demoBanner(Tenant demo) {
        StringBuilder b = new StringBuilder(System.lineSeparator());
        String rule = "=".repeat(78);
        b.append(rule).append(System.lineSeparator());
        b.append(" GATEHOUSE DEMO TENANT - FOR LOCAL USE ONLY: these credentials are public.")
            .append(System.lineSeparator());
        if (demo.users().isEmpty()) {
            b.append("   (demo users and machine client not loaded: the issuer is not a localhost URL)")
                .append(System.lineSeparator());
        }
        for (TenantUser user : demo.users()) {
            b.append(String.format("   user   %-22s password %-18s roles %s%n", user.email(), user.password(),
                    user.roles()));
        }
        for (TenantClient client : demo.clients()) {
            b.append(String.format("   client %-22s %s%s%n", client.clientId(),
                    client.appType().name().toLowerCase(Locale.ROOT),
                    client.clientSecret() == null ? "" : ", secret " + client.clientSecret()));
        }
        for (ResourceServer api : demo.resourceServers()) {
            b.append("   api    ")
                .append(api.identifier())
                .append(" scopes ")
                .append(api.scopes().stream().map(ResourceServer.Scope::value).toList())
                .append(System.lineSeparator());
        }
        b.append(" Set gatehouse.tenant-file (GATEHOUSE_TENANT_FILE) to use your own tenant.")
            .append(System.lineSeparator());
        b.append(rule);
        return b.toString();
    }

    /** What one import did, for the startup log line. */
    public record Result(int clients, int removedClients, int resourceServers, int removedResourceServers,
            int clientGrants, int roles, int removedRoles, int users, JdbcUserDirectory.SyncResult userChanges,
            int revokedAuthorizations) {

        @Override
        public String toString() {
            return clients + " client(s) (" + removedClients + " removed), " + resourceServers + " API(s) ("
                    + removedResourceServers + " removed), " + clientGrants + " client grant(s), " + roles
                    + " role(s) (" + removedRoles + " removed), " + users + " user(s) (" + userChanges.created()
                    + " created, " + userChanges.updated() + " updated, " + userChanges.disabled() + " disabled), "
                    + revokedAuthorizations + " authorization(s) of removed or blocked users revoked";
        }
    }

}
