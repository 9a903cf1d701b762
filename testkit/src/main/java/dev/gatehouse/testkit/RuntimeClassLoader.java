package dev.gatehouse.testkit;

import java.io.BufferedReader;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The runtime's class loader, which also shortens a cold start. Half of a cold start is
 * class loading (12,000 classes, read from jars and parsed on the starting thread while a
 * second core idles). The first JVM to start a server records which classes it loaded, in
 * order, into the runtime's cache directory ({@code classes.lst}); later JVMs load them
 * on a background thread from the moment the loader exists, ahead of the starting thread,
 * which then mostly finds them done. Classes are only loaded, never initialized, so no
 * static initializer runs earlier or on another thread than it would anyway.
 */
final class RuntimeClassLoader extends URLClassLoader {

    static {
        registerAsParallelCapable();
    }

    private final Path classList;

    private volatile Queue<String> recording;

    RuntimeClassLoader(URL[] urls, Path classList) {
        super("gatehouse-testkit", urls, ClassLoader.getPlatformClassLoader());
        this.classList = classList;
        if (Files.isReadable(classList)) {
            Thread preloader = new Thread(this::preload, "gatehouse-testkit-preload");
            preloader.setDaemon(true);
            preloader.setPriority(Thread.MIN_PRIORITY);
            preloader.start();
        }
        else {
            this.recording = new ConcurrentLinkedQueue<>();
        }
    }

    @Override
    protected Class<?> findClass(String name) throws ClassNotFoundException {
        Class<?> type = super.findClass(name);
        Queue<String> names = this.recording;
        if (names != null) {
            names.add(name);
        }
        return type;
    }

    /** Writes what the first start loaded, once; later JVMs preload it. */
    void startupFinished() {
        Queue<String> names = this.recording;
        this.recording = null;
        if (names == null || names.isEmpty()) {
            return;
        }
        try {
            Path staging = Files.createTempFile(this.classList.getParent(), "classes", ".tmp");
            Files.write(staging, List.copyOf(names), StandardCharsets.UTF_8);
            Files.move(staging, this.classList, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
        catch (IOException | RuntimeException ex) {
            // Only a later start's speed depends on it.
        }
    }

    private void preload() {
        try (BufferedReader names = Files.newBufferedReader(this.classList, StandardCharsets.UTF_8)) {
            for (String name = names.readLine(); name != null; name = names.readLine()) {
                try {
                    Class.forName(name, false, this);
                }
                catch (ClassNotFoundException | LinkageError ex) {
                    // A class of another version of the runtime: the starting thread will
                    // say so if it needs it.
                }
            }
        }
        catch (IOException | RuntimeException ex) {
            // Preloading is only an optimisation.
        }
    }

}
