package dev.gatehouse.docs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
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
 * Runs a page's shell snippets as a reader runs them: with bash, in a given directory,
 * with a clean environment (none of the build's own {@code MAVEN_*} variables, none of
 * Gatehouse's settings), the output of each kept in {@code target/snippet-logs/}. A
 * snippet that starts a server runs in the background until {@link Server#stop()}.
 */
final class SnippetShell {

    private static final HttpClient HTTP = HttpClient.newBuilder()
        .connectTimeout(Duration.ofSeconds(2))
        .followRedirects(HttpClient.Redirect.NEVER)
        .build();

    private final Path logs;

    SnippetShell(Path logs) {
        this.logs = logs;
    }

    /** Runs {@code script} to its end and returns what it printed on standard output. */
    String run(String name, Path directory, String script, Duration timeout) {
        Path log = this.logs.resolve(name + ".log");
        Path out = this.logs.resolve(name + ".out");
        try {
            Files.createDirectories(this.logs);
            Process process = builder(directory, script).redirectOutput(out.toFile())
                .redirectError(log.toFile())
                .start();
            if (!process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                throw new AssertionError(name + " did not finish within " + timeout + "; see " + log);
            }
            String output = Files.readString(out, StandardCharsets.UTF_8);
            if (process.exitValue() != 0) {
                throw new AssertionError(name + " exited with " + process.exitValue() + ". Output:\n" + output
                        + "\nErrors:\n" + Files.readString(log, StandardCharsets.UTF_8));
            }
            return output;
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }

    /** Starts {@code script} in the background, its output in {@code <name>.log}. */
    Server start(String name, Path directory, String script) {
        Path log = this.logs.resolve(name + ".log");
        try {
            Files.createDirectories(this.logs);
            Process process = builder(directory, script).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
            return new Server(name, process, log);
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    private static ProcessBuilder builder(Path directory, String script) {
        ProcessBuilder builder = new ProcessBuilder("bash", "-c", script).directory(directory.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        Map<String, String> environment = builder.environment();
        environment.keySet()
            .removeIf((variable) -> variable.startsWith("MAVEN_") || variable.startsWith("GATEHOUSE_")
                    || variable.startsWith("SPA_") || variable.startsWith("SPRING_")
                    || List.of("AUTH_SERVER_PORT", "API_PORT", "API_URL", "AUTH_DOMAIN", "API_JAVA_OPTS")
                        .contains(variable));
        return builder;
    }

    /**
     * A snippet running in the background, such as a server started in the foreground by
     * the reader.
     */
    static final class Server {

        private final String name;

        private final Process process;

        private final Path log;

        private Server(String name, Process process, Path log) {
            this.name = name;
            this.process = process;
            this.log = log;
        }

        /**
         * Waits until {@code url} answers anything but 503 (a server that answers HTTP
         * has finished starting; 503 is a health check saying not yet).
         */
        Server awaitHttp(String url, Duration timeout) {
            Instant deadline = Instant.now().plus(timeout);
            String last = "no answer yet";
            while (Instant.now().isBefore(deadline)) {
                if (!this.process.isAlive()) {
                    throw new AssertionError(this.name + " ended (exit " + this.process.exitValue() + ") before " + url
                            + " answered; last lines of " + this.log + ":\n" + tail());
                }
                try {
                    HttpResponse<Void> response = HTTP.send(
                            HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
                            HttpResponse.BodyHandlers.discarding());
                    if (response.statusCode() != 503) {
                        return this;
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
                    throw new IllegalStateException(ex);
                }
                pause();
            }
            throw new AssertionError(this.name + ": " + url + " did not answer within " + timeout + " (" + last
                    + "); last lines of " + this.log + ":\n" + tail());
        }

        /**
         * Stops it as Ctrl+C would (SIGTERM, which scripts such as {@code ./gatehouse}
         * pass on to what they started), then by force, children included.
         */
        void stop() {
            List<ProcessHandle> children = this.process.descendants().toList();
            this.process.destroy();
            try {
                if (!this.process.waitFor(30, TimeUnit.SECONDS)) {
                    this.process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            }
            catch (InterruptedException ex) {
                this.process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
            for (ProcessHandle child : children) {
                child.destroy();
            }
            Instant deadline = Instant.now().plusSeconds(20);
            while (children.stream().anyMatch(ProcessHandle::isAlive) && Instant.now().isBefore(deadline)) {
                pause();
            }
            children.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
        }

        boolean isAlive() {
            return this.process.isAlive() || this.process.descendants().anyMatch(ProcessHandle::isAlive);
        }

        private String tail() {
            try {
                List<String> lines = Files.readAllLines(this.log, StandardCharsets.UTF_8);
                return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
            }
            catch (IOException | UncheckedIOException ex) {
                return "(no log: " + ex + ")";
            }
        }

        private static void pause() {
            try {
                Thread.sleep(250);
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(ex);
            }
        }

    }

}
