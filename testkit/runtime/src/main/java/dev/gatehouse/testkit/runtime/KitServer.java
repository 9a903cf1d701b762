package dev.gatehouse.testkit.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.catalina.webresources.TomcatURLStreamHandlerFactory;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.web.server.PortInUseException;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.io.DefaultResourceLoader;
import org.springframework.security.oauth2.jwt.JwtEncoder;

import dev.gatehouse.authserver.AuthServerApplication;
import dev.gatehouse.authserver.tenant.ResourceServer;
import dev.gatehouse.authserver.tenant.TenantDirectory;
import dev.gatehouse.authserver.user.UserDirectory;

/**
 * One running authorization server: {@link AuthServerApplication} itself, with all its
 * beans, on a free port, its issuer set to that port.
 *
 * <p>
 * This is the bridge the test kit calls from the test's class loader, by reflection:
 * every public method takes and returns JDK types only ({@code String}, {@code Map},
 * {@code List}, numbers), the only types both class loaders share. Failures a test author
 * must read come back as {@link IllegalStateException} or
 * {@link IllegalArgumentException} with a message, or, for protocol errors, as an
 * {@code error} entry in the returned map.
 */
public final class KitServer {

    private static final int START_ATTEMPTS = 5;

    private final ConfigurableApplicationContext context;

    private final String issuer;

    private final int port;

    private final TokenMinter minter;

    private final TenantDirectory tenants;

    private final Path workDirectory;

    private KitServer(ConfigurableApplicationContext context, String issuer, int port, Path workDirectory) {
        this.context = context;
        this.issuer = issuer;
        this.port = port;
        this.workDirectory = workDirectory;
        this.tenants = context.getBean(TenantDirectory.class);
        this.minter = new TokenMinter(context.getBean(JwtEncoder.class), this.tenants,
                context.getBean(UserDirectory.class), issuer);
    }

    /**
     * Starts a server.
     * @param options {@code tenant}: a tenant as a map in tenant-file shape, written to a
     * file for the server; or {@code tenantFile}: the path of a tenant file; neither: the
     * built-in demo tenant. {@code properties}: server settings
     * ({@code Map<String, String>}) that override the kit's. {@code logLevel}: the
     * server's log level (default {@code WARN}).
     */
    @SuppressWarnings("unchecked")
    public static KitServer start(Map<String, Object> options) {
        KitLogging.level((String) options.getOrDefault("logLevel", "WARN"));
        Path work = createWorkDirectory();
        String tenantFile = (String) options.get("tenantFile");
        Object tenant = options.get("tenant");
        if (tenant != null) {
            tenantFile = TenantYaml
                .write(PasswordHashes.hashed((Map<String, Object>) tenant), work.resolve("tenant.yaml"))
                .toString();
        }
        Map<String, String> overrides = (Map<String, String>) options.getOrDefault("properties", Map.of());
        boolean fixedPort = overrides.containsKey("server.port");
        RuntimeException last = null;
        for (int attempt = 0; attempt < (fixedPort ? 1 : START_ATTEMPTS); attempt++) {
            int port = fixedPort ? Integer.parseInt(overrides.get("server.port")) : FreePorts.reserve();
            String issuer = overrides.getOrDefault("gatehouse.issuer", "http://localhost:" + port + "/");
            Map<String, String> properties = defaults(port, issuer, tenantFile);
            properties.putAll(overrides);
            try {
                ConfigurableApplicationContext context = run(properties);
                int actual = ((WebServerApplicationContext) context).getWebServer().getPort();
                return new KitServer(context, issuer, actual, work);
            }
            catch (RuntimeException ex) {
                if (!fixedPort && causedBy(ex, PortInUseException.class)) {
                    // Another process took the port between our check and Tomcat's bind:
                    // take another.
                    last = ex;
                    continue;
                }
                deleteQuietly(work);
                throw startFailure(ex);
            }
            finally {
                if (!fixedPort) {
                    FreePorts.release(port);
                }
            }
        }
        deleteQuietly(work);
        throw startFailure(last);
    }

    /** The settings every kit server starts with; the test's own settings win. */
    static Map<String, String> defaults(int port, String issuer, String tenantFile) {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("server.port", Integer.toString(port));
        properties.put("gatehouse.issuer", issuer);
        if (tenantFile != null) {
            properties.put("gatehouse.tenant-file", tenantFile);
        }
        // A database of its own per server, gone when the server stops.
        properties.put("spring.datasource.url", InMemoryDatabase.newUrl());
        properties.put("spring.datasource.username", "sa");
        properties.put("spring.datasource.password", "");
        // The JVM is the test's: installing a JVM-wide security provider (the server's
        // default) would change what the code under test signs and verifies with. The
        // tokens are the same RS256 signatures either way.
        properties.put("gatehouse.signing-keys.native-crypto", "false");
        // HTTP only: the server's HTTPS port (9443 by default) would clash between kit
        // servers and write a certificate authority into the project's data/tls.
        properties.put("gatehouse.https.enabled", "false");
        // Only the server's own application.yml: not a config file in the working
        // directory of the project under test.
        properties.put("spring.config.location", "optional:classpath:/");
        properties.put("spring.main.banner-mode", "off");
        properties.put("spring.main.log-startup-info", "false");
        properties.put("server.shutdown", "immediate");
        return properties;
    }

    private static ConfigurableApplicationContext run(Map<String, String> properties) {
        ClassLoader loader = KitServer.class.getClassLoader();
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(loader);
        try {
            SpringApplication application = new SpringApplication(new DefaultResourceLoader(loader),
                    AuthServerApplication.class);
            application.setEnvironment(new KitEnvironment());
            // Tomcat would install its URL handler factory JVM-wide, a slot Java gives
            // out once: the Tomcat of the application under test (its own classes, its
            // own class loader) then fails to start with "factory already defined".
            TomcatURLStreamHandlerFactory.disable();
            application.setRegisterShutdownHook(false);
            KitLogging.leaveLoggingToTheKit(application);
            List<String> args = new ArrayList<>();
            properties.forEach((name, value) -> args.add("--" + name + "=" + value));
            return application.run(args.toArray(String[]::new));
        }
        finally {
            thread.setContextClassLoader(previous);
        }
    }

    public String issuer() {
        return this.issuer;
    }

    public int port() {
        return this.port;
    }

    /** The identifiers of the tenant's APIs, as stored. */
    public List<String> apiIdentifiers() {
        return this.tenants.resourceServers().stream().map(ResourceServer::identifier).toList();
    }

    /** Signs an access token; see {@link TokenMinter#mint(Map)} for the spec. */
    public String mint(Map<String, Object> spec) {
        return withLoader(() -> this.minter.mint(spec));
    }

    /** The header and claims of a JWT, as JSON maps (signature not checked). */
    public Map<String, Object> decode(String jwt) {
        return Json.decodeJwt(jwt);
    }

    /**
     * The authorization code flow with PKCE through the real login and consent pages; see
     * {@link CodeFlow}.
     */
    public Map<String, Object> authorizationCode(Map<String, Object> request) {
        return withLoader(() -> new CodeFlow(this.issuer, this.tenants, request).run());
    }

    /** A form POST to the token endpoint: {@code status} and the JSON {@code body}. */
    public Map<String, Object> tokenRequest(Map<String, String> form) {
        return withLoader(() -> new HeadlessBrowser(this.issuer).tokenRequest(form));
    }

    public boolean isRunning() {
        return this.context.isActive();
    }

    public void stop() {
        withLoader(() -> {
            this.context.close();
            return null;
        });
        deleteQuietly(this.workDirectory);
    }

    private static <T> T withLoader(java.util.function.Supplier<T> action) {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(KitServer.class.getClassLoader());
        try {
            return action.get();
        }
        finally {
            thread.setContextClassLoader(previous);
        }
    }

    private static Path createWorkDirectory() {
        try {
            return Files.createTempDirectory("gatehouse-testkit-");
        }
        catch (IOException ex) {
            throw new IllegalStateException("Cannot create a temporary directory for the Gatehouse test server", ex);
        }
    }

    private static void deleteQuietly(Path directory) {
        try (var files = Files.walk(directory)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
        catch (IOException | RuntimeException ex) {
            // A temporary file left behind is not worth failing a test for.
        }
    }

    private static boolean causedBy(Throwable error, Class<? extends Throwable> type) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (type.isInstance(cause)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The failure as a test author needs it: every distinct message of the cause chain (a
     * tenant file's field errors are in there), under a JDK exception type the test's
     * class loader knows.
     */
    private static IllegalStateException startFailure(Throwable error) {
        StringBuilder message = new StringBuilder("The Gatehouse test server did not start");
        String previous = null;
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            String text = cause.getMessage();
            if (text != null && !text.isBlank() && (previous == null || !previous.contains(text))) {
                message.append(previous == null ? ": " : "\n  caused by: ").append(text);
                previous = text;
            }
        }
        return new IllegalStateException(message.toString());
    }

}
