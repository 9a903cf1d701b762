package dev.gatehouse.testkit;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Runs a Gatehouse authorization server for each test class: started before the class's
 * first test (or earlier, at the first call that needs it, such as Spring reading
 * {@link #addResourceServerProperties}), stopped after its last. Register it from a
 * {@code static} field:
 *
 * <pre class="code">
 * &#64;RegisterExtension
 * static GatehouseExtension gatehouse = GatehouseExtension.builder()
 *     .api("https://my.api", "read:messages")
 *     .spa("my-spa", "http://localhost:4200")
 *     .role("reader", "https://my.api", "read:messages")
 *     .user("alice@example.com", "Alice-Passw0rd", "reader")
 *     .build();
 * </pre>
 *
 * <p>
 * The field is the test's handle on the server ({@link Gatehouse}); test and lifecycle
 * methods may also take a {@link Gatehouse} or {@link GatehouseServer} parameter. The
 * annotation form is {@link GatehouseTest}. Each test class gets a fresh server (fresh
 * database, fresh signing key); {@code @Nested} classes share their outer class's.
 */
public final class GatehouseExtension
        implements Gatehouse, BeforeAllCallback, AfterAllCallback, BeforeEachCallback, ParameterResolver {

    /**
     * Servers of {@link Builder#shared() shared} extensions, one per configuration, for
     * the whole JVM (closed when it exits).
     */
    private static final Map<GatehouseBuilder.ServerOptions, FutureTask<GatehouseServer>> SHARED = new ConcurrentHashMap<>();

    private final GatehouseBuilder.ServerOptions options;

    private final boolean shared;

    private GatehouseServer server;

    /** Unique id of the extension context (test class) the server belongs to. */
    private String owner;

    private String ownerName;

    GatehouseExtension(GatehouseBuilder.ServerOptions options, boolean shared) {
        this.options = options;
        this.shared = shared;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A server with the built-in demo tenant (users {@code demo@example.com}...). */
    public static GatehouseExtension demoTenant() {
        return builder().build();
    }

    /**
     * A server with the tenant of this {@code tenant.yaml} (classpath resource or file).
     */
    public static GatehouseExtension withTenant(String resourceOrPath) {
        return builder().tenant(resourceOrPath).build();
    }

    /** The running server, started now if the test class has not started it yet. */
    public synchronized GatehouseServer server() {
        if (this.server == null) {
            this.server = this.shared ? sharedServer(this.options) : GatehouseServer.start(this.options);
        }
        return this.server;
    }

    /**
     * Whether this extension's server outlives its test class ({@link Builder#shared()}).
     */
    public boolean isShared() {
        return this.shared;
    }

    private static GatehouseServer sharedServer(GatehouseBuilder.ServerOptions options) {
        FutureTask<GatehouseServer> start = new FutureTask<>(() -> GatehouseServer.start(options));
        FutureTask<GatehouseServer> existing = SHARED.putIfAbsent(options, start);
        if (existing == null) {
            start.run();
            existing = start;
        }
        try {
            return existing.get();
        }
        catch (ExecutionException ex) {
            SHARED.remove(options, existing);
            throw (ex.getCause() instanceof RuntimeException runtime) ? runtime
                    : new IllegalStateException(ex.getCause());
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while the shared Gatehouse server was starting", ex);
        }
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        synchronized (this) {
            if (this.shared) {
                server();
                this.owner = (this.owner != null) ? this.owner : context.getUniqueId();
                return;
            }
            if (this.owner != null) {
                if (isWithin(context, this.owner)) {
                    return; // a @Nested class: it shares its outer class's server
                }
                throw new IllegalStateException("This GatehouseExtension already runs the server of " + this.ownerName
                        + ", which has not finished: give " + context.getRequiredTestClass().getName()
                        + " a GatehouseExtension field of its own (test classes running in parallel cannot share one)");
            }
            server();
            this.owner = context.getUniqueId();
            this.ownerName = context.getRequiredTestClass().getName();
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        GatehouseServer stopping = null;
        synchronized (this) {
            if (context.getUniqueId().equals(this.owner)) {
                stopping = this.shared ? null : this.server;
                this.server = null;
                this.owner = null;
                this.ownerName = null;
            }
        }
        if (stopping != null) {
            stopping.close();
        }
    }

    @Override
    public synchronized void beforeEach(ExtensionContext context) {
        if (this.owner == null && !this.shared) {
            throw new IllegalStateException("Register the GatehouseExtension from a static field"
                    + " (@RegisterExtension static GatehouseExtension ...): it runs one server per test class");
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == Gatehouse.class || type == GatehouseServer.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return server();
    }

    private static boolean isWithin(ExtensionContext context, String uniqueId) {
        for (Optional<ExtensionContext> current = Optional.of(context); current
            .isPresent(); current = current.get().getParent()) {
            if (current.get().getUniqueId().equals(uniqueId)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String issuer() {
        return server().issuer();
    }

    @Override
    public int port() {
        return server().port();
    }

    @Override
    public List<String> apis() {
        return server().apis();
    }

    @Override
    public AccessTokenBuilder accessToken() {
        return server().accessToken();
    }

    @Override
    public AuthorizationCodeFlow authorizationCode(String email, String password) {
        return server().authorizationCode(email, password);
    }

    @Override
    public TokenResponse clientCredentials(String clientId, String clientSecret, String audience, String... scopes) {
        return server().clientCredentials(clientId, clientSecret, audience, scopes);
    }

    @Override
    public TokenResponse refresh(String clientId, String clientSecret, String refreshToken) {
        return server().refresh(clientId, clientSecret, refreshToken);
    }

    @Override
    public Map<String, Object> claims(String jwt) {
        return server().claims(jwt);
    }

    @Override
    public Map<String, Object> header(String jwt) {
        return server().header(jwt);
    }

    @Override
    public String toString() {
        GatehouseServer running = this.server;
        return "GatehouseExtension[" + ((running != null) ? running.issuer() : "not started") + "]";
    }

    /**
     * Builds a {@link GatehouseExtension}; see {@link GatehouseBuilder} for the tenant.
     */
    public static final class Builder extends GatehouseBuilder<Builder> {

        private boolean shared;

        Builder() {
        }

        /**
         * The extension; its server starts with the test class, and the tenant is checked
         * now.
         */
        public GatehouseExtension build() {
            return new GatehouseExtension(options(), this.shared);
        }

        /**
         * One server for every test class of the JVM built with the same configuration,
         * instead of one per class: started by the first such class, stopped when the JVM
         * exits. Test classes then start in the time a token takes, but share the
         * server's state (users' consents and sessions, refresh tokens, login-throttle
         * counters) and its issuer, so a Spring context may be shared too.
         */
        public Builder shared() {
            this.shared = true;
            return this;
        }

    }

}
