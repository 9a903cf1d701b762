package dev.gatehouse.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A running Gatehouse authorization server: the same code as {@code auth-server/}
 * ({@code AuthServerApplication} and all its beans), in this JVM, on a random free port,
 * with its issuer set to that port and an in-memory database of its own.
 *
 * <p>
 * Tests usually get one from {@link GatehouseExtension} (one per test class). Started by
 * hand, it is closed by {@link #close()} (or at the latest when the JVM exits):
 *
 * <pre class="code">
 * try (GatehouseServer server = GatehouseServer.builder().api("https://my.api", "read:messages").start()) {
 *     String token = server.accessToken().subject("me").mint();
 * }
 * </pre>
 */
public final class GatehouseServer implements Gatehouse, AutoCloseable {

    private final ServerHandle handle;

    private final String issuer;

    private final int port;

    private final Path copiedTenant;

    private GatehouseServer(ServerHandle handle, Path copiedTenant) {
        this.handle = handle;
        this.issuer = handle.call("issuer");
        this.port = handle.call("port");
        this.copiedTenant = copiedTenant;
    }

    public static Builder builder() {
        return new Builder();
    }

    static GatehouseServer start(GatehouseBuilder.ServerOptions options) {
        Path copied = null;
        Path tenantFile = null;
        if (options.tenantSource() != null) {
            Path file = Path.of(options.tenantSource());
            if (!GatehouseBuilder.isFile(options.tenantSource())) {
                copied = copyResource(options.tenantSource());
                file = copied;
            }
            tenantFile = file.toAbsolutePath();
        }
        try {
            return new GatehouseServer(ServerHandle.start(options.toRuntime(tenantFile)), copied);
        }
        catch (RuntimeException ex) {
            deleteQuietly(copied);
            throw ex;
        }
    }

    /**
     * A classpath resource copied to a file, the form the server reads; looked up with
     * the test's class loader, with or without a leading {@code /} or {@code classpath:}.
     */
    private static Path copyResource(String resource) {
        String name = resource.startsWith("classpath:") ? resource.substring("classpath:".length()) : resource;
        name = name.startsWith("/") ? name.substring(1) : name;
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        if (loader == null) {
            loader = GatehouseServer.class.getClassLoader();
        }
        try (InputStream in = loader.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalArgumentException(
                        "No tenant file " + resource + ": neither a file nor a resource on the test class path");
            }
            Path file = Files.createTempFile("gatehouse-tenant-", ".yaml");
            Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
            return file;
        }
        catch (IOException ex) {
            throw new UncheckedIOException("Cannot read the tenant resource " + resource, ex);
        }
    }

    @Override
    public String issuer() {
        return this.issuer;
    }

    @Override
    public int port() {
        return this.port;
    }

    @Override
    public List<String> apis() {
        return this.handle.call("apiIdentifiers");
    }

    @Override
    public AccessTokenBuilder accessToken() {
        return new AccessTokenBuilder(spec -> this.handle.call("mint", spec));
    }

    @Override
    public AuthorizationCodeFlow authorizationCode(String email, String password) {
        return new AuthorizationCodeFlow(email, password, request -> this.handle.call("authorizationCode", request));
    }

    @Override
    public TokenResponse clientCredentials(String clientId, String clientSecret, String audience, String... scopes) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "client_credentials");
        form.put("client_id", clientId);
        form.put("client_secret", clientSecret);
        form.put("audience", (audience != null) ? audience : onlyApi());
        form.put("scope", (scopes.length > 0) ? String.join(" ", scopes) : null);
        return tokenRequest(form);
    }

    @Override
    public TokenResponse refresh(String clientId, String clientSecret, String refreshToken) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "refresh_token");
        form.put("client_id", clientId);
        form.put("client_secret", clientSecret);
        form.put("refresh_token", refreshToken);
        return tokenRequest(form);
    }

    private TokenResponse tokenRequest(Map<String, String> form) {
        Map<String, Object> answer = this.handle.call("tokenRequest", form);
        return TokenResponse.from(answer);
    }

    @Override
    @SuppressWarnings("unchecked")
    public Map<String, Object> claims(String jwt) {
        return (Map<String, Object>) decode(jwt).get("claims");
    }

    @Override
    @SuppressWarnings("unchecked")
    public Map<String, Object> header(String jwt) {
        return (Map<String, Object>) decode(jwt).get("header");
    }

    private Map<String, Object> decode(String jwt) {
        return this.handle.call("decode", jwt);
    }

    private String onlyApi() {
        List<String> apis = apis();
        if (apis.size() != 1) {
            throw new IllegalArgumentException(
                    "The test tenant has " + apis.size() + " APIs: name the audience (one of " + apis + ")");
        }
        return apis.get(0);
    }

    /** Stops the server; its in-memory database goes with it. */
    @Override
    public void close() {
        this.handle.stop();
        deleteQuietly(this.copiedTenant);
    }

    private static void deleteQuietly(Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            }
            catch (IOException ex) {
                // a temporary copy left behind is not worth failing a test for
            }
        }
    }

    @Override
    public String toString() {
        return "GatehouseServer[" + this.issuer + "]";
    }

    /** Builds and starts a {@link GatehouseServer}; see {@link GatehouseBuilder}. */
    public static final class Builder extends GatehouseBuilder<Builder> {

        Builder() {
        }

        /** Starts the server; returns once it answers. */
        public GatehouseServer start() {
            return GatehouseServer.start(options());
        }

    }

}
