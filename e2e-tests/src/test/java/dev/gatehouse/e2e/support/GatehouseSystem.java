package dev.gatehouse.e2e.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import dev.gatehouse.launcher.PortCheck;
import dev.gatehouse.launcher.ServerProcess;
import dev.gatehouse.launcher.Servers;
import dev.gatehouse.launcher.Settings;
import dev.gatehouse.launcher.Supervisor;

/**
 * The whole system the browser tests run against, started by the launcher's own code
 * ({@link Servers#start}, what {@code ./gatehouse start} runs once the build is done):
 * the packaged authorization server ({@code auth-server/target/auth-server.jar}, port
 * 9000), the packaged API ({@code api/target/api.jar}, port 3001, with the launcher's JVM
 * flags) and the built SPA served by {@code node spa/server.mjs} (port 4200, {@code /api}
 * proxied to the API), on the Java the launcher picks.
 *
 * <p>
 * {@link RunningSystem} starts it once per test run and stops it at the end, even when
 * tests fail; a shutdown hook covers a JVM that is torn down. The servers work in a fresh
 * directory under the build output, so the authorization server's H2 data (consents,
 * sessions) never leaks from one run into the next. Logs go to
 * {@code e2e-tests/target/logs/}.
 *
 * <p>
 * The default ports are used on purpose: the SPA's {@code config.json}, the demo client's
 * callback URLs and the issuer {@code http://localhost:9000/} all name them. A busy port
 * fails the run at once with a message.
 */
public final class GatehouseSystem {

    public static final int AUTH_SERVER_PORT = Settings.DEFAULT_AUTH_SERVER_PORT;

    public static final int API_PORT = Settings.DEFAULT_API_PORT;

    public static final int SPA_PORT = Settings.DEFAULT_SPA_PORT;

    public static final String SPA_URL = "http://localhost:" + SPA_PORT;

    public static final String AUTH_SERVER_URL = "http://localhost:" + AUTH_SERVER_PORT;

    public static final String API_URL = "http://localhost:" + API_PORT;

    public static final int HTTPS_PORT = Settings.DEFAULT_HTTPS_PORT;

    /**
     * The authorization server's HTTPS address, as the SDK's scheme-less domain reaches
     * it.
     */
    public static final String HTTPS_URL = "https://localhost:" + HTTPS_PORT;

    private final Supervisor supervisor;

    private final Servers servers;

    private volatile ServerProcess replacedSpa;

    private GatehouseSystem(Supervisor supervisor, Servers servers) {
        this.supervisor = supervisor;
        this.servers = servers;
    }

    static GatehouseSystem start() {
        Path root = repositoryRoot();
        Path buildDir = buildDir();
        // The launcher's settings as the user gave them (GATEHOUSE_JAVA, API_JAVA_OPTS),
        // but
        // never the ports: the tests need the defaults.
        Map<String, String> env = new HashMap<>(System.getenv());
        env.keySet().removeAll(List.of("AUTH_SERVER_PORT", "API_PORT", "SPA_PORT"));
        Settings settings = Settings.fromEnvironment(root, env)
            .withDirectories(freshDirectory(buildDir.resolve("system-work")), buildDir.resolve("logs"));
        for (Path built : List.of(settings.authServerJar(), settings.apiJar(), settings.spaIndex())) {
            requireBuilt(built);
        }
        Servers defaults = Servers.of(settings);
        // Every system of the run shares one local CA, the one the browser trusts
        // (LocalCa).
        Servers servers = new Servers(defaults.authServer().withEnvironment(httpsDirectory()), defaults.api(),
                defaults.spa());
        PortCheck.requireFree(settings.httpsPort(), "authorization server (HTTPS)",
                "  The browser tests serve HTTPS on " + settings.httpsPort() + ": stop whatever listens there.");
        for (ServerProcess server : List.of(servers.authServer(), servers.api(), servers.spa())) {
            PortCheck.requireFree(server.port(), server.name(), "  The browser tests start the system on the "
                    + "default ports 9000, 3001 and 4200, because the SPA's config.json and the issuer name them. "
                    + "Stop whatever listens on " + server.port()
                    + " (for example a running './gatehouse start') and run the tests again.");
        }
        GatehouseSystem system = new GatehouseSystem(new Supervisor(System.out), servers);
        Runtime.getRuntime().addShutdownHook(new Thread(system::close, "gatehouse-e2e-stop"));
        try {
            servers.start(system.supervisor);
        }
        catch (RuntimeException ex) {
            system.close();
            throw ex;
        }
        return system;
    }

    /**
     * Runs the SPA with other settings (config.json fields through {@code SPA_*}
     * variables) until {@link #restoreSpa()}: the same server on the same port.
     */
    public void replaceSpa(Map<String, String> environment) {
        if (this.replacedSpa != null) {
            this.replacedSpa.stop();
        }
        this.replacedSpa = this.servers.spa().withEnvironment(environment);
        this.servers.spa().stop();
        this.replacedSpa.start();
        this.replacedSpa.awaitReady(Servers.STARTUP_TIMEOUT, System.out);
    }

    /** Runs the SPA with its own settings again. */
    public void restoreSpa() {
        if (this.replacedSpa != null) {
            this.replacedSpa.stop();
            this.replacedSpa = null;
        }
        this.servers.spa().start();
        this.servers.spa().awaitReady(Servers.STARTUP_TIMEOUT, System.out);
    }

    /**
     * Where the systems of a test run keep their local certificate authority (the
     * authorization server's {@code gatehouse.https.directory}): one CA for all, trusted
     * by the browser.
     */
    public static Path tlsDirectory() {
        return buildDir().resolve("tls");
    }

    /** The environment that points an authorization server at {@link #tlsDirectory()}. */
    public static Map<String, String> httpsDirectory() {
        return Map.of("GATEHOUSE_HTTPS_DIRECTORY", tlsDirectory().toString());
    }

    /** Stops the API, so that tests can see how the SPA behaves without it. */
    public void stopApi() {
        this.servers.api().stop();
    }

    /** Starts the API again (after {@link #stopApi()}) and waits until it serves. */
    public void startApi() {
        this.servers.api().start();
        this.servers.api().awaitReady(Servers.STARTUP_TIMEOUT, System.out);
    }

    public ServerProcess authServer() {
        return this.servers.authServer();
    }

    public ServerProcess api() {
        return this.servers.api();
    }

    public ServerProcess spa() {
        return this.servers.spa();
    }

    void close() {
        if (this.replacedSpa != null) {
            this.replacedSpa.stop();
        }
        this.supervisor.stopAll();
    }

    public static Path repositoryRoot() {
        return Paths.get(System.getProperty("gatehouse.root", "..")).toAbsolutePath().normalize();
    }

    public static Path buildDir() {
        return Paths
            .get(System.getProperty("gatehouse.build-dir",
                    repositoryRoot().resolve("e2e-tests").resolve("target").toString()))
            .toAbsolutePath()
            .normalize();
    }

    private static void requireBuilt(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException(file + " is missing. The browser tests run against the packaged "
                    + "applications: build them first (from the repository root: ./mvnw -B -DskipTests package), "
                    + "or run the whole build with ./gatehouse test.");
        }
    }

    /**
     * Settings for a system started beside the main one: the launcher's defaults (its
     * Java, flags and issuer following the port) on free ports, HTTP and HTTPS, with its
     * own data and log directories under {@code name}. The environment's port settings
     * are ignored, as they belong to the main system.
     */
    public static Settings besideTheMainSystem(String name) {
        Path buildDir = buildDir();
        Map<String, String> env = new HashMap<>(System.getenv());
        env.keySet().removeAll(List.of("AUTH_SERVER_PORT", "API_PORT", "SPA_PORT", "HTTPS_PORT"));
        return Settings.fromEnvironment(repositoryRoot(), env)
            .withPorts(freePort(), freePort(), freePort())
            .withHttpsPort(freePort())
            .withDirectories(freshDirectory(buildDir.resolve(name)), buildDir.resolve("logs").resolve(name));
    }

    /**
     * Starts a whole system beside the main one on {@code settings}: the authorization
     * server on {@code resources/tenant.yaml} (the SPA's origin allowed, HTTPS on the
     * run's CA), the API with {@code apiEnvironment}, and the SPA serving
     * {@code resources/spa-config.json} with that server as its domain, plus
     * {@code spaEnvironment}. When one fails to start, the others are stopped.
     */
    public static void startBeside(Supervisor supervisor, Settings settings, Path resources,
            Map<String, String> apiEnvironment, Map<String, String> spaEnvironment) {
        Servers defaults = Servers.of(settings);
        Map<String, String> spa = new HashMap<>(spaEnvironment);
        spa.put("SPA_CONFIG_FILE", resources.resolve("spa-config.json").toString());
        spa.put("SPA_DOMAIN", settings.authServerUrl());
        Servers servers = new Servers(
                defaults.authServer()
                    .withEnvironment(Map.of("GATEHOUSE_TENANT_FILE", resources.resolve("tenant.yaml").toString(),
                            "SPA_ORIGIN", settings.spaUrl()))
                    .withEnvironment(httpsDirectory()),
                defaults.api().withEnvironment(apiEnvironment), defaults.spa().withEnvironment(spa));
        try {
            servers.start(supervisor);
        }
        catch (RuntimeException ex) {
            supervisor.stopAll();
            throw ex;
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /** An empty directory; symbolic links in the old one are deleted, never followed. */
    public static Path freshDirectory(Path dir) {
        try {
            if (Files.exists(dir)) {
                try (Stream<Path> paths = Files.walk(dir)) {
                    for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                        Files.delete(path);
                    }
                }
            }
            return Files.createDirectories(dir);
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

}
