package dev.gatehouse.launcher;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The programs the system needs besides the JDK the launcher runs on: Node.js with npm,
 * and a Java 17+ for the servers. Finds them on the {@code PATH} and checks their
 * versions before anything is built, so a missing tool costs seconds and the message says
 * what to install.
 */
final class Tools {

    private static final Pattern NODE_VERSION = Pattern.compile("v?(\\d+)\\.(\\d+)");

    private static final Pattern JAVA_VERSION = Pattern.compile("version \"(\\d+)(?:\\.(\\d+))?");

    private Tools() {
    }

    /** A program on the {@code PATH}, as the shell would find it. */
    static Optional<Path> find(String program, Map<String, String> env, Os os) {
        String path = env.getOrDefault("PATH", env.getOrDefault("Path", ""));
        for (String dir : path.split(Pattern.quote(File.pathSeparator))) {
            if (dir.isBlank()) {
                continue;
            }
            for (String name : os.executableNames(program)) {
                try {
                    Path candidate = Paths.get(dir.trim()).resolve(name);
                    if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                        return Optional.of(candidate);
                    }
                }
                catch (RuntimeException ex) {
                    // A PATH entry that is no path on this system: not where the program
                    // is.
                }
            }
        }
        return Optional.empty();
    }

    /**
     * Runs a short command and returns what it printed (stdout and stderr together), or
     * nothing when it could not be started, failed or took longer than the timeout.
     */
    static Optional<String> output(List<String> command, Duration timeout) {
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectInput(Os.current().nullDevice())
                .start();
        }
        catch (IOException ex) {
            return Optional.empty();
        }
        CompletableFuture<String> text = CompletableFuture.supplyAsync(() -> readAll(process.getInputStream()));
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                return Optional.empty();
            }
            String output = text.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return (process.exitValue() != 0) ? Optional.empty() : Optional.of(output);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            return Optional.empty();
        }
        catch (Exception ex) {
            process.destroyForcibly();
            return Optional.empty();
        }
    }

    private static String readAll(InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), Charset.defaultCharset());
        }
        catch (IOException ex) {
            return "";
        }
    }

    /** Node.js 20.19+ and npm, as the SPA's package.json asks ({@code engines}). */
    static void requireNode(Map<String, String> env, Os os) {
        Path node = find("node", env, os).orElseThrow(() -> new LaunchException(
                "Node.js 20.19 or newer is needed (node not found on PATH). Install it from https://nodejs.org/ "
                        + "(it brings npm) and run again."));
        String version = output(List.of(node.toString(), "--version"), Duration.ofSeconds(30)).orElse("").trim();
        if (!nodeVersionIsSupported(version)) {
            throw new LaunchException("Node.js 20.19 or newer is needed (found "
                    + (version.isEmpty() ? "a node that does not say its version" : version) + " at " + node
                    + "). Install a current Node.js from https://nodejs.org/ and run again.");
        }
        if (find("npm", env, os).isEmpty()) {
            throw new LaunchException("npm is needed (npm not found on PATH). It comes with Node.js: "
                    + "reinstall Node.js from https://nodejs.org/ and run again.");
        }
    }

    static boolean nodeVersionIsSupported(String version) {
        Matcher matcher = NODE_VERSION.matcher(version);
        if (!matcher.lookingAt()) {
            return false;
        }
        int major = Integer.parseInt(matcher.group(1));
        int minor = Integer.parseInt(matcher.group(2));
        return major > 20 || (major == 20 && minor >= 19);
    }

    /**
     * The feature version a {@code java -version} output names: 17 for
     * {@code openjdk version "17.0.15"}, 8 for {@code java version "1.8.0_292"}.
     */
    static Optional<Integer> javaFeatureVersion(String versionOutput) {
        Matcher matcher = JAVA_VERSION.matcher(versionOutput);
        if (!matcher.find()) {
            return Optional.empty();
        }
        int first = Integer.parseInt(matcher.group(1));
        if (first == 1 && matcher.group(2) != null) {
            return Optional.of(Integer.parseInt(matcher.group(2)));
        }
        return Optional.of(first);
    }

}
