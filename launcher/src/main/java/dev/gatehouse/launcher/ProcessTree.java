package dev.gatehouse.launcher;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A child process and everything it started ({@code npm} → {@code ng} → {@code node},
 * {@code mvnw} → Maven → its forks), stopped together on every OS through
 * {@link ProcessHandle}: no process groups, nothing Linux-only.
 *
 * <p>
 * Descendants are remembered whenever {@link #remember()} runs, so a grandchild whose
 * parent already ended (and that the OS handed to another parent) is still stopped.
 */
final class ProcessTree {

    private final Process root;

    private final Set<ProcessHandle> known = ConcurrentHashMap.newKeySet();

    ProcessTree(Process root) {
        this.root = root;
    }

    Process root() {
        return this.root;
    }

    boolean isAlive() {
        return this.root.isAlive();
    }

    /** Notes the descendants alive now; cheap enough to call every second. */
    void remember() {
        try {
            this.root.descendants().forEach(this.known::add);
        }
        catch (RuntimeException ex) {
            // The process table could not be read this time; the next call tries again.
        }
    }

    /**
     * Asks the whole tree to stop: SIGTERM on Unix, so servers shut down cleanly (Windows
     * has no such request; there it ends them).
     */
    void terminate() {
        remember();
        this.root.destroy();
        for (ProcessHandle descendant : this.known) {
            quietly(descendant, false);
        }
    }

    /** Waits until the root and every descendant seen have ended. */
    boolean awaitExit(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            if (!this.root.waitFor(remaining(deadline), TimeUnit.NANOSECONDS)) {
                return false;
            }
            for (ProcessHandle descendant : this.known) {
                while (descendant.isAlive()) {
                    if (remaining(deadline) <= 0) {
                        return false;
                    }
                    Thread.sleep(50);
                }
            }
            return true;
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Ends the whole tree at once (SIGKILL on Unix). */
    void kill() {
        remember();
        this.root.destroyForcibly();
        for (ProcessHandle descendant : this.known) {
            quietly(descendant, true);
        }
        awaitExit(Duration.ofSeconds(10));
    }

    private static void quietly(ProcessHandle process, boolean force) {
        try {
            if (force) {
                process.destroyForcibly();
            }
            else {
                process.destroy();
            }
        }
        catch (RuntimeException ex) {
            // Already gone, or not ours to end: nothing left to do for it.
        }
    }

    private static long remaining(long deadline) {
        return Math.max(0, deadline - System.nanoTime());
    }

}
