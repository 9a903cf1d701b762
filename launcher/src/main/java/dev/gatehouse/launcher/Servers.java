package dev.gatehouse.launcher;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The three servers of the system and how each is run: the packaged authorization server
 * ({@code java -jar auth-server/target/auth-server.jar}), the packaged API
 * ({@code java <API_JAVA_OPTS> -jar api/target/api.jar}) and the built SPA served by
 * {@code node spa/server.mjs} ({@code /api} proxied to the API). {@link #start} is what
 * {@code ./gatehouse start} does once the build is done, and what the browser tests run.
 *
 * @param authServer the authorization server; its issuer follows its port
 * @param api the API, trusting that issuer
 * @param spa the SPA's server, told where the API and (on a moved port) the authorization
 * server are
 */
public record Servers(ServerProcess authServer, ServerProcess api, ServerProcess spa) {

    /**
     * How long each server may take to answer: two JVMs starting side by side on two
     * cores.
     */
    public static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(240);

    public static Servers of(Settings settings) {
        return new Servers(authServer(settings), api(settings), spa(settings));
    }

    /**
     * Starts the three and waits until each answers: the Java servers first, since the
     * JVMs starting side by side are the slow part.
     * @throws LaunchException when one does not come up (the caller stops the others)
     */
    public void start(Supervisor supervisor) {
        startJavaServers(supervisor);
        supervisor.step("Starting the SPA");
        supervisor.launch(this.spa);
        for (ServerProcess server : List.of(this.authServer, this.api, this.spa)) {
            supervisor.awaitReady(server, STARTUP_TIMEOUT);
        }
    }

    /** Starts the authorization server and the API without waiting for them. */
    void startJavaServers(Supervisor supervisor) {
        supervisor.step("Starting the authorization server and the API");
        supervisor.launch(this.authServer);
        supervisor.launch(this.api);
    }

    static ServerProcess authServer(Settings settings) {
        List<String> command = new ArrayList<>(jvm(settings, "auth-server"));
        command
            .addAll(List.of("-jar", settings.authServerJar().toString(), "--server.port=" + settings.authServerPort()));
        return javaServer(settings, "auth-server", settings.authServerPort(), command, Map.of("GATEHOUSE_ISSUER",
                settings.issuer(), "GATEHOUSE_HTTPS_PORT", String.valueOf(settings.httpsPort())));
    }

    static ServerProcess api(Settings settings) {
        List<String> command = new ArrayList<>(jvm(settings, "api"));
        command.addAll(List.of("-jar", settings.apiJar().toString(), "--server.port=" + settings.apiPort(),
                "--spring.security.oauth2.resourceserver.jwt.issuer-uri=" + settings.issuer(),
                // Tokens issued over HTTPS (the SDK's passkey API) name the HTTPS
                // address.
                "--gatehouse.api.jwt.issuer-aliases=" + settings.httpsIssuer()));
        return javaServer(settings, "api", settings.apiPort(), command, Map.of());
    }

    /**
     * The java and JVM flags a server is started with: {@code gatehouse jvm <server>}
     * prints them for the benchmarks.
     */
    static List<String> jvm(Settings settings, String server) {
        List<String> command = new ArrayList<>();
        command.add(settings.java());
        command.addAll(server.equals("api") ? settings.apiJavaOptions() : settings.authServerJavaOptions());
        return command;
    }

    private static ServerProcess javaServer(Settings settings, String name, int port, List<String> command,
            Map<String, String> environment) {
        Path log = settings.logDir().resolve(name + ".log");
        return new ServerProcess(name, port, command, settings.workDir(), environment,
                URI.create("http://localhost:" + port + "/actuator/health"), log, settings.display(log));
    }

    static ServerProcess spa(Settings settings) {
        Path log = settings.logDir().resolve("spa.log");
        // AUTH_DOMAIN is always set, empty on the default port: one left in the user's
        // environment must not move the SPA's authorization server.
        Map<String, String> environment = Map.of("SPA_PORT", String.valueOf(settings.spaPort()), "API_URL",
                settings.apiUrl(), "AUTH_DOMAIN", settings.authDomain());
        return new ServerProcess("spa", settings.spaPort(),
                List.of("node", settings.spaDir().resolve("server.mjs").toString()), settings.root(), environment,
                URI.create(settings.spaUrl() + "/"), log, settings.display(log));
    }

    /**
     * The Angular dev server ({@code npm start}: {@code ng serve} with
     * {@code spa/proxy.conf.json}), its output in the terminal.
     */
    static ServerProcess spaDevServer(Settings settings, Os os) {
        List<String> arguments = new ArrayList<>(List.of("start"));
        // npm start already says --port 4200; repeat the option only to move it (ng warns
        // about a repeated option).
        if (settings.spaPort() != Settings.DEFAULT_SPA_PORT) {
            arguments.addAll(List.of("--", "--port", String.valueOf(settings.spaPort())));
        }
        return new ServerProcess("spa", settings.spaPort(), os.script("npm", arguments), settings.spaDir(), Map.of(),
                URI.create(settings.spaUrl() + "/"), null, "the terminal");
    }

}
