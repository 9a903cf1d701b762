package dev.gatehouse.launcher;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One server of the system, run as a child process the way a user runs it
 * ({@code java -jar ...}, {@code node spa/server.mjs}): its output appended to a log file
 * (or shown in the terminal), a URL that answers once it is ready, and a stop that ends
 * everything it started.
 */
public final class ServerProcess {

    private static final Duration STOP_GRACE = Duration.ofSeconds(20);

    // HTTP/1.1: an h2c upgrade offer makes servers with a WebSocket upgrade handler (the
    // Angular dev server's live reload) leave the request unanswered.
    private static final HttpClient HTTP = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(2))
        .followRedirects(HttpClient.Redirect.NEVER)
        .build();

    private final String name;

    private final int port;

    private final List<String> command;

    private final Path workDir;

    private final Map<String, String> environment;

    private final URI readinessUrl;

    private final Path logFile;

    private final String logLabel;

    private volatile ProcessTree tree;

    /**
     * @param logFile where its output goes, or {@code null} for the terminal
     * @param logLabel how messages name the log file ({@code .run/logs/api.log})
     */
    ServerProcess(String name, int port, List<String> command, Path workDir, Map<String, String> environment,
            URI readinessUrl, Path logFile, String logLabel) {
        this.name = name;
        this.port = port;
        this.command = List.copyOf(command);
        this.workDir = workDir;
        this.environment = Map.copyOf(environment);
        this.readinessUrl = readinessUrl;
        this.logFile = logFile;
        this.logLabel = logLabel;
    }

    public String name() {
        return this.name;
    }

    /**
     * The same server with more environment variables (a test's own tenant file, an API's
     * audience): a copy, started on its own.
     */
    public ServerProcess withEnvironment(Map<String, String> extra) {
        Map<String, String> merged = new java.util.HashMap<>(this.environment);
        merged.putAll(extra);
        return new ServerProcess(this.name, this.port, this.command, this.workDir, merged, this.readinessUrl,
                this.logFile, this.logLabel);
    }

    public int port() {
        return this.port;
    }

    public List<String> command() {
        return this.command;
    }

    public Map<String, String> environment() {
        return this.environment;
    }

    public Path logFile() {
        return this.logFile;
    }

    public URI readinessUrl() {
        return this.readinessUrl;
    }

    public boolean isAlive() {
        ProcessTree current = this.tree;
        return current != null && current.isAlive();
    }

    ProcessTree tree() {
        return this.tree;
    }

    /** Starts the process without waiting for it; {@link #awaitReady} waits. */
    public synchronized void start() {
        if (isAlive()) {
            return;
        }
        ProcessBuilder builder = new ProcessBuilder(this.command).directory(this.workDir.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(Os.current().nullDevice()));
        builder.environment().putAll(this.environment);
        try {
            Files.createDirectories(this.workDir);
            if (this.logFile != null) {
                Files.createDirectories(this.logFile.toAbsolutePath().getParent());
                Files.writeString(this.logFile,
                        "\n==== " + Instant.now().truncatedTo(ChronoUnit.SECONDS) + " starting: "
                                + String.join(" ", this.command) + "\n",
                        StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                builder.redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(this.logFile.toFile()));
            }
            else {
                builder.redirectOutput(ProcessBuilder.Redirect.INHERIT).redirectError(ProcessBuilder.Redirect.INHERIT);
            }
            this.tree = new ProcessTree(builder.start());
        }
        catch (IOException ex) {
            throw new LaunchException("Could not start the " + this.name + " (" + String.join(" ", this.command) + "): "
                    + ex.getMessage());
        }
    }

    /**
     * Waits until the readiness URL answers, showing a dot every two seconds. Any HTTP
     * answer but 503 counts: Spring Boot opens its port last, and 503 is what a health
     * endpoint says while a part is down.
     * @throws LaunchException when the process ends first or the time is up, with the
     * last lines of its log
     */
    public void awaitReady(Duration timeout, PrintStream out) {
        long started = System.nanoTime();
        out.printf("    waiting for %-12s %s ", this.name, this.readinessUrl);
        out.flush();
        long shownSeconds = 0;
        int dots = 0;
        while (true) {
            if (!isAlive()) {
                out.println("failed");
                throw new LaunchException(this.name + " stopped while starting." + lastLines(30));
            }
            if (answers()) {
                out.println(" ready (" + seconds(started) + "s)");
                return;
            }
            long elapsed = seconds(started);
            if (elapsed >= timeout.toSeconds()) {
                out.println("timed out");
                throw new LaunchException(
                        this.name + " was not ready after " + timeout.toSeconds() + "s." + lastLines(30));
            }
            // A dot every two seconds, and a new line with the time so far every 30 dots,
            // so
            // a slow start stays readable.
            if (elapsed >= shownSeconds + 2) {
                shownSeconds = elapsed;
                dots++;
                out.print((dots % 30 == 0) ? ". " + elapsed + "s" + System.lineSeparator() + "      " : ".");
                out.flush();
            }
            pause(250);
        }
    }

    /**
     * Asks each address of the URL's host in turn: {@code localhost} may be 127.0.0.1 and
     * ::1, and a server may listen on only one of them (Node binds the first its resolver
     * names, ::1 on macOS), while Java's HTTP client would try only the first it
     * resolves.
     */
    boolean answers() {
        List<URI> candidates;
        try {
            candidates = new ArrayList<>();
            for (InetAddress address : InetAddress.getAllByName(this.readinessUrl.getHost())) {
                candidates.add(new URI(this.readinessUrl.getScheme(), null, address.getHostAddress(),
                        this.readinessUrl.getPort(), this.readinessUrl.getPath(), this.readinessUrl.getQuery(), null));
            }
        }
        catch (UnknownHostException | URISyntaxException ex) {
            candidates = List.of(this.readinessUrl);
        }
        for (URI candidate : candidates) {
            try {
                HttpResponse<Void> response = HTTP.send(
                        HttpRequest.newBuilder(candidate).timeout(Duration.ofSeconds(5)).GET().build(),
                        HttpResponse.BodyHandlers.discarding());
                return response.statusCode() != 503;
            }
            catch (IOException ex) {
                // Not (yet) answering on this address.
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                throw new LaunchException("Interrupted while waiting for the " + this.name + ".");
            }
        }
        return false;
    }

    /** Asks it and everything it started to stop, without waiting. */
    void requestStop() {
        ProcessTree current = this.tree;
        if (current != null) {
            current.terminate();
        }
    }

    /**
     * Waits for the stop {@link #requestStop() requested}; what has not ended after 20
     * seconds is killed.
     * @return false when it had to be killed
     */
    boolean finishStop() {
        ProcessTree current = this.tree;
        if (current == null) {
            return true;
        }
        boolean clean = current.awaitExit(STOP_GRACE);
        if (!clean) {
            current.kill();
        }
        awaitPortClosed(Duration.ofSeconds(10));
        this.tree = null;
        return clean;
    }

    /**
     * Stops it and everything it started: politely first, by force after 20 seconds; then
     * waits until its port is free again, so it can be started at once.
     */
    public void stop() {
        requestStop();
        finishStop();
    }

    private void awaitPortClosed(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (PortCheck.answers(this.port) && System.nanoTime() < deadline) {
            pause(100);
        }
    }

    /** The last lines of its log, for messages; empty when it logs to the terminal. */
    public String lastLines(int lines) {
        if (this.logFile == null) {
            return "";
        }
        return " Last lines of " + this.logLabel + ":" + System.lineSeparator() + tail(this.logFile, lines);
    }

    /**
     * The last lines of a file, read from its last 64 KB (a log grows across restarts).
     */
    static String tail(Path file, int lines) {
        try (SeekableByteChannel channel = Files.newByteChannel(file)) {
            long start = Math.max(0, channel.size() - 65536);
            ByteBuffer buffer = ByteBuffer.allocate((int) (channel.size() - start));
            channel.position(start);
            while (buffer.hasRemaining() && channel.read(buffer) > 0) {
                // Reads to the end.
            }
            List<String> all = new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8).lines()
                .toList();
            return String.join(System.lineSeparator(), all.subList(Math.max(0, all.size() - lines), all.size()));
        }
        catch (IOException ex) {
            return "(" + file + " cannot be read: " + ex.getMessage() + ")";
        }
    }

    String logLabel() {
        return this.logLabel;
    }

    private static long seconds(long startedNanos) {
        return Duration.ofNanos(System.nanoTime() - startedNanos).toSeconds();
    }

    static void pause(long millis) {
        try {
            Thread.sleep(millis);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new LaunchException("Interrupted.");
        }
    }

    @Override
    public String toString() {
        return this.name + " on port " + this.port;
    }

}
