package dev.gatehouse.launcher;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Builds what {@code start} and {@code dev} need and is missing or older than its
 * sources: {@code ./mvnw -B -DskipTests package -pl <modules>}, with its full output in
 * {@code .run/logs/build.log} and one short line per module and build step on the
 * terminal.
 */
final class Build {

    private static final Pattern MODULE = Pattern.compile("^\\[INFO\\] Building .*\\[([0-9]+/[0-9]+)\\]$");

    private static final Pattern STEP = Pattern
        .compile("^\\[INFO\\] --- ([a-z0-9-]+):[^:]+:([A-Za-z0-9-]+) .*@ ([A-Za-z0-9._-]+) ---$");

    private static final Pattern NPM = Pattern.compile("^(added [0-9]+ packages|Application bundle generation).*");

    private Build() {
    }

    /**
     * Builds the modules whose artifact is missing or older than a source.
     * @param withSpaBundle whether the SPA's bundle is needed too ({@code start};
     * {@code dev} serves the sources)
     */
    static void buildMissing(Settings settings, boolean withSpaBundle, Supervisor supervisor, Os os) {
        List<String> modules = staleModules(settings, withSpaBundle);
        if (modules.isEmpty()) {
            supervisor.step("Build is up to date (nothing newer than the packaged jars"
                    + (withSpaBundle ? " and the SPA bundle)" : ")"));
            return;
        }
        maven(settings, String.join(",", modules), supervisor, os);
    }

    static List<String> staleModules(Settings settings, boolean withSpaBundle) {
        Path root = settings.root();
        Path parentPom = root.resolve("pom.xml");
        List<String> modules = new ArrayList<>();
        if (stale(settings.authServerJar(), List.of(root.resolve("auth-server").resolve("src"),
                root.resolve("auth-server").resolve("pom.xml"), parentPom))) {
            modules.add("auth-server");
        }
        if (stale(settings.apiJar(),
                List.of(root.resolve("api").resolve("src"), root.resolve("api").resolve("pom.xml"), parentPom))) {
            modules.add("api");
        }
        if (withSpaBundle) {
            // server.mjs is run as it is, not built: not a reason to rebuild.
            Path spa = settings.spaDir();
            List<Path> sources = new ArrayList<>(
                    List.of(spa.resolve("src"), spa.resolve("public"), spa.resolve("package.json"),
                            spa.resolve("package-lock.json"), spa.resolve("angular.json"), spa.resolve("pom.xml")));
            sources.addAll(matching(spa, "tsconfig*.json"));
            if (stale(settings.spaIndex(), sources)) {
                modules.add("spa");
            }
        }
        return modules;
    }

    /**
     * True when the artifact is missing, or a file or directory under one of the sources
     * changed after it (node_modules aside). Sources that do not exist are passed over.
     */
    static boolean stale(Path artifact, List<Path> sources) {
        if (!Files.isRegularFile(artifact)) {
            return true;
        }
        try {
            FileTime built = Files.getLastModifiedTime(artifact);
            for (Path source : sources) {
                if (Files.exists(source) && newerThan(source, built)) {
                    return true;
                }
            }
            return false;
        }
        catch (IOException ex) {
            return true;
        }
    }

    private static boolean newerThan(Path source, FileTime built) throws IOException {
        boolean[] newer = { false };
        // Links are followed: what counts is when the content changed, not the link.
        Files.walkFileTree(source, EnumSet.of(FileVisitOption.FOLLOW_LINKS), Integer.MAX_VALUE,
                new SimpleFileVisitor<>() {

                    @Override
                    public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes) {
                        if (dir.getFileName() != null && dir.getFileName().toString().equals("node_modules")) {
                            return FileVisitResult.SKIP_SUBTREE;
                        }
                        return check(attributes);
                    }

                    @Override
                    public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
                        return check(attributes);
                    }

                    @Override
                    public FileVisitResult visitFileFailed(Path file, IOException ex) {
                        return FileVisitResult.CONTINUE;
                    }

                    private FileVisitResult check(BasicFileAttributes attributes) {
                        if (attributes.lastModifiedTime().compareTo(built) > 0) {
                            newer[0] = true;
                            return FileVisitResult.TERMINATE;
                        }
                        return FileVisitResult.CONTINUE;
                    }

                });
        return newer[0];
    }

    private static List<Path> matching(Path dir, String glob) {
        List<Path> files = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return files;
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, glob)) {
            entries.forEach(files::add);
        }
        catch (IOException ex) {
            // Unreadable: nothing to compare.
        }
        return files;
    }

    /** Runs Maven with its full output in the build log and a short progress here. */
    static void maven(Settings settings, String modules, Supervisor supervisor, Os os) {
        Path log = settings.logDir().resolve("build.log");
        String logLabel = settings.display(log);
        supervisor.step("Building " + modules + " (first time: downloads dependencies and runs npm ci, a few minutes; "
                + "log: " + logLabel + ")");
        long started = System.nanoTime();
        List<String> command = new ArrayList<>(mavenWrapper(settings.root(), os));
        command.addAll(List.of("-B", "-DskipTests", "package", "-pl", modules));
        int status;
        try {
            Files.createDirectories(settings.logDir());
            Process process = new ProcessBuilder(command).directory(settings.root().toFile())
                .redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(os.nullDevice()))
                .start();
            ProcessTree tree = supervisor.track(process);
            try {
                copyWithProgress(process, log, supervisor.out());
                status = process.waitFor();
            }
            finally {
                supervisor.untrack(tree);
            }
        }
        catch (IOException ex) {
            throw new LaunchException(
                    "Could not run the build (" + String.join(" ", command) + "): " + ex.getMessage());
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new LaunchException("Interrupted while building.");
        }
        if (status != 0) {
            throw new LaunchException("the build failed. Last lines of " + logLabel + ":" + System.lineSeparator()
                    + ServerProcess.tail(log, 40));
        }
        supervisor.step("Built in " + (System.nanoTime() - started) / 1_000_000_000L + "s");
    }

    /** {@code mvnw}, or {@code mvnw.cmd} through {@code cmd.exe} on Windows. */
    static List<String> mavenWrapper(Path root, Os os) {
        if (os.isWindows()) {
            return os.script(root.resolve("mvnw.cmd").toString(), List.of());
        }
        Path mvnw = root.resolve("mvnw");
        // An archive download may lose the executable bit; sh runs the wrapper anyway.
        return Files.isExecutable(mvnw) ? List.of(mvnw.toString()) : List.of("sh", mvnw.toString());
    }

    private static void copyWithProgress(Process process, Path log, PrintStream out) throws IOException {
        Progress progress = new Progress();
        Charset charset = Charset.defaultCharset();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(), charset));
                BufferedWriter writer = Files.newBufferedWriter(log, StandardCharsets.UTF_8)) {
            String line;
            while ((line = reader.readLine()) != null) {
                writer.write(line);
                writer.newLine();
                writer.flush();
                progress.line(line).ifPresent(out::println);
            }
        }
    }

    /** Turns Maven's output into one line per module and build step. */
    static final class Progress {

        // Maven numbers the modules only when it builds more than one.
        private String module = "1/1";

        Optional<String> line(String line) {
            Matcher module = MODULE.matcher(line);
            if (module.matches()) {
                this.module = module.group(1);
                return Optional.empty();
            }
            Matcher step = STEP.matcher(line);
            if (step.matches()) {
                return Optional.of(String.format("    [%s] %-12s %s:%s", this.module, step.group(3), step.group(1),
                        step.group(2)));
            }
            if (NPM.matcher(line).matches()) {
                return Optional.of("                        " + line);
            }
            if (line.startsWith("[ERROR]") || line.contains("BUILD SUCCESS") || line.contains("BUILD FAILURE")) {
                return Optional.of("    " + (line.startsWith("[INFO] ") ? line.substring("[INFO] ".length()) : line));
            }
            return Optional.empty();
        }

    }

}
