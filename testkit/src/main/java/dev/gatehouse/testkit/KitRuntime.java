package dev.gatehouse.testkit;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.MalformedURLException;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.net.URLConnection;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * The class loader the test servers run in, one per JVM.
 *
 * <p>
 * The server and its libraries travel inside this kit's jar as one Spring Boot jar
 * ({@code META-INF/gatehouse-testkit/runtime.jar}). A class loader cannot read jars
 * nested in jars, so the first use on a machine extracts it into a cache directory (keyed
 * by the embedded jar's checksum, shared by every JVM and test run of the same kit);
 * later uses only open it. The loader's parent is the platform class loader: the server
 * sees none of the test's classes, and the test none of the server's.
 *
 * <p>
 * One loader serves every server of the JVM: classes load once (the second test class's
 * server starts warm), and native code a library loads belongs to one loader only.
 */
final class KitRuntime {

    static final String CACHE_DIR_PROPERTY = "gatehouse.testkit.cache-dir";

    private static final String EMBEDDED = "/META-INF/gatehouse-testkit/runtime.jar";

    private static final String SERVER_CLASS = "dev.gatehouse.testkit.runtime.KitServer";

    private static final String COMPLETE = ".complete";

    private static volatile Class<?> serverClass;

    private KitRuntime() {
    }

    /** {@code KitServer} as loaded by the runtime's class loader (made on first use). */
    static Class<?> serverClass() {
        Class<?> type = serverClass;
        if (type == null) {
            synchronized (KitRuntime.class) {
                type = serverClass;
                if (type == null) {
                    try {
                        type = Class.forName(SERVER_CLASS, true, createLoader(extracted()));
                    }
                    catch (ClassNotFoundException ex) {
                        throw new IllegalStateException("The test kit's runtime has no " + SERVER_CLASS, ex);
                    }
                    serverClass = type;
                }
            }
        }
        return type;
    }

    /**
     * The extracted runtime: {@code classes/}, {@code lib/} and {@code classpath.idx}.
     */
    static Path extracted() {
        URL embedded = KitRuntime.class.getResource(EMBEDDED);
        if (embedded == null) {
            throw new IllegalStateException("The Gatehouse test kit's jar has no " + EMBEDDED
                    + ": it was built without its runtime (build it with ./mvnw package or install)");
        }
        Path directory = cacheRoot().resolve(cacheKey(embedded));
        if (Files.exists(directory.resolve(COMPLETE))) {
            return directory;
        }
        try {
            Files.createDirectories(directory.getParent());
            Path staging = Files.createTempDirectory(directory.getParent(), directory.getFileName() + ".");
            extract(embedded, staging);
            Files.createFile(staging.resolve(COMPLETE));
            publish(staging, directory);
            return directory;
        }
        catch (IOException ex) {
            throw new UncheckedIOException("Cannot extract the Gatehouse test kit's runtime into " + directory
                    + " (set -D" + CACHE_DIR_PROPERTY + "=<dir> to use another directory)", ex);
        }
    }

    private static Path cacheRoot() {
        String configured = System.getProperty(CACHE_DIR_PROPERTY);
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        return Path.of(System.getProperty("java.io.tmpdir"), "gatehouse-testkit-" + System.getProperty("user.name"));
    }

    /**
     * Identifies the embedded jar without reading it: its checksum and size as the outer
     * jar lists them, or, from a build directory, its size and modification time.
     */
    static String cacheKey(URL embedded) {
        try {
            URLConnection connection = embedded.openConnection();
            if (connection instanceof JarURLConnection jar) {
                jar.setUseCaches(false);
                ZipEntry entry = jar.getJarEntry();
                return Long.toHexString(entry.getCrc()) + "-" + entry.getSize();
            }
            Path file = Path.of(embedded.toURI());
            return "dir-" + Files.size(file) + "-" + Files.getLastModifiedTime(file).toMillis();
        }
        catch (IOException | URISyntaxException ex) {
            throw new IllegalStateException("Cannot read the Gatehouse test kit's runtime at " + embedded, ex);
        }
    }

    private static void extract(URL embedded, Path target) throws IOException {
        Path classes = Files.createDirectories(target.resolve("classes"));
        Path lib = Files.createDirectories(target.resolve("lib"));
        try (InputStream in = embedded.openStream(); ZipInputStream zip = new ZipInputStream(in)) {
            for (ZipEntry entry = zip.getNextEntry(); entry != null; entry = zip.getNextEntry()) {
                String name = entry.getName();
                Path out;
                if (name.startsWith("BOOT-INF/classes/")) {
                    out = classes.resolve(name.substring("BOOT-INF/classes/".length()));
                }
                else if (name.startsWith("BOOT-INF/lib/") && name.endsWith(".jar")) {
                    out = lib.resolve(name.substring("BOOT-INF/lib/".length()));
                }
                else if (name.equals("BOOT-INF/classpath.idx")) {
                    out = target.resolve("classpath.idx");
                }
                else {
                    continue;
                }
                if (!out.normalize().startsWith(target)) {
                    throw new IOException("Refusing to extract " + name + " outside " + target);
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(out);
                }
                else {
                    Files.createDirectories(out.getParent());
                    Files.copy(zip, out, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    /**
     * Moves the staged extraction into place; when another JVM got there first, its copy
     * is used and ours deleted.
     */
    private static void publish(Path staging, Path directory) throws IOException {
        try {
            if (Files.exists(directory) && !Files.exists(directory.resolve(COMPLETE))) {
                delete(directory); // left by a JVM that died while extracting
            }
            Files.move(staging, directory, StandardCopyOption.ATOMIC_MOVE);
        }
        catch (FileAlreadyExistsException | AtomicMoveNotSupportedException
                | java.nio.file.DirectoryNotEmptyException ex) {
            delete(staging);
            if (!Files.exists(directory.resolve(COMPLETE))) {
                throw ex;
            }
        }
    }

    /**
     * Called after a server started: lets the loader record its startup classes (see
     * {@link RuntimeClassLoader}).
     */
    static void serverStarted() {
        Class<?> type = serverClass;
        if (type != null && type.getClassLoader() instanceof RuntimeClassLoader loader) {
            loader.startupFinished();
        }
    }

    private static URLClassLoader createLoader(Path runtime) {
        List<URL> urls = new ArrayList<>();
        try {
            urls.add(runtime.resolve("classes").toUri().toURL());
            try (BufferedReader index = Files.newBufferedReader(runtime.resolve("classpath.idx"),
                    StandardCharsets.UTF_8)) {
                for (String line = index.readLine(); line != null; line = index.readLine()) {
                    String entry = line.trim();
                    if (entry.startsWith("- ")) {
                        String jar = entry.substring(2).replace("\"", "");
                        urls.add(runtime.resolve("lib")
                            .resolve(jar.substring(jar.lastIndexOf('/') + 1))
                            .toUri()
                            .toURL());
                    }
                }
            }
        }
        catch (MalformedURLException ex) {
            throw new IllegalStateException(ex);
        }
        catch (IOException ex) {
            throw new UncheckedIOException("Cannot read the Gatehouse test kit's runtime in " + runtime, ex);
        }
        return new RuntimeClassLoader(urls.toArray(URL[]::new), runtime.resolve("classes.lst"));
    }

    private static void delete(Path directory) throws IOException {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> files = Files.walk(directory)) {
            for (Path path : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }

}
