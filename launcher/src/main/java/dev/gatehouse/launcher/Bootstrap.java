package dev.gatehouse.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/**
 * How the entry scripts start the launcher on a clone where nothing is built yet. They
 * run this one file with Java's single-file source launch ({@code java Bootstrap.java});
 * it compiles the launcher's sources ({@code launcher/src/main/java}) with the JDK's own
 * compiler into {@code .run/launcher/classes} when they changed since the last time, then
 * runs {@link Gatehouse#main} from there. So the launcher needs a JDK and nothing else:
 * no Maven, no javac on the PATH, no build step of its own.
 *
 * <p>
 * Self-contained on purpose: in a single-file launch it sees no other class of the
 * launcher.
 */
public final class Bootstrap {

    private static final String MAIN = "dev.gatehouse.launcher.Gatehouse";

    private static final String LISTING = ".sources";

    private Bootstrap() {
    }

    public static void main(String[] args) throws Throwable {
        if (Runtime.version().feature() < 17) {
            System.err.println("gatehouse: Java 17 or newer is needed (this is Java " + Runtime.version().feature()
                    + ", " + System.getProperty("java.home") + "). Set JAVA_HOME to a JDK 17+ and run again.");
            System.exit(1);
        }
        Path root = Paths.get(System.getProperty("gatehouse.root", "")).toAbsolutePath().normalize();
        Path classes;
        try {
            classes = compiled(root.resolve("launcher").resolve("src").resolve("main").resolve("java"),
                    root.resolve(".run").resolve("launcher"));
        }
        catch (IOException ex) {
            System.err.println("gatehouse: " + ex.getMessage());
            System.exit(1);
            return;
        }
        URLClassLoader loader = new URLClassLoader(new URL[] { classes.toUri().toURL() },
                ClassLoader.getPlatformClassLoader());
        preload(loader, classes);
        Method main = loader.loadClass(MAIN).getMethod("main", String[].class);
        try {
            main.invoke(null, (Object) args);
        }
        catch (InvocationTargetException ex) {
            throw ex.getCause();
        }
    }

    /**
     * The launcher's classes, compiled first when the sources differ from those they were
     * compiled from (a file added, removed or changed). One process at a time compiles:
     * two launchers started together wait for each other.
     * @param sources the launcher's source directory
     * @param work where the classes go ({@code classes/}, with a lock file beside it)
     * @return the directory of the classes
     */
    static Path compiled(Path sources, Path work) throws IOException {
        Files.createDirectories(work);
        Path classes = work.resolve("classes");
        try (FileChannel lockFile = FileChannel.open(work.resolve("lock"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE); FileLock lock = lockFile.lock()) {
            List<Path> files = javaFiles(sources);
            String listing = listing(sources, files);
            Path compiledFrom = classes.resolve(LISTING);
            if (Files.isRegularFile(compiledFrom)
                    && Files.readString(compiledFrom, StandardCharsets.UTF_8).equals(listing)) {
                return classes;
            }
            System.err.println("==> Compiling the launcher (once after each change of launcher/src)");
            Path fresh = Files.createTempDirectory(work, "classes-");
            try {
                compile(files, fresh);
                Files.writeString(fresh.resolve(LISTING), listing, StandardCharsets.UTF_8);
                deleteTree(classes);
                Files.move(fresh, classes);
            }
            finally {
                deleteTree(fresh);
            }
            return classes;
        }
    }

    private static List<Path> javaFiles(Path sources) throws IOException {
        if (!Files.isDirectory(sources)) {
            throw new IOException("The launcher's sources are missing: " + sources);
        }
        try (Stream<Path> walk = Files.walk(sources)) {
            return walk.filter((path) -> path.toString().endsWith(".java")).sorted().toList();
        }
    }

    /**
     * Each source's path, size and modification time: what the classes were built from.
     */
    private static String listing(Path sources, List<Path> files) throws IOException {
        StringBuilder listing = new StringBuilder();
        for (Path file : files) {
            listing.append(sources.relativize(file))
                .append('\t')
                .append(Files.size(file))
                .append('\t')
                .append(Files.getLastModifiedTime(file).toMillis())
                .append('\n');
        }
        return listing.toString();
    }

    private static void compile(List<Path> files, Path output) throws IOException {
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        if (compiler == null) {
            throw new IOException("This Java has no compiler (a JRE?): the launcher needs a JDK 17 or newer. "
                    + "Set JAVA_HOME to one.");
        }
        try (StandardJavaFileManager fileManager = compiler.getStandardFileManager(null, Locale.ROOT,
                StandardCharsets.UTF_8)) {
            Iterable<? extends JavaFileObject> units = fileManager.getJavaFileObjectsFromPaths(files);
            List<String> options = List.of("--release", "17", "-encoding", "UTF-8", "-d", output.toString());
            if (!compiler.getTask(null, fileManager, null, options, null, units).call()) {
                throw new IOException("The launcher's sources do not compile (errors above).");
            }
        }
    }

    /**
     * Loads every class now: a launcher compiled again later (by another run, after an
     * edit) replaces the directory, and a running one must not miss a class it loads late
     * (at Ctrl+C, say).
     */
    private static void preload(ClassLoader loader, Path classes) throws IOException, ClassNotFoundException {
        List<String> names = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(classes)) {
            walk.filter((path) -> path.toString().endsWith(".class")).forEach((path) -> {
                String relative = classes.relativize(path).toString();
                names.add(relative.substring(0, relative.length() - ".class".length())
                    .replace(path.getFileSystem().getSeparator(), "."));
            });
        }
        for (String name : names) {
            Class.forName(name, false, loader);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach((path) -> {
                try {
                    Files.delete(path);
                }
                catch (IOException ex) {
                    throw new UncheckedIOException(ex);
                }
            });
        }
        catch (UncheckedIOException ex) {
            throw ex.getCause();
        }
    }

}
