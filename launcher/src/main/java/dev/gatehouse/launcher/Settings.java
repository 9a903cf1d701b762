package dev.gatehouse.launcher;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Where the system runs and on what: the three ports, the java and JVM flags of the
 * servers, the repository, and where the authorization server keeps its data and the
 * servers their logs. {@link #fromEnvironment} reads the launcher's settings
 * ({@code AUTH_SERVER_PORT}, {@code API_PORT}, {@code SPA_PORT}, {@code GATEHOUSE_JAVA},
 * {@code API_JAVA_OPTS}, {@code AUTH_SERVER_JAVA_OPTS}); the browser tests take the
 * defaults and their own directories.
 *
 * @param root the repository, where the packaged applications are found
 * @param authServerPort the authorization server's port; the issuer follows it
 * @param apiPort the API's port
 * @param spaPort the port of the SPA's server
 * @param java the java of both servers: a path, or a name on the {@code PATH}
 * @param apiJavaOptions the API's JVM flags
 * @param authServerJavaOptions the authorization server's JVM flags
 * @param workDir the Java servers' working directory: the authorization server keeps its
 * H2 database in {@code data/} there
 * @param logDir where each server's output goes ({@code auth-server.log}, ...)
 * @param httpsPort the authorization server's HTTPS port, for the SDK's passkey API
 * ({@code HTTPS_PORT}, default 9443)
 */
public record Settings(Path root, int authServerPort, int apiPort, int spaPort, String java,
        List<String> apiJavaOptions, List<String> authServerJavaOptions, Path workDir, Path logDir, int httpsPort) {

    public static final int DEFAULT_AUTH_SERVER_PORT = 9000;

    public static final int DEFAULT_API_PORT = 3001;

    public static final int DEFAULT_SPA_PORT = 4200;

    public static final int DEFAULT_HTTPS_PORT = 9443;

    public Settings {
        root = root.toAbsolutePath().normalize();
        apiJavaOptions = List.copyOf(apiJavaOptions);
        authServerJavaOptions = List.copyOf(authServerJavaOptions);
        workDir = workDir.toAbsolutePath().normalize();
        logDir = logDir.toAbsolutePath().normalize();
        if (authServerPort == apiPort || authServerPort == spaPort || apiPort == spaPort) {
            throw new LaunchException("AUTH_SERVER_PORT (" + authServerPort + "), API_PORT (" + apiPort
                    + ") and SPA_PORT (" + spaPort + ") must be three different ports.");
        }
        if (httpsPort == authServerPort || httpsPort == apiPort || httpsPort == spaPort) {
            throw new LaunchException(
                    "HTTPS_PORT (" + httpsPort + ") must differ from AUTH_SERVER_PORT, API_PORT and SPA_PORT.");
        }
    }

    /**
     * The settings a user gives in the environment, with the defaults of everything
     * unset: the ports 9000, 3001 and 4200, data in the repository's {@code data/}, logs
     * in {@code .run/logs/}.
     */
    public static Settings fromEnvironment(Path root, Map<String, String> env) {
        return fromEnvironment(root, env, Os.current());
    }

    static Settings fromEnvironment(Path root, Map<String, String> env, Os os) {
        Path absoluteRoot = root.toAbsolutePath().normalize();
        return new Settings(absoluteRoot, port(env, "AUTH_SERVER_PORT", DEFAULT_AUTH_SERVER_PORT),
                port(env, "API_PORT", DEFAULT_API_PORT), port(env, "SPA_PORT", DEFAULT_SPA_PORT),
                JavaRuntimes.pick(env, os), words(orDefault(env, "API_JAVA_OPTS", JavaRuntimes.API_DEFAULT_OPTIONS)),
                words(orDefault(env, "AUTH_SERVER_JAVA_OPTS", JavaRuntimes.AUTH_SERVER_DEFAULT_OPTIONS)), absoluteRoot,
                absoluteRoot.resolve(".run").resolve("logs"), port(env, "HTTPS_PORT", DEFAULT_HTTPS_PORT));
    }

    private static String orDefault(Map<String, String> env, String variable, String fallback) {
        String value = env.get(variable);
        return (value == null || value.isBlank()) ? fallback : value;
    }

    /** The same system on other ports (its HTTPS port unchanged). */
    public Settings withPorts(int authServerPort, int apiPort, int spaPort) {
        return new Settings(this.root, authServerPort, apiPort, spaPort, this.java, this.apiJavaOptions,
                this.authServerJavaOptions, this.workDir, this.logDir, this.httpsPort);
    }

    /** The same system with its HTTPS port elsewhere. */
    public Settings withHttpsPort(int httpsPort) {
        return new Settings(this.root, this.authServerPort, this.apiPort, this.spaPort, this.java, this.apiJavaOptions,
                this.authServerJavaOptions, this.workDir, this.logDir, httpsPort);
    }

    /** The same system with its data and logs elsewhere. */
    public Settings withDirectories(Path workDir, Path logDir) {
        return new Settings(this.root, this.authServerPort, this.apiPort, this.spaPort, this.java, this.apiJavaOptions,
                this.authServerJavaOptions, workDir, logDir, this.httpsPort);
    }

    private static int port(Map<String, String> env, String variable, int fallback) {
        String value = env.get(variable);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            int port = Integer.parseInt(value.trim());
            if (port >= 1 && port <= 65535) {
                return port;
            }
        }
        catch (NumberFormatException ex) {
            // Reported below.
        }
        throw new LaunchException(variable + " must be a port number from 1 to 65535, not '" + value + "'.");
    }

    /** Flags separated by white space, as a shell splits an unquoted variable. */
    static List<String> words(String text) {
        String trimmed = text.trim();
        return trimmed.isEmpty() ? List.of() : Arrays.asList(trimmed.split("\\s+"));
    }

    /**
     * The issuer of every token: {@code http://localhost:9000/} unless the port moved.
     */
    public String issuer() {
        return authServerUrl() + "/";
    }

    public String authServerUrl() {
        return "http://localhost:" + this.authServerPort;
    }

    /**
     * The issuer of what is requested over HTTPS ({@code https://localhost:9443/}): the
     * SDK's scheme-less {@code domain} {@code localhost:9443} reaches it.
     */
    public String httpsIssuer() {
        return "https://localhost:" + this.httpsPort + "/";
    }

    /** The SDK's {@code domain} for the HTTPS address: {@code localhost:9443}. */
    public String httpsDomain() {
        return "localhost:" + this.httpsPort;
    }

    /**
     * The local certificate authority the authorization server generates at first start,
     * the file users trust once.
     */
    public Path caCertificate() {
        return dataDir().resolve("tls").resolve("gatehouse-ca.pem");
    }

    public String apiUrl() {
        return "http://localhost:" + this.apiPort;
    }

    public String spaUrl() {
        return "http://localhost:" + this.spaPort;
    }

    /**
     * What {@code spa/server.mjs} is told as {@code AUTH_DOMAIN}: nothing on the default
     * port, so a {@code config.json} pointed at a real Auth0 tenant is served as written;
     * the moved authorization server's origin otherwise.
     */
    public String authDomain() {
        return (this.authServerPort == DEFAULT_AUTH_SERVER_PORT) ? "" : authServerUrl();
    }

    public Path dataDir() {
        return this.workDir.resolve("data");
    }

    public Path authServerJar() {
        return this.root.resolve("auth-server").resolve("target").resolve("auth-server.jar");
    }

    public Path apiJar() {
        return this.root.resolve("api").resolve("target").resolve("api.jar");
    }

    Path spaDir() {
        return this.root.resolve("spa");
    }

    /** The built SPA's page: the bundle is there when it is. */
    public Path spaIndex() {
        return spaDir().resolve("dist").resolve("spa").resolve("browser").resolve("index.html");
    }

    /** Shown instead of an absolute path where it lies in the repository. */
    String display(Path path) {
        Path absolute = path.toAbsolutePath().normalize();
        return absolute.startsWith(this.root) ? this.root.relativize(absolute).toString() : absolute.toString();
    }

}
