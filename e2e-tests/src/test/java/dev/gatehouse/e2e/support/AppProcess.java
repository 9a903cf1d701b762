package dev.gatehouse.e2e.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One application of the system, started as a child process the way a user starts it
 * ({@code java -jar ...}, {@code node spa/server.mjs}), with its output appended to a log
 * file and a URL that answers once it is ready.
 *
 * <p>
 * Not thread-safe: the browser tests run one at a time.
 */
public final class AppProcess {

    private static final HttpClient HTTP = HttpClient.newBuilder()
        .connectTimeout(Duration.ofSeconds(2))
        .followRedirects(HttpClient.Redirect.NEVER)
        .build();

    private final String name;

    private final int port;

    private final List<String> command;

    private final Path workingDir;

    private final Map<String, String> environment;

    private final URI readinessUrl;

    private final Path logFile;

    private Process process;

    public AppProcess(String name, int port, List<String> command, Path workingDir, Map<String, String> environment,
            URI readinessUrl, Path logFile) {
        this.name = name;
        this.port = port;
        this.command = List.copyOf(command);
        this.workingDir = workingDir;
        this.environment = Map.copyOf(environment);
        this.readinessUrl = readinessUrl;
        this.logFile = logFile;
    }

    public String name() {
        return this.name;
    }

    public int port() {
        return this.port;
    }

    public Path logFile() {
        return this.logFile;
    }

    public boolean isRunning() {
        return this.process != null && this.process.isAlive();
    }

    /**
     * Refuses to start when something already listens on the port: the tests would
     * otherwise talk to a stranger (a forgotten {@code ./gatehouse start}, another
     * helper's server) and fail in confusing ways.
     */
    public void requirePortFree() {
        if (isListening(this.port)) {
            throw new IllegalStateException("Port " + this.port + " (" + this.name + ") is already in use. The browser "
                    + "tests start the system on the default ports 9000, 3001 and 4200, because the SPA's config.json "
                    + "and the issuer name them. Stop whatever listens on " + this.port
                    + " (for example a running './gatehouse start') and run the tests again.");
        }
    }

    /** Starts the process without waiting; {@link #awaitReady(Duration)} waits. */
    public void start() {
        if (isRunning()) {
            return;
        }
        try {
            Files.createDirectories(this.logFile.getParent());
            Files.writeString(this.logFile,
                    "\n==== " + Instant.now() + " starting: " + String.join(" ", this.command) + "\n",
                    StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE,
                    java.nio.file.StandardOpenOption.APPEND);
            ProcessBuilder builder = new ProcessBuilder(this.command).directory(this.workingDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(this.logFile.toFile()));
            builder.environment().putAll(this.environment);
            this.process = builder.start();
        }
        catch (IOException ex) {
            throw new UncheckedIOException("Could not start " + this.name + ": " + String.join(" ", this.command), ex);
        }
    }

    /**
     * Waits until the readiness URL answers. Any HTTP answer but 503 counts: a server
     * that answers HTTP has finished starting (Spring Boot opens its port last), and 503
     * is what a health endpoint says while a part is down.
     */
    public void awaitReady(Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        String last = "no answer yet";
        while (Instant.now().isBefore(deadline)) {
            if (!this.process.isAlive()) {
                throw new IllegalStateException(this.name + " exited with code " + this.process.exitValue()
                        + " while starting. Last lines of " + this.logFile + ":\n" + tail(40));
            }
            try {
                HttpResponse<Void> response = HTTP.send(
                        HttpRequest.newBuilder(this.readinessUrl).timeout(Duration.ofSeconds(5)).GET().build(),
                        HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() != 503) {
                    return;
                }
                last = "HTTP 503";
            }
            catch (ConnectException ex) {
                last = "connection refused";
            }
            catch (IOException ex) {
                last = ex.toString();
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while waiting for " + this.name, ex);
            }
            sleep(250);
        }
        throw new IllegalStateException(this.name + " was not ready at " + this.readinessUrl + " after " + timeout
                + " (" + last + "). Last lines of " + this.logFile + ":\n" + tail(40));
    }

    /** Stops the process and its children: politely first (SIGTERM), then by force. */
    public void stop() {
        if (this.process == null) {
            return;
        }
        List<ProcessHandle> descendants = this.process.descendants().toList();
        this.process.destroy();
        try {
            if (!this.process.waitFor(20, TimeUnit.SECONDS)) {
                this.process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
        catch (InterruptedException ex) {
            this.process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        descendants.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
        this.process = null;
        awaitPortClosed(Duration.ofSeconds(10));
    }

    private void awaitPortClosed(Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        while (isListening(this.port) && Instant.now().isBefore(deadline)) {
            sleep(100);
        }
    }

    /** The last lines of the log, for failure messages. */
    public String tail(int lines) {
        try {
            List<String> all = Files.readAllLines(this.logFile, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        }
        catch (IOException | UncheckedIOException ex) {
            return "(log not readable: " + ex + ")";
        }
    }

    static boolean isListening(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("localhost", port), 500);
            return true;
        }
        catch (IOException ex) {
            return false;
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }

    @Override
    public String toString() {
        return this.name + " on port " + this.port;
    }

}
