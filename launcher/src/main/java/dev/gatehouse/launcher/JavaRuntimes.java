package dev.gatehouse.launcher;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Which Java runs the servers, and with which flags: the one place that says so, for
 * {@code start}, {@code dev}, the browser tests and the benchmarks
 * ({@code gatehouse jvm}).
 *
 * <p>
 * The API's flags, measured by {@code benchmarks/run} (benchmarks/results/): a small heap
 * with the serial collector keeps its RSS under 256 MB after load and costs no throughput
 * (the work is short-lived requests). Java 21+ is preferred because it brings virtual
 * threads ({@code spring.threads.virtual.enabled}), which kept the API's p99 low on one
 * core; Java 17 is the minimum.
 */
public final class JavaRuntimes {

    /**
     * The API's JVM flags unless {@code API_JAVA_OPTS} names others, measured by the
     * benchmarks to keep its RSS under 256 MB after load: without trimming, the native
     * memory the DPoP proof checks' crypto library had freed but the C library kept took
     * it to 281 MB after bearer and DPoP load (249 MB with the trim).
     */
    public static final String API_DEFAULT_OPTIONS = "-Xmx128m -XX:+UseSerialGC "
            + "-XX:+IgnoreUnrecognizedVMOptions -XX:TrimNativeHeapInterval=5000";

    /**
     * The authorization server's JVM flags unless {@code AUTH_SERVER_JAVA_OPTS} names
     * others, measured by the benchmarks to keep its RSS under 384 MB after
     * token-endpoint load: the JVM's default heap (a quarter of the machine's memory) let
     * it grow past 600 MB, and with a 160 MB heap the native memory the JIT compilers and
     * the crypto library had freed but the C library kept still took it to 420 MB.
     * Trimming the native heap every 5 s gives that back. The trim flag exists since JDK
     * 17.0.9 and 21.0.1; older updates ignore it rather than refuse to start.
     */
    public static final String AUTH_SERVER_DEFAULT_OPTIONS = "-Xmx128m -XX:+UseSerialGC -XX:ReservedCodeCacheSize=64m "
            + "-XX:+IgnoreUnrecognizedVMOptions -XX:TrimNativeHeapInterval=5000";

    static final int MINIMUM = 17;

    static final int PREFERRED = 21;

    private JavaRuntimes() {
    }

    /**
     * The java for the servers: {@code GATEHOUSE_JAVA} when set, else the newest Java 21+
     * among {@code JAVA_HOME} and the usual installation places of this OS, else the Java
     * running the launcher (the one the entry script found: {@code JAVA_HOME}, else
     * {@code java} on the {@code PATH}).
     */
    static String pick(Map<String, String> env, Os os) {
        String chosen = env.get("GATEHOUSE_JAVA");
        if (chosen != null && !chosen.isBlank()) {
            return chosen.trim();
        }
        return newest(candidateHomes(env, os), os)
            .orElseGet(() -> javaIn(Paths.get(System.getProperty("java.home")), os))
            .toString();
    }

    /** The newest Java {@value #PREFERRED}+ among the homes; the first of equals wins. */
    static Optional<Path> newest(List<Path> homes, Os os) {
        Path best = null;
        int bestVersion = PREFERRED - 1;
        for (Path home : homes) {
            Path java = javaIn(home, os);
            if (!Files.isExecutable(java)) {
                continue;
            }
            Optional<Integer> version = releaseVersion(home);
            if (version.isPresent() && version.get() > bestVersion) {
                best = java;
                bestVersion = version.get();
            }
        }
        return Optional.ofNullable(best);
    }

    static Path javaIn(Path home, Os os) {
        return home.resolve("bin").resolve(os.isWindows() ? "java.exe" : "java");
    }

    /** {@code JAVA_HOME} first, then the JDKs installed where this OS puts them. */
    static List<Path> candidateHomes(Map<String, String> env, Os os) {
        List<Path> homes = new ArrayList<>();
        String javaHome = env.get("JAVA_HOME");
        if (javaHome != null && !javaHome.isBlank()) {
            homes.add(Paths.get(javaHome.trim()));
        }
        String home = System.getProperty("user.home", "");
        switch (os) {
            case LINUX -> homes.addAll(children(Paths.get("/usr/lib/jvm"), null));
            case MAC -> {
                homes.addAll(children(Paths.get("/Library/Java/JavaVirtualMachines"), Paths.get("Contents", "Home")));
                homes.addAll(children(Paths.get(home, "Library", "Java", "JavaVirtualMachines"),
                        Paths.get("Contents", "Home")));
            }
            case WINDOWS -> {
                for (String base : List.of("ProgramFiles", "ProgramW6432")) {
                    String programFiles = env.get(base);
                    if (programFiles == null || programFiles.isBlank()) {
                        continue;
                    }
                    for (String vendor : List.of("Java", "Eclipse Adoptium", "Microsoft", "Zulu", "Amazon Corretto",
                            "BellSoft")) {
                        homes.addAll(children(Paths.get(programFiles, vendor), null));
                    }
                }
            }
            default -> {
            }
        }
        if (!home.isEmpty()) {
            homes.addAll(children(Paths.get(home, ".sdkman", "candidates", "java"), null));
        }
        return homes;
    }

    private static List<Path> children(Path dir, Path inside) {
        List<Path> homes = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return homes;
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path entry : entries) {
                homes.add((inside != null) ? entry.resolve(inside) : entry);
            }
        }
        catch (IOException ex) {
            // Unreadable: no JDK found there.
        }
        homes.sort(null);
        return homes;
    }

    /**
     * The feature version a JDK's {@code release} file names
     * ({@code JAVA_VERSION="21.0.4"}), read instead of starting each candidate.
     */
    static Optional<Integer> releaseVersion(Path home) {
        try {
            for (String line : Files.readAllLines(home.resolve("release"), StandardCharsets.UTF_8)) {
                if (line.startsWith("JAVA_VERSION=")) {
                    return Tools.javaFeatureVersion("version " + line.substring("JAVA_VERSION=".length()));
                }
            }
        }
        catch (IOException | RuntimeException ex) {
            // No release file: not a JDK we can tell the version of without starting it.
        }
        return Optional.empty();
    }

    /**
     * Checks that the java for the servers runs and is Java 17+; only
     * {@code GATEHOUSE_JAVA} can name another, the picked ones are known to be.
     */
    static void require(String java, Map<String, String> env, Os os) {
        Path program = Paths.get(java);
        boolean named = program.getNameCount() == 1 && !program.isAbsolute();
        if (named && Tools.find(java, env, os).isEmpty()) {
            throw new LaunchException("GATEHOUSE_JAVA names '" + java + "', which is not on the PATH. Set it to the "
                    + "java of a JDK 17 or newer (for example " + javaIn(Paths.get("<jdk>"), os) + "), or unset it.");
        }
        if (!named && !Files.isExecutable(program)) {
            throw new LaunchException("GATEHOUSE_JAVA names " + java + ", which is not an executable file. Set it to "
                    + "the java of a JDK 17 or newer, or unset it.");
        }
        Optional<Integer> version = Tools.output(List.of(java, "-version"), Duration.ofSeconds(30))
            .flatMap(Tools::javaFeatureVersion);
        if (version.isEmpty()) {
            throw new LaunchException(java + " -version failed: GATEHOUSE_JAVA must name a working java 17 or newer.");
        }
        if (version.get() < MINIMUM) {
            throw new LaunchException("Java 17 or newer is needed for the servers (GATEHOUSE_JAVA is Java "
                    + version.get() + ": " + java + ").");
        }
    }

}
