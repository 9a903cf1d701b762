package dev.gatehouse.authserver.tenant;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.StringReader;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;
import org.springframework.core.io.ClassPathResource;
import org.springframework.util.ClassUtils;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

import dev.gatehouse.authserver.tenant.TenantClient.AppType;
import dev.gatehouse.authserver.tenant.TenantClient.RefreshTokenPolicy;
import dev.gatehouse.authserver.tenant.TenantFileException.Problem;
import dev.gatehouse.authserver.user.EmailAddresses;

/**
 * Reads and validates a tenant file written with the Auth0 Deploy CLI {@code tenant.yaml}
 * field names.
 *
 * <p>
 * Hand-written on SnakeYAML's node tree rather than bound with Jackson or Boot's binder
 * because the tenant file's rules need three things those do not give together: the line
 * of every bad value, a list of the many Deploy CLI fields we accept but ignore, and
 * every problem of the file reported at once. Nothing is applied unless the whole file is
 * valid.
 */
public final class TenantFileReader {

    /**
     * Auth0 grant types Gatehouse serves or at least keeps ({@code implicit} is accepted
     * but not served).
     */
    static final Set<String> SUPPORTED_GRANT_TYPES = Set.of("authorization_code", "refresh_token", "client_credentials",
            "implicit", TenantClient.PASSKEY_GRANT_TYPE);

    /**
     * Grant types a real Deploy CLI export may carry that Gatehouse does not serve:
     * listed as ignored.
     */
    static final Set<String> IGNORED_GRANT_TYPES = Set.of("password",
            "http://auth0.com/oauth/grant-type/password-realm", "http://auth0.com/oauth/grant-type/mfa-oob",
            "http://auth0.com/oauth/grant-type/mfa-otp", "http://auth0.com/oauth/grant-type/mfa-recovery-code",
            "http://auth0.com/oauth/grant-type/passwordless/otp", "urn:ietf:params:oauth:grant-type:device_code",
            "urn:ietf:params:oauth:grant-type:token-exchange", "urn:openid:params:grant-type:ciba",
            "urn:auth0:params:oauth:grant-type:token-exchange:federated-connection-access-token");

    private static final Set<String> TOP_LEVEL = Set.of("clients", "resourceServers", "clientGrants", "roles", "users",
            "databases", "guardianFactors", "guardianPolicies");

    private static final Set<String> DATABASE_FIELDS = Set.of("name", "strategy", "enabled_clients", "options");

    private static final Set<String> DATABASE_OPTION_FIELDS = Set.of("authentication_methods", "passkey_options",
            "disable_signup");

    private static final Set<String> AUTHENTICATION_METHOD_FIELDS = Set.of("password", "passkey");

    private static final Set<String> ENABLED_FIELD = Set.of("enabled");

    private static final Set<String> PASSKEY_OPTION_FIELDS = Set.of("challenge_ui", "progressive_enrollment_enabled",
            "local_enrollment_enabled");

    private static final Set<String> GUARDIAN_FACTOR_FIELDS = Set.of("name", "enabled");

    /**
     * Every factor name of Auth0's Guardian; the ones outside
     * {@link GuardianSettings#SERVED} cannot be enabled.
     */
    private static final Set<String> GUARDIAN_FACTOR_NAMES = Set.of("sms", "push-notification", "otp", "email", "duo",
            "webauthn-roaming", "webauthn-platform", "recovery-code");

    private static final Set<String> GUARDIAN_POLICY_FIELDS = Set.of("policies");

    private static final Set<String> CLIENT_FIELDS = Set.of("name", "client_id", "client_secret", "app_type",
            "callbacks", "allowed_logout_urls", "web_origins", "allowed_origins", "grant_types", "is_first_party",
            "refresh_token", "require_proof_of_possession");

    private static final Set<String> REFRESH_TOKEN_FIELDS = Set.of("rotation_type", "expiration_type", "token_lifetime",
            "idle_token_lifetime", "infinite_token_lifetime", "infinite_idle_token_lifetime", "leeway");

    private static final Set<String> RESOURCE_SERVER_FIELDS = Set.of("name", "identifier", "scopes", "token_lifetime",
            "token_lifetime_for_web", "allow_offline_access", "enforce_policies", "token_dialect",
            "skip_consent_for_verifiable_first_party_clients", "proof_of_possession");

    private static final Set<String> PROOF_OF_POSSESSION_FIELDS = Set.of("mechanism", "required");

    private static final Set<String> SCOPE_FIELDS = Set.of("value", "description");

    private static final Set<String> GRANT_FIELDS = Set.of("client_id", "audience", "scope");

    private static final Set<String> ROLE_FIELDS = Set.of("name", "description", "permissions");

    private static final Set<String> PERMISSION_FIELDS = Set.of("permission_name", "resource_server_identifier");

    private static final Set<String> USER_FIELDS = Set.of("email", "password", "password_hash", "name", "picture",
            "email_verified", "blocked", "roles");

    /**
     * Auth0's upper bound for API and refresh-token lifetimes (30 days for APIs, about 1
     * year for refresh).
     */
    private static final long MAX_API_LIFETIME = 2_592_000L;

    private static final long MAX_REFRESH_LIFETIME = 31_557_600L;

    /**
     * The longest reuse interval accepted; keep it to the seconds a lost answer needs.
     */
    private static final long MAX_LEEWAY = 3_600L;

    private static final Pattern NO_WHITESPACE = Pattern.compile("^\\S+$");

    private TenantFileReader() {
    }

    /** Reads a tenant file from disk. */
    public static Tenant read(Path file) {
        return read(file, DeployCliKeywords.NONE);
    }

    /**
     * Reads a tenant file from disk, after replacing its Deploy CLI keywords
     * ({@code ##KEY##}, {@code @@KEY@@}) with {@code keywords}.
     */
    public static Tenant read(Path file, DeployCliKeywords keywords) {
        String source = file.toString();
        try {
            return read(source,
                    new StringReader(keywords.apply(source, Files.readString(file, StandardCharsets.UTF_8))));
        }
        catch (NoSuchFileException ex) {
            throw fileProblem(source, "the file does not exist");
        }
        catch (IOException ex) {
            throw fileProblem(source, "the file cannot be read (" + ex.getClass().getSimpleName() + ")");
        }
    }

    /** Reads a tenant file shipped on the classpath, such as the built-in demo tenant. */
    public static Tenant readClasspath(String location) {
        String source = "classpath:" + location;
        try (InputStream in = new ClassPathResource(location).getInputStream();
                Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8)) {
            return read(source, reader);
        }
        catch (IOException ex) {
            throw fileProblem(source, "the resource cannot be read");
        }
    }

    /**
     * Reads tenant YAML from {@code reader}; {@code source} names it in error messages.
     */
    public static Tenant read(String source, Reader reader) {
        Node root;
        try {
            LoaderOptions options = new LoaderOptions();
            options.setAllowDuplicateKeys(false);
            root = new Yaml(options).compose(reader);
        }
        catch (MarkedYAMLException ex) {
            int line = ex.getProblemMark() != null ? ex.getProblemMark().getLine() + 1 : 0;
            throw new TenantFileException(source,
                    List.of(new Problem("", line, "invalid YAML syntax: " + ex.getProblem())));
        }
        catch (YAMLException ex) {
            throw fileProblem(source, "invalid YAML: " + ex.getMessage());
        }
        if (root == null) {
            throw fileProblem(source, "the file is empty; declare at least clients or resourceServers");
        }
        DerivedClientIds.addMissing(root, source);
        return new Parse(source).tenant(root);
    }

    private static TenantFileException fileProblem(String source, String message) {
        return new TenantFileException(source, List.of(new Problem("", 0, message)));
    }

    private static int line(Node node) {
        return node.getStartMark().getLine() + 1;
    }

    /**
     * One parse of one file: collects problems and ignored fields, then builds the tenant
     * if it is clean.
     */
    private static final class Parse {

        private final String source;

        private final List<Problem> problems = new ArrayList<>();

        private final List<String> ignored = new ArrayList<>();

        Parse(String source) {
            this.source = source;
        }

        Tenant tenant(Node root) {
            if (!(root instanceof MappingNode mapping)) {
                problem("", root, "the file must be a YAML mapping with keys such as clients and resourceServers");
                throw new TenantFileException(source, problems);
            }
            Obj top = new Obj("", mapping, TOP_LEVEL);
            List<ResourceServer> apis = new ArrayList<>();
            List<Integer> apiLines = new ArrayList<>();
            for (Obj o : top.objects("resourceServers", RESOURCE_SERVER_FIELDS)) {
                apis.add(resourceServer(o));
                apiLines.add(o.line());
            }
            List<TenantClient> clients = new ArrayList<>();
            for (Obj o : top.objects("clients", CLIENT_FIELDS)) {
                clients.add(client(o));
            }
            List<Obj> grantObjs = top.objects("clientGrants", GRANT_FIELDS);
            List<Obj> roleObjs = top.objects("roles", ROLE_FIELDS);
            List<Obj> userObjs = top.objects("users", USER_FIELDS);

            Map<String, ResourceServer> apisById = uniqueApis(apis, top);
            Map<String, String> clientIdsByRef = uniqueClients(clients, top);
            List<ClientGrant> grants = new ArrayList<>();
            Set<String> grantKeys = new HashSet<>();
            for (Obj o : grantObjs) {
                ClientGrant grant = clientGrant(o, clientIdsByRef, apisById);
                if (grant != null) {
                    if (!grantKeys.add(grant.clientId() + " " + grant.audience())) {
                        o.problem("", "duplicate grant: client " + grant.clientId() + " already has a grant for "
                                + grant.audience());
                    }
                    grants.add(grant);
                }
            }
            List<Role> roles = new ArrayList<>();
            Set<String> roleNames = new HashSet<>();
            for (Obj o : roleObjs) {
                Role role = role(o, apisById);
                if (role != null) {
                    if (!roleNames.add(role.name())) {
                        o.problem("name", "duplicate role name '" + role.name() + "'");
                    }
                    roles.add(role);
                }
            }
            List<TenantUser> users = new ArrayList<>();
            Set<String> emails = new HashSet<>();
            for (Obj o : userObjs) {
                TenantUser user = user(o, roleNames);
                if (user != null) {
                    if (!emails.add(user.email())) {
                        o.problem("email",
                                "duplicate email '" + user.email() + "' (emails are compared ignoring case)");
                    }
                    users.add(user);
                }
            }
            DatabaseConnection database = database(top, clientIdsByRef);
            GuardianSettings guardian = guardian(top);
            if (!problems.isEmpty()) {
                throw new TenantFileException(source, problems);
            }
            return new Tenant(clients, apis, grants, roles, users, ignored, database, guardian);
        }

        private Map<String, ResourceServer> uniqueApis(List<ResourceServer> apis, Obj top) {
            Map<String, ResourceServer> byId = new LinkedHashMap<>();
            List<Obj> objs = top.objectsSeen.getOrDefault("resourceServers", List.of());
            for (int i = 0; i < apis.size(); i++) {
                ResourceServer api = apis.get(i);
                if (api.identifier().isEmpty()) {
                    continue;
                }
                if (byId.putIfAbsent(api.identifier(), api) != null) {
                    objs.get(i).problem("identifier", "duplicate API identifier '" + api.identifier() + "'");
                }
            }
            return byId;
        }

        /**
         * Maps both client_id and name to the client_id: Deploy CLI grants name their
         * client by name.
         */
        private Map<String, String> uniqueClients(List<TenantClient> clients, Obj top) {
            Map<String, String> byRef = new HashMap<>();
            Set<String> ids = new HashSet<>();
            Set<String> names = new HashSet<>();
            List<Obj> objs = top.objectsSeen.getOrDefault("clients", List.of());
            for (int i = 0; i < clients.size(); i++) {
                TenantClient c = clients.get(i);
                if (!c.clientId().isEmpty() && !ids.add(c.clientId())) {
                    objs.get(i).problem("client_id", "duplicate client_id '" + c.clientId() + "'");
                }
                if (!c.name().isEmpty() && !names.add(c.name())) {
                    objs.get(i)
                        .problem("name", "duplicate client name '" + c.name()
                                + "' (client grants may refer to clients by name, so names must be unique)");
                }
                byRef.put(c.name(), c.clientId());
            }
            clients.forEach(c -> byRef.put(c.clientId(), c.clientId()));
            return byRef;
        }

        private ResourceServer resourceServer(Obj o) {
            String name = o.requiredString("name");
            String identifier = o.requiredString("identifier");
            if (!identifier.isEmpty() && (!NO_WHITESPACE.matcher(identifier).matches() || identifier.length() > 1000)) {
                o.problem("identifier", "must be a non-empty string without spaces, at most 1000 characters "
                        + "(usually a URL such as https://api.example.com)");
            }
            List<ResourceServer.Scope> scopes = new ArrayList<>();
            Set<String> values = new HashSet<>();
            for (Obj s : o.objects("scopes", SCOPE_FIELDS)) {
                String value = s.requiredString("value");
                if (!value.isEmpty() && !NO_WHITESPACE.matcher(value).matches()) {
                    s.problem("value", "a scope must not contain spaces");
                }
                else if (!value.isEmpty() && !values.add(value)) {
                    s.problem("value", "duplicate scope '" + value + "'");
                }
                String description = s.optionalString("description");
                scopes.add(new ResourceServer.Scope(value, description == null ? "" : description));
            }
            long tokenLifetime = o.lifetime("token_lifetime", 86_400L, 1, MAX_API_LIFETIME);
            long forWeb = o.lifetime("token_lifetime_for_web", Math.min(7_200L, tokenLifetime), 1, MAX_API_LIFETIME);
            if (forWeb > tokenLifetime) {
                o.problem("token_lifetime_for_web", "must not exceed token_lifetime (" + tokenLifetime + ")");
            }
            String dialect = o.oneOf("token_dialect",
                    Set.of("access_token", "access_token_authz", "rfc9068_profile", "rfc9068_profile_authz"),
                    "access_token");
            return new ResourceServer(name, identifier, scopes, tokenLifetime, forWeb,
                    o.bool("allow_offline_access", false), o.bool("enforce_policies", false), dialect,
                    o.bool("skip_consent_for_verifiable_first_party_clients", true), proofOfPossession(o));
        }

        /**
         * Auth0's {@code proof_of_possession} block: both fields required, as in the
         * Deploy CLI's schema. Only {@code dpop} is served; an {@code mtls} requirement
         * cannot be met here and stops the start, an optional one is listed as ignored.
         */
        private ResourceServer.@Nullable ProofOfPossession proofOfPossession(Obj api) {
            Obj pop = api.object("proof_of_possession", PROOF_OF_POSSESSION_FIELDS);
            if (pop == null) {
                return null;
            }
            String mechanism = pop.oneOf("mechanism", Set.of("dpop", "mtls"), null);
            if (!pop.has("required")) {
                pop.problem("required", "is required (true or false)");
            }
            boolean required = pop.bool("required", false);
            if ("mtls".equals(mechanism)) {
                if (required) {
                    pop.problem("mechanism", "mtls (certificate-bound tokens) is not supported; use dpop");
                }
                else {
                    ignored.add(pop.fieldPath("mechanism") + " (mtls)");
                }
                return null;
            }
            return (mechanism == null) ? null : new ResourceServer.ProofOfPossession(mechanism, required);
        }

        private TenantClient client(Obj o) {
            String name = o.requiredString("name");
            String clientId = o.requiredString("client_id");
            if (!clientId.isEmpty() && (!NO_WHITESPACE.matcher(clientId).matches() || clientId.length() > 255)) {
                o.problem("client_id", "must be a string without spaces, at most 255 characters");
            }
            String appTypeName = o.oneOf("app_type", Set.of("spa", "non_interactive", "regular_web", "native"), null);
            AppType appType = appTypeName == null ? AppType.SPA : AppType.valueOf(appTypeName.toUpperCase(Locale.ROOT));
            boolean confidential = appType == AppType.NON_INTERACTIVE || appType == AppType.REGULAR_WEB;
            String secret = o.optionalString("client_secret");
            if (appTypeName != null && confidential && (secret == null || secret.isEmpty())) {
                o.problem("client_secret", "a " + appTypeName + " client authenticates with a secret: add "
                        + "client_secret (a Gatehouse extension; Deploy CLI exports leave it out)");
            }
            if (!confidential && secret != null) {
                o.problem("client_secret", "a " + appTypeName + " client is public and must not have a secret");
            }
            List<String> callbacks = o.urls("callbacks");
            List<String> logoutUrls = o.urls("allowed_logout_urls");
            List<String> webOrigins = o.origins("web_origins");
            List<String> allowedOrigins = o.origins("allowed_origins");
            List<String> grantTypes = o.grantTypes(appType);
            if (!confidential && grantTypes.contains("client_credentials")) {
                o.problem("grant_types", "client_credentials needs a confidential client "
                        + "(app_type non_interactive or regular_web), not " + appTypeName);
            }
            Obj rt = o.object("refresh_token", REFRESH_TOKEN_FIELDS);
            RefreshTokenPolicy refresh = (rt == null) ? RefreshTokenPolicy.defaultFor(appType)
                    : refreshTokenPolicy(rt, confidential);
            return new TenantClient(name, clientId, secret, appType, callbacks, logoutUrls, webOrigins, allowedOrigins,
                    grantTypes, o.bool("is_first_party", true), refresh, o.bool("require_proof_of_possession", false));
        }

        /**
         * Auth0's {@code refresh_token} block. Public clients rotate unless the block
         * says {@code non-rotating}; a lifetime makes the token expiring; and a block
         * that contradicts itself (a lifetime with {@code non-expiring}, rotation without
         * expiry, a lifetime beside its {@code infinite_} flag, a leeway without
         * rotation) is an error rather than a setting silently dropped.
         */
        private RefreshTokenPolicy refreshTokenPolicy(Obj rt, boolean confidential) {
            boolean rotating = "rotating".equals(rt.oneOf("rotation_type", Set.of("rotating", "non-rotating"),
                    confidential ? "non-rotating" : "rotating"));
            boolean lifetimeGiven = rt.has("token_lifetime");
            boolean idleGiven = rt.has("idle_token_lifetime");
            boolean infiniteLifetime = rt.bool("infinite_token_lifetime", false);
            boolean infiniteIdle = rt.bool("infinite_idle_token_lifetime", false);
            boolean expiring = "expiring".equals(rt.oneOf("expiration_type", Set.of("expiring", "non-expiring"),
                    (rotating || lifetimeGiven || idleGiven) ? "expiring" : "non-expiring"));
            long leeway = rt.lifetime("leeway", 0, 0, MAX_LEEWAY);
            if (leeway > 0 && !rotating) {
                rt.problem("leeway", "the reuse interval applies to rotating refresh tokens only; "
                        + "set rotation_type: rotating or remove leeway");
            }
            if (!expiring) {
                if (rotating) {
                    rt.problem("expiration_type",
                            "rotating refresh tokens expire: use expiring (the default) or rotation_type: non-rotating");
                }
                for (String key : List.of("token_lifetime", "idle_token_lifetime")) {
                    if (rt.has(key)) {
                        rt.problem(key, "would be ignored because expiration_type is non-expiring; "
                                + "remove it or use expiration_type: expiring");
                    }
                }
                return new RefreshTokenPolicy(rotating, null, null, leeway);
            }
            if (infiniteLifetime && lifetimeGiven) {
                rt.problem("token_lifetime", "contradicts infinite_token_lifetime: true; keep one of the two");
            }
            if (infiniteIdle && idleGiven) {
                rt.problem("idle_token_lifetime",
                        "contradicts infinite_idle_token_lifetime: true; keep one of the two");
            }
            Long lifetime = infiniteLifetime ? null : rt.lifetime("token_lifetime",
                    RefreshTokenPolicy.ROTATING.absoluteLifetime(), 1, MAX_REFRESH_LIFETIME);
            long defaultIdle = Math.min(RefreshTokenPolicy.ROTATING.idleLifetime(),
                    (lifetime == null) ? Long.MAX_VALUE : lifetime);
            Long idle = infiniteIdle ? null : rt.lifetime("idle_token_lifetime", defaultIdle, 1, MAX_REFRESH_LIFETIME);
            if (lifetime != null && idle != null && idle > lifetime) {
                rt.problem("idle_token_lifetime", "must not exceed token_lifetime (" + lifetime + ")");
            }
            return new RefreshTokenPolicy(rotating, lifetime, idle, leeway);
        }

        /**
         * The user database's sign-in settings: Gatehouse keeps one user store, so at
         * most one {@code databases} entry, of Auth0's own strategy.
         */
        private DatabaseConnection database(Obj top, Map<String, String> clientIdsByRef) {
            List<Obj> databases = top.objects("databases", DATABASE_FIELDS);
            if (databases.isEmpty()) {
                return DatabaseConnection.PASSWORDS_ONLY;
            }
            for (int i = 1; i < databases.size(); i++) {
                databases.get(i)
                    .problem("", "Gatehouse has one user database: declare a single databases entry (the tenant "
                            + "file's users are its users)");
            }
            Obj db = databases.get(0);
            String name = db.requiredString("name");
            db.oneOf("strategy", Set.of("auth0"), "auth0");
            List<String> enabledClients = null;
            if (db.has("enabled_clients")) {
                enabledClients = new ArrayList<>();
                List<String> refs = db.strings("enabled_clients");
                for (int i = 0; i < refs.size(); i++) {
                    String clientId = clientIdsByRef.get(refs.get(i));
                    if (clientId == null) {
                        db.problemAt("enabled_clients[" + i + "]", db.elementLine("enabled_clients", i),
                                "no client has client_id or name '" + refs.get(i) + "'");
                    }
                    else {
                        enabledClients.add(clientId);
                    }
                }
            }
            Obj options = db.object("options", DATABASE_OPTION_FIELDS);
            boolean passkey = false;
            String challengeUi = "both";
            boolean progressive = true;
            boolean local = true;
            boolean disableSignup = false;
            if (options != null) {
                Obj methods = options.object("authentication_methods", AUTHENTICATION_METHOD_FIELDS);
                if (methods != null) {
                    Obj password = methods.object("password", ENABLED_FIELD);
                    if (password != null && !password.bool("enabled", true)) {
                        password.problem("enabled", "Gatehouse always offers passwords: the tenant file's users "
                                + "sign in with them; remove enabled: false");
                    }
                    Obj passkeyMethod = methods.object("passkey", ENABLED_FIELD);
                    passkey = passkeyMethod != null && passkeyMethod.bool("enabled", false);
                }
                Obj passkeyOptions = options.object("passkey_options", PASSKEY_OPTION_FIELDS);
                if (passkeyOptions != null) {
                    challengeUi = passkeyOptions.oneOf("challenge_ui", Set.of("both", "autofill", "button"), "both");
                    progressive = passkeyOptions.bool("progressive_enrollment_enabled", true);
                    local = passkeyOptions.bool("local_enrollment_enabled", true);
                }
                disableSignup = options.bool("disable_signup", false);
            }
            return new DatabaseConnection(name.isEmpty() ? DatabaseConnection.DEFAULT_NAME : name, enabledClients,
                    passkey, challengeUi, progressive, local, disableSignup);
        }

        /**
         * {@code guardianFactors} and {@code guardianPolicies}. A factor Gatehouse does
         * not serve (SMS, push, email, Duo) may be listed but not enabled, and a policy
         * that needs a second factor needs one Gatehouse serves.
         */
        private GuardianSettings guardian(Obj top) {
            Set<String> enabled = new LinkedHashSet<>();
            for (Obj factor : top.objects("guardianFactors", GUARDIAN_FACTOR_FIELDS)) {
                String name = factor.oneOf("name", GUARDIAN_FACTOR_NAMES, null);
                boolean on = factor.bool("enabled", false);
                if (name == null || !on) {
                    continue;
                }
                if (!GuardianSettings.SERVED.contains(name)) {
                    factor.problem("enabled", "Gatehouse does not serve the " + name + " factor; it may stay listed "
                            + "with enabled: false. Served factors: " + sorted(GuardianSettings.SERVED));
                }
                else {
                    enabled.add(name);
                }
            }
            List<String> policies = new ArrayList<>();
            Obj policy = top.object("guardianPolicies", GUARDIAN_POLICY_FIELDS);
            if (policy != null) {
                List<String> given = policy.strings("policies");
                for (int i = 0; i < given.size(); i++) {
                    if (!GuardianSettings.ALL_APPLICATIONS.equals(given.get(i))) {
                        policy.problemAt("policies[" + i + "]", policy.elementLine("policies", i), "'" + given.get(i)
                                + "' is not supported; use [all-applications] (Always) or [] (Never)");
                    }
                    else if (!policies.contains(given.get(i))) {
                        policies.add(given.get(i));
                    }
                }
            }
            GuardianSettings guardian = new GuardianSettings(enabled, policies);
            if (guardian.alwaysRequired() && !guardian.anyFactor()) {
                policy.problem("policies", "all-applications needs a second factor: enable otp, webauthn-roaming or "
                        + "webauthn-platform under guardianFactors");
            }
            return guardian;
        }

        private @Nullable ClientGrant clientGrant(Obj o, Map<String, String> clientIdsByRef,
                Map<String, ResourceServer> apis) {
            String clientRef = o.requiredString("client_id");
            String audience = o.requiredString("audience");
            List<String> scope = o.strings("scope");
            String clientId = clientIdsByRef.get(clientRef);
            if (!clientRef.isEmpty() && clientId == null) {
                o.problem("client_id", "no client has client_id or name '" + clientRef + "'");
            }
            ResourceServer api = apis.get(audience);
            if (!audience.isEmpty() && api == null) {
                o.problem("audience",
                        "no resourceServers entry has identifier '" + audience + "'; defined: " + apis.keySet());
            }
            if (api != null) {
                Set<String> defined = scopeValues(api);
                for (int i = 0; i < scope.size(); i++) {
                    if (!defined.contains(scope.get(i))) {
                        o.problemAt("scope[" + i + "]", o.elementLine("scope", i),
                                "scope '" + scope.get(i) + "' is not defined on " + audience + "; defined: " + defined);
                    }
                }
            }
            if (clientId == null || api == null) {
                return null;
            }
            return new ClientGrant(clientId, audience, scope);
        }

        private @Nullable Role role(Obj o, Map<String, ResourceServer> apis) {
            String name = o.requiredString("name");
            String description = o.optionalString("description");
            List<Role.Permission> permissions = new ArrayList<>();
            for (Obj p : o.objects("permissions", PERMISSION_FIELDS)) {
                String permission = p.requiredString("permission_name");
                String apiId = p.requiredString("resource_server_identifier");
                ResourceServer api = apis.get(apiId);
                if (!apiId.isEmpty() && api == null) {
                    p.problem("resource_server_identifier",
                            "no resourceServers entry has identifier '" + apiId + "'; defined: " + apis.keySet());
                }
                else if (api != null && !permission.isEmpty() && !scopeValues(api).contains(permission)) {
                    p.problem("permission_name",
                            "'" + permission + "' is not a scope of " + apiId + "; defined: " + scopeValues(api));
                }
                permissions.add(new Role.Permission(permission, apiId));
            }
            return name.isEmpty() ? null : new Role(name, description == null ? "" : description, permissions);
        }

        private @Nullable TenantUser user(Obj o, Set<String> roleNames) {
            String email = o.requiredString("email").toLowerCase(Locale.ROOT);
            if (!email.isEmpty() && !EmailAddresses.isWellFormed(email)) {
                o.problem("email", "'" + email + "' is not an email address");
            }
            String password = o.optionalString("password");
            String hash = o.optionalString("password_hash");
            if (password == null && hash == null) {
                o.problem("", "a user needs password or password_hash");
            }
            else if (password != null && hash != null) {
                o.problem("password_hash", "give either password or password_hash, not both");
            }
            else if (password != null && password.isEmpty()) {
                o.problem("password", "must not be empty");
            }
            else if (hash != null && !supportedHash(hash)) {
                o.problem("password_hash", "must be a Spring Security hash with its encoder prefix, one of "
                        + supportedHashIds() + ", for example {bcrypt}$2a$10$...");
            }
            String name = o.optionalString("name");
            String picture = o.optionalString("picture");
            if (picture != null && !isAbsoluteUrl(picture)) {
                o.problem("picture", "must be an absolute http(s) URL");
            }
            List<String> roles = o.strings("roles");
            for (int i = 0; i < roles.size(); i++) {
                if (!roleNames.contains(roles.get(i))) {
                    o.problemAt("roles[" + i + "]", o.elementLine("roles", i),
                            "role '" + roles.get(i) + "' is not defined under roles; defined: " + roleNames);
                }
            }
            return new TenantUser(email, password, hash, name == null || name.isBlank() ? email : name, picture,
                    o.bool("email_verified", true), o.bool("blocked", false), roles);
        }

        private static Set<String> scopeValues(ResourceServer api) {
            Set<String> values = new LinkedHashSet<>();
            api.scopes().forEach(s -> values.add(s.value()));
            return values;
        }

        private void problem(String path, Node node, String message) {
            problems.add(new Problem(path, line(node), message));
        }

        /**
         * A YAML mapping at {@code path}; remembers which keys are supported and records
         * the rest as ignored.
         */
        private final class Obj {

            final String path;

            final MappingNode node;

            final Map<String, Node> fields = new LinkedHashMap<>();

            final Map<String, Integer> keyLines = new HashMap<>();

            final Map<String, List<Obj>> objectsSeen = new HashMap<>();

            Obj(String path, MappingNode node, Set<String> supported) {
                this.path = path;
                this.node = node;
                for (NodeTuple tuple : node.getValue()) {
                    if (!(tuple.getKeyNode() instanceof ScalarNode key)) {
                        Parse.this.problem(path, tuple.getKeyNode(), "keys must be plain names");
                        continue;
                    }
                    String name = key.getValue();
                    if (fields.containsKey(name)) {
                        problems.add(new Problem(fieldPath(name), TenantFileReader.line(key), "duplicate key"));
                    }
                    else if (!supported.contains(name)) {
                        ignored.add(fieldPath(name));
                    }
                    else {
                        fields.put(name, tuple.getValueNode());
                        keyLines.put(name, TenantFileReader.line(key));
                    }
                }
            }

            int line() {
                return TenantFileReader.line(node);
            }

            String fieldPath(String key) {
                if (key.isEmpty()) {
                    return path;
                }
                return path.isEmpty() ? key : path + "." + key;
            }

            /**
             * A problem with field {@code key}, reported at the key's line (the object's
             * line if it is absent).
             */
            void problem(String key, String message) {
                problems.add(new Problem(fieldPath(key), keyLines.getOrDefault(key, line()), message));
            }

            void problemAt(String key, int line, String message) {
                problems.add(new Problem(fieldPath(key), line, message));
            }

            int elementLine(String key, int index) {
                if (fields.get(key) instanceof SequenceNode seq && index < seq.getValue().size()) {
                    return TenantFileReader.line(seq.getValue().get(index));
                }
                return line();
            }

            private @Nullable Node present(String key) {
                Node value = fields.get(key);
                if (value == null || (value instanceof ScalarNode s && Tag.NULL.equals(s.getTag()))) {
                    return null;
                }
                return value;
            }

            @Nullable String optionalString(String key) {
                Node value = present(key);
                if (value == null) {
                    return null;
                }
                if (!(value instanceof ScalarNode scalar)) {
                    problem(key, "must be a single text value");
                    return null;
                }
                return scalar.getValue();
            }

            /**
             * The trimmed value, or "" after recording a problem when it is missing or
             * blank.
             */
            String requiredString(String key) {
                boolean wasPresent = present(key) != null;
                String value = optionalString(key);
                if (value == null || value.isBlank()) {
                    if (!wasPresent || value != null) {
                        problem(key, "is required");
                    }
                    return "";
                }
                return value.trim();
            }

            @Nullable String oneOf(String key, Set<String> allowed, @Nullable String defaultValue) {
                String value = defaultValue == null ? requiredString(key) : optionalString(key);
                if (value == null) {
                    return defaultValue;
                }
                if (value.isEmpty() && defaultValue == null) {
                    return null;
                }
                if (!allowed.contains(value)) {
                    problem(key, "'" + value + "' is not allowed; use one of " + sorted(allowed));
                    return defaultValue;
                }
                return value;
            }

            boolean bool(String key, boolean defaultValue) {
                String value = optionalString(key);
                if (value == null) {
                    return defaultValue;
                }
                if ("true".equalsIgnoreCase(value) || "false".equalsIgnoreCase(value)) {
                    return Boolean.parseBoolean(value);
                }
                problem(key, "'" + value + "' is not a boolean; use true or false");
                return defaultValue;
            }

            boolean has(String key) {
                return present(key) != null;
            }

            /** A lifetime in seconds within [min, max]. */
            long lifetime(String key, long defaultValue, long min, long max) {
                String value = optionalString(key);
                if (value == null) {
                    return defaultValue;
                }
                try {
                    long seconds = Long.parseLong(value.trim());
                    if (seconds < min || seconds > max) {
                        problem(key,
                                seconds + " is out of range; a lifetime in seconds between " + min + " and " + max);
                        return defaultValue;
                    }
                    return seconds;
                }
                catch (NumberFormatException ex) {
                    problem(key, "'" + value + "' is not a whole number of seconds");
                    return defaultValue;
                }
            }

            List<String> strings(String key) {
                Node value = present(key);
                if (value == null) {
                    return new ArrayList<>();
                }
                if (!(value instanceof SequenceNode seq)) {
                    problem(key, "must be a list");
                    return new ArrayList<>();
                }
                List<String> result = new ArrayList<>();
                for (int i = 0; i < seq.getValue().size(); i++) {
                    Node item = seq.getValue().get(i);
                    if (item instanceof ScalarNode s && !Tag.NULL.equals(s.getTag()) && !s.getValue().isBlank()) {
                        result.add(s.getValue().trim());
                    }
                    else {
                        problems.add(new Problem(fieldPath(key) + "[" + i + "]", TenantFileReader.line(item),
                                "must be a non-empty text value"));
                    }
                }
                return result;
            }

            List<String> urls(String key) {
                List<String> urls = strings(key);
                for (int i = 0; i < urls.size(); i++) {
                    String url = urls.get(i);
                    if (!isAbsoluteUrl(url) || url.contains("*") || url.contains("#")) {
                        problemAt(key + "[" + i + "]", elementLine(key, i),
                                "'" + url + "' is not an absolute http(s) URL such as http://localhost:4200/callback "
                                        + "(wildcards and fragments are not supported)");
                    }
                }
                return urls;
            }

            List<String> origins(String key) {
                List<String> origins = strings(key);
                for (int i = 0; i < origins.size(); i++) {
                    String origin = origins.get(i);
                    if (!isOrigin(origin)) {
                        problemAt(key + "[" + i + "]", elementLine(key, i), "'" + origin
                                + "' is not an origin: use scheme://host[:port] with no path, query or trailing "
                                + "slash, such as http://localhost:4200");
                    }
                }
                return origins;
            }

            List<String> grantTypes(AppType appType) {
                if (present("grant_types") == null) {
                    return switch (appType) {
                        case SPA, NATIVE -> new ArrayList<>(List.of("authorization_code", "refresh_token"));
                        case REGULAR_WEB ->
                            new ArrayList<>(List.of("authorization_code", "refresh_token", "client_credentials"));
                        case NON_INTERACTIVE -> new ArrayList<>(List.of("client_credentials"));
                    };
                }
                List<String> result = new ArrayList<>();
                List<String> given = strings("grant_types");
                for (int i = 0; i < given.size(); i++) {
                    String type = given.get(i);
                    if (SUPPORTED_GRANT_TYPES.contains(type)) {
                        if (!result.contains(type)) {
                            result.add(type);
                        }
                    }
                    else if (IGNORED_GRANT_TYPES.contains(type)) {
                        ignored.add(fieldPath("grant_types") + "[" + i + "] (" + type + ")");
                    }
                    else {
                        problemAt("grant_types[" + i + "]", elementLine("grant_types", i),
                                "'" + type + "' is not a grant type; use one of " + sorted(SUPPORTED_GRANT_TYPES));
                    }
                }
                return result;
            }

            @Nullable Obj object(String key, Set<String> supported) {
                Node value = present(key);
                if (value == null) {
                    return null;
                }
                if (!(value instanceof MappingNode mapping)) {
                    problem(key, "must be a mapping of fields");
                    return null;
                }
                return new Obj(fieldPath(key), mapping, supported);
            }

            List<Obj> objects(String key, Set<String> supported) {
                Node value = present(key);
                List<Obj> result = new ArrayList<>();
                objectsSeen.put(key, result);
                if (value == null) {
                    return result;
                }
                if (!(value instanceof SequenceNode seq)) {
                    problem(key, "must be a list");
                    return result;
                }
                for (int i = 0; i < seq.getValue().size(); i++) {
                    Node item = seq.getValue().get(i);
                    String itemPath = fieldPath(key) + "[" + i + "]";
                    if (item instanceof MappingNode mapping) {
                        result.add(new Obj(itemPath, mapping, supported));
                    }
                    else {
                        problems.add(new Problem(itemPath, TenantFileReader.line(item), "must be a mapping of fields"));
                    }
                }
                return result;
            }

        }

    }

    private static List<String> sorted(Set<String> values) {
        return values.stream().sorted().toList();
    }

    static boolean isAbsoluteUrl(String value) {
        try {
            URI uri = new URI(value);
            return ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null
                    && uri.getRawUserInfo() == null;
        }
        catch (URISyntaxException ex) {
            return false;
        }
    }

    static boolean isOrigin(String value) {
        if (!isAbsoluteUrl(value)) {
            return false;
        }
        URI uri = URI.create(value);
        return (uri.getRawPath() == null || uri.getRawPath().isEmpty()) && uri.getRawQuery() == null
                && uri.getRawFragment() == null;
    }

    private static boolean argon2Available() {
        return ClassUtils.isPresent("org.bouncycastle.crypto.params.Argon2Parameters",
                TenantFileReader.class.getClassLoader());
    }

    /**
     * Encoder ids whose hashes can be checked at login with the libraries on the
     * classpath.
     */
    static List<String> supportedHashIds() {
        List<String> ids = new ArrayList<>(List.of("{bcrypt}", "{pbkdf2}", "{pbkdf2@SpringSecurity_v5_8}"));
        if (argon2Available()) {
            ids.addAll(List.of("{argon2}", "{argon2@SpringSecurity_v5_8}", "{scrypt}", "{scrypt@SpringSecurity_v5_8}"));
        }
        return ids;
    }

    static boolean supportedHash(String hash) {
        return supportedHashIds().stream().anyMatch(id -> hash.startsWith(id) && hash.length() > id.length());
    }

}
