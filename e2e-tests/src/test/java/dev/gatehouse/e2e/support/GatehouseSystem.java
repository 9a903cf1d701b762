package dev.gatehouse.e2e.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The whole system the browser tests run against: the packaged authorization server
 * ({@code auth-server/target/auth-server.jar}, port 9000), the packaged API
 * ({@code api/target/api.jar}, port 3001) and the built SPA served by
 * {@code node spa/server.mjs} (port 4200, {@code /api} proxied to the API).
 *
 * <p>
 * {@link RunningSystem} starts it once per test run and stops it at the end, even when
 * tests fail; a shutdown hook covers a JVM that is torn down. The authorization server
 * works in a fresh directory under the build output, so its H2 data (consents, sessions)
 * never leaks from one run into the next. Logs go to {@code e2e-tests/target/logs/}.
 *
 * <p>
 * The default ports are used on purpose: the SPA's {@code config.json}, the demo client's
 * callback URLs and the issuer {@code http://localhost:9000/} all name them. A busy port
 * fails the run at once with a message.
 */
public final class GatehouseSystem {

    public static final int AUTH_SERVER_PORT = 9000;

    public static final int API_PORT = 3001;

    public static final int SPA_PORT = 4200;

    public static final String SPA_URL = "http://localhost:" + SPA_PORT;

    public static final String AUTH_SERVER_URL = "http://localhost:" + AUTH_SERVER_PORT;

    public static final String API_URL = "http://localhost:" + API_PORT;

    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(180);

    private final AppProcess authServer;

    private final AppProcess api;

    private final AppProcess spa;

    private GatehouseSystem(AppProcess authServer, AppProcess api, AppProcess spa) {
        this.authServer = authServer;
        this.api = api;
        this.spa = spa;
    }

    static GatehouseSystem start() {
        Path root = repositoryRoot();
        Path buildDir = Paths
            .get(System.getProperty("gatehouse.build-dir", root.resolve("e2e-tests/target").toString()))
            .toAbsolutePath()
            .normalize();
        Path logs = buildDir.resolve("logs");
        Path workDir = freshDirectory(buildDir.resolve("system-work"));
        Path authServerJar = requireFile(root.resolve("auth-server/target/auth-server.jar"));
        Path apiJar = requireFile(root.resolve("api/target/api.jar"));
        requireFile(root.resolve("spa/dist/spa/browser/index.html"));
        Path spaServer = requireFile(root.resolve("spa/server.mjs"));
        String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();

        AppProcess authServer = new AppProcess("auth-server", AUTH_SERVER_PORT,
                javaCommand(java, authServerJar, AUTH_SERVER_PORT), workDir, Map.of(),
                URI.create(AUTH_SERVER_URL + "/actuator/health"), logs.resolve("auth-server.log"));
        AppProcess api = new AppProcess("api", API_PORT, javaCommand(java, apiJar, API_PORT), workDir, Map.of(),
                URI.create(API_URL + "/actuator/health"), logs.resolve("api.log"));
        AppProcess spa = new AppProcess("spa", SPA_PORT, List.of("node", spaServer.toString()), spaServer.getParent(),
                Map.of("SPA_PORT", String.valueOf(SPA_PORT), "API_URL", API_URL), URI.create(SPA_URL + "/"),
                logs.resolve("spa.log"));

        GatehouseSystem system = new GatehouseSystem(authServer, api, spa);
        for (AppProcess app : system.all()) {
            app.requirePortFree();
        }
        Runtime.getRuntime().addShutdownHook(new Thread(system::close, "gatehouse-e2e-stop"));
        try {
            // Start all three, then wait: on two cores the JVMs starting side by side is
            // the slow part.
            system.all().forEach(AppProcess::start);
            for (AppProcess app : system.all()) {
                app.awaitReady(STARTUP_TIMEOUT);
            }
        }
        catch (RuntimeException ex) {
            system.close();
            throw ex;
        }
        return system;
    }

    private static List<String> javaCommand(String java, Path jar, int port) {
        List<String> command = new ArrayList<>();
        command.add(java);
        // The tests start a small system on a small machine: keep the JVMs lean so the
        // browser has room too.
        command.add("-XX:TieredStopAtLevel=1");
        command.add("-Xss512k");
        command.add("-jar");
        command.add(jar.toString());
        command.add("--server.port=" + port);
        return command;
    }

    private List<AppProcess> all() {
        return List.of(this.authServer, this.api, this.spa);
    }

    /** Stops the API, so that tests can see how the SPA behaves without it. */
    public void stopApi() {
        this.api.stop();
    }

    /** Starts the API again (after {@link #stopApi()}) and waits until it serves. */
    public void startApi() {
        this.api.start();
        this.api.awaitReady(STARTUP_TIMEOUT);
    }

    public AppProcess authServer() {
        return this.authServer;
    }

    public AppProcess api() {
        return this.api;
    }

    public AppProcess spa() {
        return this.spa;
    }

    synchronized void close() {
        // Reverse order: the SPA first so nothing proxies to a half-stopped API.
        List<AppProcess> reversed = new ArrayList<>(all());
        java.util.Collections.reverse(reversed);
        for (AppProcess app : reversed) {
            try {
                app.stop();
            }
            catch (RuntimeException ex) {
                System.err.println("Could not stop " + app + ": " + ex);
            }
        }
    }

    static Path repositoryRoot() {
        return Paths.get(System.getProperty("gatehouse.root", "..")).toAbsolutePath().normalize();
    }

    private static Path requireFile(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException(file + " is missing. The browser tests run against the packaged "
                    + "applications: build them first (from the repository root: ./mvnw -B -DskipTests package), "
                    + "or run the whole build with ./gatehouse test.");
        }
        return file;
    }

    private static Path freshDirectory(Path dir) {
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
