package dev.gatehouse.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/** Real child processes (sh, sleep) and a real HTTP server: Unix only. */
@DisabledOnOs(OS.WINDOWS)
class ServerProcessTests {

    @TempDir
    Path dir;

    private final ByteArrayOutputStream output = new ByteArrayOutputStream();

    private final PrintStream out = new PrintStream(this.output, true, StandardCharsets.UTF_8);

    private HttpServer http;

    private ServerProcess process;

    @AfterEach
    void stopEverything() {
        if (this.process != null) {
            this.process.stop();
        }
        if (this.http != null) {
            this.http.stop(0);
        }
    }

    /**
     * A shell script as the server. Its port is one nothing listens on: the readiness URL
     * is the test's, and stop() waits for the server's own port to close.
     */
    private ServerProcess process(String script, URI readiness) throws IOException {
        this.process = new ServerProcess("demo", nothingListening().getPort(), List.of("sh", "-c", script), this.dir,
                Map.of(), readiness, this.dir.resolve("logs").resolve("demo.log"), "logs/demo.log");
        return this.process;
    }

    /** A server that answers 503 to the first requests, then 200. */
    private URI healthAnswering503Times(int times) throws IOException {
        AtomicInteger requests = new AtomicInteger();
        this.http = HttpServer.create(new InetSocketAddress("localhost", 0), 0);
        this.http.createContext("/health", (exchange) -> {
            exchange.sendResponseHeaders((requests.incrementAndGet() <= times) ? 503 : 200, -1);
            exchange.close();
        });
        this.http.start();
        return URI.create("http://localhost:" + this.http.getAddress().getPort() + "/health");
    }

    private static URI nothingListening() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return URI.create("http://localhost:" + socket.getLocalPort() + "/");
        }
    }

    @Test
    void readyOnceTheUrlAnswersAnythingBut503() throws IOException {
        ServerProcess server = process("sleep 600", healthAnswering503Times(3));
        server.start();

        server.awaitReady(Duration.ofSeconds(30), this.out);

        assertThat(this.output.toString(StandardCharsets.UTF_8)).startsWith("    waiting for demo")
            .contains(" ready (");
    }

    @Test
    void aServerThatLeavesUpgradeOffersUnansweredIsStillSeenReady() throws IOException {
        // As the Angular dev server does with an h2c upgrade: its upgrade handler only
        // knows
        // WebSockets.
        this.http = HttpServer.create(new InetSocketAddress("localhost", 0), 0);
        this.http.createContext("/", (exchange) -> {
            if (exchange.getRequestHeaders().containsKey("Upgrade")) {
                return;
            }
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        this.http.start();
        ServerProcess server = process("sleep 600",
                URI.create("http://localhost:" + this.http.getAddress().getPort() + "/"));
        server.start();

        server.awaitReady(Duration.ofSeconds(4), this.out);
    }

    @Test
    void aProcessThatEndsWhileStartingFailsWithTheEndOfItsLog() throws IOException {
        ServerProcess server = process("echo starting; echo 'port taken' >&2; exit 3", nothingListening());
        server.start();

        assertThatThrownBy(() -> server.awaitReady(Duration.ofSeconds(30), this.out))
            .isInstanceOf(LaunchException.class)
            .hasMessageStartingWith("demo stopped while starting. Last lines of logs/demo.log:")
            .hasMessageContaining("starting")
            .hasMessageEndingWith("port taken");
        assertThat(this.output.toString(StandardCharsets.UTF_8)).endsWith("failed" + System.lineSeparator());
        assertThat(Files.readString(server.logFile())).contains("==== ", " starting: sh -c echo starting;");
    }

    @Test
    void aServerThatNeverAnswersTimesOut() throws IOException {
        ServerProcess server = process("sleep 600", nothingListening());
        server.start();

        assertThatThrownBy(() -> server.awaitReady(Duration.ofSeconds(3), this.out))
            .hasMessageStartingWith("demo was not ready after 3s.");
        assertThat(this.output.toString(StandardCharsets.UTF_8)).contains(".").contains("timed out");
    }

    @Test
    void stopEndsEverythingTheProcessStarted() throws Exception {
        ServerProcess server = process("sleep 600 & sleep 600 & wait", nothingListening());
        server.start();
        List<ProcessHandle> children = awaitDescendants(server, 2);

        server.stop();

        assertThat(server.isAlive()).isFalse();
        assertThat(children).noneMatch(ProcessHandle::isAlive);
    }

    @Test
    void grandchildrenWhoseParentEndedAreStoppedToo() throws Exception {
        // The shell starts a background sleep and ends: the sleep lives on, handed to
        // another parent, where descendants() no longer finds it.
        ServerProcess server = process("sleep 600 & sleep 1", nothingListening());
        server.start();
        List<ProcessHandle> children = awaitDescendants(server, 2);
        server.tree().remember();
        ProcessHandle orphan = children.stream()
            .filter((child) -> child.info().arguments().map((args) -> List.of(args).contains("600")).orElse(false))
            .findFirst()
            .orElseThrow();
        server.tree().root().waitFor();

        server.stop();

        assertThat(orphan.isAlive()).isFalse();
    }

    @Test
    void aStoppedServerCanBeStartedAgain() throws IOException {
        ServerProcess server = process("sleep 600", healthAnswering503Times(0));
        server.start();
        server.stop();

        server.start();

        assertThat(server.isAlive()).isTrue();
        server.awaitReady(Duration.ofSeconds(30), this.out);
    }

    static List<ProcessHandle> awaitDescendants(ServerProcess server, int count) throws InterruptedException {
        for (int i = 0; i < 100; i++) {
            List<ProcessHandle> descendants = server.tree().root().descendants().toList();
            if (descendants.size() >= count) {
                return descendants;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the process did not start " + count + " children");
    }

}
