package dev.gatehouse.launcher;

import java.io.PrintStream;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Gatehouse's one entry point, behind {@code ./gatehouse} (POSIX sh) and
 * {@code gatehouse.cmd} (Windows): {@code start}, {@code dev}, {@code test},
 * {@code bench}, {@code help}. Its settings are environment variables
 * ({@code AUTH_SERVER_PORT}, {@code API_PORT}, {@code SPA_PORT}, {@code GATEHOUSE_JAVA},
 * {@code API_JAVA_OPTS}); the entry script passes the repository as the system property
 * {@code gatehouse.root} and how the user calls it as {@code gatehouse.command}.
 *
 * <p>
 * Written in Java rather than shell so that it behaves the same on Linux, macOS and
 * Windows with nothing but the JDK and Node.js the system needs anyway: no particular
 * shell, no HTTP command-line client, no Linux-only process tools, no GNU tools.
 */
public final class Gatehouse {

    private static final String RULE = "-".repeat(90);

    private final Path root;

    private final Map<String, String> env;

    private final Os os;

    private final String self;

    private final PrintStream out;

    private final PrintStream err;

    private final Supervisor supervisor;

    private volatile boolean exiting;

    Gatehouse(Path root, Map<String, String> env, Os os, String self, PrintStream out, PrintStream err) {
        this.root = root;
        this.env = env;
        this.os = os;
        this.self = self;
        this.out = out;
        this.err = err;
        this.supervisor = new Supervisor(out);
    }

    public static void main(String[] args) {
        Os os = Os.current();
        Path root = Paths.get(System.getProperty("gatehouse.root", "")).toAbsolutePath().normalize();
        String self = System.getProperty("gatehouse.command", os.isWindows() ? "gatehouse" : "./gatehouse");
        Gatehouse gatehouse = new Gatehouse(root, System.getenv(), os, self, System.out, System.err);
        int status = 1;
        try {
            status = gatehouse.run(args);
        }
        finally {
            gatehouse.exiting = true;
        }
        System.out.flush();
        System.exit(status);
    }

    int run(String[] args) {
        String command = (args.length > 0) ? args[0] : "help";
        List<String> rest = (args.length > 0) ? Arrays.asList(args).subList(1, args.length) : List.of();
        try {
            return switch (command) {
                case "start" -> start();
                case "dev" -> dev();
                case "test" -> test(rest);
                case "bench" -> bench(rest);
                case "jvm" -> jvm(rest);
                case "help", "-h", "--help" -> {
                    this.out.print(usage());
                    yield 0;
                }
                default -> {
                    this.err.print(usage());
                    yield 2;
                }
            };
        }
        catch (LaunchException ex) {
            // Once Ctrl+C has begun the stop, a server ending while it was awaited is
            // that
            // stop, not a failure to report.
            if (!this.supervisor.isStopping()) {
                this.err.println("gatehouse: " + ex.getMessage());
            }
            return ex.exitCode();
        }
    }

    private Settings settings() {
        return Settings.fromEnvironment(this.root, this.env, this.os);
    }

    /**
     * What {@code start} and {@code dev} do before starting anything: the ports and the
     * tools first (seconds, not a build, for a mistake), then the build.
     */
    private Settings prepare(String command, boolean withSpaBundle) {
        Settings settings = settings();
        checkPorts(settings, command);
        checkTools(settings);
        stopEverythingOnExit();
        Build.buildMissing(settings, withSpaBundle, this.supervisor, this.os);
        return settings;
    }

    private int start() {
        Settings settings = prepare("start", true);
        Servers.of(settings).start(this.supervisor);
        banner(settings, "");
        this.supervisor.superviseUntilOneEnds();
        return 0;
    }

    private int dev() {
        Settings settings = prepare("dev", false);
        Path spa = settings.spaDir();
        Path lockfile = spa.resolve("package-lock.json");
        if (Build.stale(spa.resolve("node_modules").resolve(".package-lock.json"), List.of(lockfile))) {
            this.supervisor.step("Installing the SPA's npm packages (npm ci)");
            if (runInTerminal(this.os.script("npm", List.of("ci", "--no-audit", "--no-fund")), spa) != 0) {
                throw new LaunchException("npm ci failed in spa/ (its output is above).");
            }
        }
        Servers servers = Servers.of(settings);
        servers.startJavaServers(this.supervisor);
        this.supervisor.awaitReady(servers.authServer(), Servers.STARTUP_TIMEOUT);
        this.supervisor.awaitReady(servers.api(), Servers.STARTUP_TIMEOUT);
        this.supervisor.step("Starting the Angular dev server (ng serve with spa/proxy.conf.json; its output follows)");
        ServerProcess devServer = this.supervisor.launch(Servers.spaDevServer(settings, this.os));
        this.supervisor.awaitReady(devServer, Servers.STARTUP_TIMEOUT.plusSeconds(60));
        banner(settings, " in development mode (live reload)");
        this.supervisor.superviseUntilOneEnds();
        return 0;
    }

    private int test(List<String> mavenArguments) {
        // The browser tests start the system on 9000, 3001 and 4200: say so now rather
        // than
        // after the build.
        String advice = "  The browser tests run the system on ports " + Settings.DEFAULT_AUTH_SERVER_PORT + ", "
                + Settings.DEFAULT_API_PORT + " and " + Settings.DEFAULT_SPA_PORT + ": stop that program (a '"
                + this.self + " start' still running?) and run the tests again.";
        PortCheck.requireFree(Settings.DEFAULT_AUTH_SERVER_PORT, "authorization server of the browser tests", advice);
        PortCheck.requireFree(Settings.DEFAULT_API_PORT, "API of the browser tests", advice);
        PortCheck.requireFree(Settings.DEFAULT_SPA_PORT, "SPA of the browser tests", advice);
        PortCheck.requireFree(Settings.DEFAULT_HTTPS_PORT, "HTTPS port of the browser tests", advice);
        stopEverythingOnExit();
        List<String> command = new ArrayList<>(Build.mavenWrapper(this.root, this.os));
        command.addAll(List.of("-B", "verify"));
        if (mavenArguments.stream().noneMatch((argument) -> argument.startsWith("-Dgatehouse.chromium="))) {
            Path browser = Browsers.onThisMachine().ensure(this.out, (apt) -> runInTerminal(apt, this.root));
            command.add("-Dgatehouse.chromium=" + browser);
        }
        command.addAll(mavenArguments);
        return runInTerminal(command, this.root);
    }

    private int bench(List<String> arguments) {
        if (this.os != Os.LINUX) {
            throw new LaunchException("the benchmarks run on Linux only: they drive wrk, pin servers to CPUs with "
                    + "taskset and read /proc (benchmarks/README.md).");
        }
        stopEverythingOnExit();
        List<String> command = new ArrayList<>(
                List.of("bash", this.root.resolve("benchmarks").resolve("run").toString()));
        command.addAll(arguments);
        return runInTerminal(command, this.root);
    }

    private int jvm(List<String> arguments) {
        if (arguments.size() != 1 || !List.of("api", "auth-server").contains(arguments.get(0))) {
            throw new LaunchException("jvm takes one server: api or auth-server.", 2);
        }
        Servers.jvm(settings(), arguments.get(0)).forEach(this.out::println);
        return 0;
    }

    private void checkPorts(Settings settings, String command) {
        checkPort(settings.authServerPort(), "authorization server", "AUTH_SERVER_PORT",
                "the auth server's setting server.port / SERVER_PORT", command);
        checkPort(settings.apiPort(), "API", "API_PORT", "the API's setting server.port / SERVER_PORT", command);
        checkPort(settings.spaPort(), "SPA", "SPA_PORT", "the SPA server's setting SPA_PORT", command);
        checkPort(settings.httpsPort(), "authorization server (HTTPS)", "HTTPS_PORT",
                "the auth server's setting gatehouse.https.port / GATEHOUSE_HTTPS_PORT", command);
    }

    private void checkPort(int port, String what, String variable, String setting, String command) {
        String moved = this.os.isWindows() ? "set \"" + variable + "=<port>\" && " + this.self + " " + command
                : variable + "=<port> " + this.self + " " + command;
        PortCheck.requireFree(port, what,
                "  Stop that program (a '" + this.self + " start' still running elsewhere?), or choose another port:"
                        + System.lineSeparator() + "    " + moved + "    (" + setting + ")");
    }

    private void checkTools(Settings settings) {
        String chosen = this.env.get("GATEHOUSE_JAVA");
        if (chosen != null && !chosen.isBlank()) {
            JavaRuntimes.require(settings.java(), this.env, this.os);
        }
        Tools.requireNode(this.env, this.os);
    }

    /**
     * Ctrl+C (and a closed terminal, or a plain kill) ends the JVM through its shutdown
     * hooks on every OS: this one stops every child with everything it started. Stopping
     * running servers that way is the normal end of {@code start} and {@code dev}, so the
     * exit status is then 0, as it was for the shell launcher.
     */
    private void stopEverythingOnExit() {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            boolean bySignal = !this.exiting;
            boolean servers = this.supervisor.hasServers();
            this.supervisor.stopAll();
            if (bySignal && servers) {
                this.out.flush();
                Runtime.getRuntime().halt(0);
            }
        }, "gatehouse-stop"));
    }

    /**
     * Runs a program with the terminal as its input and output; returns its exit status.
     */
    private int runInTerminal(List<String> command, Path dir) {
        try {
            Process process = new ProcessBuilder(command).directory(dir.toFile()).inheritIO().start();
            ProcessTree tree = this.supervisor.track(process);
            try {
                return process.waitFor();
            }
            finally {
                this.supervisor.untrack(tree);
            }
        }
        catch (java.io.IOException ex) {
            throw new LaunchException("Could not run " + String.join(" ", command) + ": " + ex.getMessage());
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new LaunchException("Interrupted while running " + command.get(0) + ".");
        }
    }

    private void banner(Settings settings, String mode) {
        String n = System.lineSeparator();
        this.out.print(n + RULE + n + "  Gatehouse is running" + mode + ".   Open  " + settings.spaUrl() + n + n
                + "  Log in as   demo@example.com   / Demo-Passw0rd     (may call the API: read:messages)" + n
                + "              viewer@example.com / Viewer-Passw0rd   (no permissions)" + n
                + "  Servers     auth server " + settings.issuer() + "   API " + settings.apiUrl() + "/api/external" + n
                + "  HTTPS       auth server " + settings.httpsIssuer() + "   (SDK domain \"" + settings.httpsDomain()
                + "\", for passkey.signup()/login())" + n + "  Trust CA    "
                + settings.display(settings.caCertificate()) + " once, so browsers accept that address:" + n
                + trustCommands(settings) + "  Data        " + settings.dataDir()
                + "   (kept across restarts; delete it to start afresh)" + n + "  Logs        " + settings.logDir()
                + settings.logDir().getFileSystem().getSeparator() + n + "  Stop        Ctrl+C" + n + RULE + n);
        this.out.flush();
    }

    /**
     * One line per OS that makes the local CA trusted by the browsers there: the NSS
     * database Chrome and Chromium read on Linux, the system keychain on macOS, the
     * user's root store on Windows.
     */
    static String trustCommands(Settings settings) {
        String n = System.lineSeparator();
        String ca = settings.caCertificate().toString();
        return "    Linux    certutil -d sql:$HOME/.pki/nssdb -A -t C,, -n \"Gatehouse local CA\" -i " + ca
                + "   (libnss3-tools)" + n
                + "    macOS    sudo security add-trusted-cert -d -r trustRoot -k /Library/Keychains/System.keychain "
                + ca + n + "    Windows  certutil -user -addstore Root " + ca + n;
    }

    String usage() {
        String authPort = this.env.getOrDefault("AUTH_SERVER_PORT", String.valueOf(Settings.DEFAULT_AUTH_SERVER_PORT));
        String apiPort = this.env.getOrDefault("API_PORT", String.valueOf(Settings.DEFAULT_API_PORT));
        String spaPort = this.env.getOrDefault("SPA_PORT", String.valueOf(Settings.DEFAULT_SPA_PORT));
        return String.join(System.lineSeparator(), "Usage: " + this.self + " <command>", "",
                "  start   Build what is missing, then run the authorization server (port " + authPort + "), the API ("
                        + apiPort + ")",
                "          and the SPA (" + spaPort
                        + ", /api proxied to the API). Ctrl+C stops all three; data stays in data/.",
                "  dev     Development loop: the two Java servers plus the Angular dev server (ng serve) with live reload on",
                "          port " + spaPort + ", /api proxied to the API. Edit spa/src and the browser reloads.",
                "  test    Run every test, browser tests included (mvnw -B verify). On Debian and Ubuntu it installs",
                "          Chromium if /usr/bin/chromium is missing; elsewhere it uses an installed Chrome, Chromium or Edge.",
                "  bench   Benchmarks against the peers (benchmarks/run; --quick for a short run). About 25 minutes; Linux.",
                "  jvm S   Print the java and JVM flags the server S (api or auth-server) runs with, one a line.",
                "  help    This text.", "", "Settings (environment variables):",
                "  AUTH_SERVER_PORT  authorization server port (default 9000; the server's own setting is server.port / SERVER_PORT).",
                "                    The issuer and the API follow it, and `start` serves the SPA's config.json with the moved",
                "                    \"domain\" (AUTH_DOMAIN of spa/server.mjs); with `dev`, edit spa/public/config.json.",
                "  API_PORT          API port (default 3001; the API's own setting is server.port / SERVER_PORT). The SPA's /api proxy",
                "                    follows it.",
                "  SPA_PORT          SPA port (default 4200). The demo client's callback and CORS origin name http://localhost:4200:",
                "                    another port also needs the tenant and gatehouse.api.cors.allowed-origins changed.",
                "  HTTPS_PORT        the authorization server's HTTPS port (default 9443; gatehouse.https.port), for the SDK's",
                "                    passkey API with the scheme-less domain localhost:<HTTPS_PORT>.",
                "  GATEHOUSE_JAVA    java binary for both servers (default: the newest Java 21+ in JAVA_HOME or where this OS",
                "                    installs JDKs, else the Java running the launcher).",
                "  API_JAVA_OPTS     JVM flags of the API (default: " + JavaRuntimes.API_DEFAULT_OPTIONS + ").",
                "  AUTH_SERVER_JAVA_OPTS  JVM flags of the authorization server (default: "
                        + JavaRuntimes.AUTH_SERVER_DEFAULT_OPTIONS + ").",
                "", "Logs: .run/logs/   Data: data/ (delete it to start afresh)", "");
    }

}
