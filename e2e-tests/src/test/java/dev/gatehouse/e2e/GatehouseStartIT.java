package dev.gatehouse.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import com.microsoft.playwright.Page;
import dev.gatehouse.e2e.support.Chromium;
import dev.gatehouse.e2e.support.GatehouseSystem;
import dev.gatehouse.e2e.support.QuickstartCheckpoint;
import dev.gatehouse.launcher.PortCheck;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code ./gatehouse start} end to end, as a user runs it: the entry script under
 * {@code dash} (the strictest POSIX shell at hand, Debian's {@code /bin/sh}), the
 * launcher it compiles from source, the packaged servers, with the authorization server
 * and the API moved off their default ports ({@code AUTH_SERVER_PORT}, {@code API_PORT}).
 * Then the quickstart's checkpoint in the browser through it, and a stop that must leave
 * nothing running.
 *
 * <p>
 * It runs in a checkout of its own under {@code target/start-checkout/}: the entry
 * script, and links to the launcher's sources and to the packaged applications, so that
 * the data and logs of this start are the test's, not the developer's {@code data/}. The
 * launcher sees every artifact up to date there and builds nothing.
 *
 * <p>
 * Runs first ({@code @Order(0)}), before the other browser tests start their system on
 * 9000/3001/4200. The stop is a SIGTERM to the launcher alone, as a closed terminal
 * sends; Ctrl+C goes through the same shutdown hook. Not on Windows, which has no signal
 * that asks a console program to stop.
 */
@Order(0)
@ExtendWith(Chromium.class)
@DisabledOnOs(OS.WINDOWS)
class GatehouseStartIT {

    private static final Duration STARTUP = Duration.ofSeconds(300);

    @Test
    void startUnderDashWithMovedPortsPassesTheCheckpointAndStopsEverything(Page page) throws Exception {
        Path checkout = checkout();
        int authServerPort = freePort();
        int apiPort = freePort();
        int httpsPort = freePort();
        Path log = checkout.resolve("gatehouse-start.log");
        ProcessBuilder builder = new ProcessBuilder(shell(), "./gatehouse", "start").directory(checkout.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
        builder.environment().keySet().removeAll(List.of("SPA_PORT", "GATEHOUSE_JAVA", "API_JAVA_OPTS"));
        builder.environment()
            .putAll(Map.of("AUTH_SERVER_PORT", String.valueOf(authServerPort), "API_PORT", String.valueOf(apiPort),
                    "HTTPS_PORT", String.valueOf(httpsPort)));
        Process launcher = builder.start();
        Output output = new Output(log);
        List<ProcessHandle> servers = List.of();
        try {
            output.await("Gatehouse is running.", launcher, STARTUP);
            assertThat(output.text()).contains("==> Build is up to date")
                .contains("Open  http://localhost:4200")
                .contains("demo@example.com   / Demo-Passw0rd")
                .contains("auth server http://localhost:" + authServerPort + "/   API http://localhost:" + apiPort
                        + "/api/external")
                .contains("Data        " + checkout.resolve("data"))
                .contains("Logs        " + checkout.resolve(".run").resolve("logs") + File.separator)
                .contains("HTTPS       auth server https://localhost:" + httpsPort + "/")
                .contains("Linux    certutil -d sql:$HOME/.pki/nssdb", "macOS    sudo security add-trusted-cert",
                        "Windows  certutil -user -addstore Root");
            assertThat(checkout.resolve("data").resolve("tls").resolve("gatehouse-ca.pem")).exists();
            assertThat(PortCheck.answers(httpsPort)).as("the HTTPS port answers").isTrue();

            QuickstartCheckpoint.walk(page, "http://localhost:" + authServerPort, false);

            servers = launcher.descendants().toList();
            assertThat(servers).hasSizeGreaterThanOrEqualTo(3);
            launcher.destroy();
            assertThat(launcher.waitFor(60, TimeUnit.SECONDS)).as("the launcher ended").isTrue();
            assertThat(launcher.exitValue()).as("exit status, output:%n%s", output.text()).isZero();
            assertThat(output.text()).contains("==> Stopping Gatehouse", "spa stopped", "api stopped",
                    "auth-server stopped");
            assertThat(servers).noneMatch(ProcessHandle::isAlive);
            for (int port : List.of(authServerPort, apiPort, GatehouseSystem.SPA_PORT, httpsPort)) {
                assertThat(PortCheck.answers(port)).as("something still answers on %d", port).isFalse();
            }
        }
        finally {
            // Whatever an assertion left running must not hold the ports of the next
            // tests.
            launcher.descendants().forEach(ProcessHandle::destroyForcibly);
            servers.forEach(ProcessHandle::destroyForcibly);
            launcher.destroyForcibly();
        }
    }

    /** dash where it is installed (Linux, macOS); plain sh otherwise. */
    private static String shell() {
        return Stream.of("/bin/dash", "/usr/bin/dash")
            .filter((dash) -> Files.isExecutable(Path.of(dash)))
            .findFirst()
            .orElse("sh");
    }

    /**
     * A checkout holding what start needs, linked to the real one. Node runs server.mjs
     * from where the link points, so it finds its packages there.
     */
    private static Path checkout() throws IOException {
        Path root = GatehouseSystem.repositoryRoot();
        Path checkout = GatehouseSystem.freshDirectory(GatehouseSystem.buildDir().resolve("start-checkout"));
        Files.copy(root.resolve("gatehouse"), checkout.resolve("gatehouse"), StandardCopyOption.COPY_ATTRIBUTES);
        for (Path path : List.of(Path.of("launcher", "src"), Path.of("auth-server", "target", "auth-server.jar"),
                Path.of("api", "target", "api.jar"), Path.of("spa", "dist"), Path.of("spa", "server.mjs"))) {
            Path link = checkout.resolve(path);
            Files.createDirectories(link.getParent());
            Files.createSymbolicLink(link, root.resolve(path));
        }
        return checkout;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /**
     * The launcher's output, read from the file it goes to (a pipe read while the process
     * ends can lose its last lines).
     */
    private record Output(Path file) {

        String text() {
            try {
                return Files.exists(this.file) ? Files.readString(this.file, StandardCharsets.UTF_8) : "";
            }
            catch (IOException ex) {
                return "(" + this.file + " unreadable: " + ex + ")";
            }
        }

        void await(String expected, Process process, Duration timeout) throws InterruptedException {
            Instant deadline = Instant.now().plus(timeout);
            while (!text().contains(expected)) {
                if (!process.isAlive() || Instant.now().isAfter(deadline)) {
                    throw new AssertionError(
                            "./gatehouse start did not say \"" + expected + "\""
                                    + (process.isAlive() ? " within " + timeout
                                            : " before it ended with " + process.exitValue())
                                    + ". Its output:\n" + text());
                }
                Thread.sleep(200);
            }
        }

    }

}
