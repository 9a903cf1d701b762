package dev.gatehouse.launcher;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The processes of one launcher run: the servers, in the order they were started, and the
 * foreground programs it waits for (Maven, npm). Stops them all on every way out — a
 * server that ends by itself, a failed start, Ctrl+C (a JVM shutdown hook) — each with
 * everything it started.
 *
 * <p>
 * Used by {@code ./gatehouse start} and {@code dev}, and by the browser tests, so the
 * system is started, watched and stopped by one piece of code.
 */
public final class Supervisor {

    private final PrintStream out;

    private final List<ServerProcess> servers = new CopyOnWriteArrayList<>();

    private final Set<ProcessTree> foreground = ConcurrentHashMap.newKeySet();

    private volatile boolean stopping;

    public Supervisor(PrintStream out) {
        this.out = out;
    }

    PrintStream out() {
        return this.out;
    }

    void step(String text) {
        this.out.println("==> " + text);
    }

    /** Starts a server and keeps it, to be stopped with the others. */
    public ServerProcess launch(ServerProcess server) {
        if (this.stopping) {
            throw new LaunchException("Stopping: the " + server.name() + " is not started.");
        }
        this.servers.add(server);
        server.start();
        return server;
    }

    /**
     * Waits until the server answers.
     * @throws LaunchException when it ended or the time is up; the caller stops the rest
     */
    public void awaitReady(ServerProcess server, Duration timeout) {
        server.awaitReady(timeout, this.out);
    }

    /** Keeps a foreground program, so that Ctrl+C stops it too. */
    ProcessTree track(Process process) {
        ProcessTree tree = new ProcessTree(process);
        this.foreground.add(tree);
        if (this.stopping) {
            tree.kill();
        }
        return tree;
    }

    void untrack(ProcessTree tree) {
        this.foreground.remove(tree);
    }

    boolean hasServers() {
        return !this.servers.isEmpty();
    }

    boolean isStopping() {
        return this.stopping;
    }

    /**
     * Blocks while every server runs. Returns once a stop has begun (Ctrl+C); when a
     * server ends by itself, throws with its last log lines (the caller stops the
     * others).
     */
    void superviseUntilOneEnds() {
        while (!this.stopping) {
            for (ServerProcess server : this.servers) {
                ProcessTree tree = server.tree();
                if (tree == null) {
                    continue;
                }
                tree.remember();
                if (!tree.isAlive()) {
                    // Ctrl+C reaches the servers too, and Node ends at once: give the
                    // shutdown hook a moment to say that this is a stop, not a crash.
                    ServerProcess.pause(1000);
                    if (this.stopping) {
                        return;
                    }
                    String log = (server.logFile() != null) ? " (log: " + server.logLabel() + ")" : "";
                    String lines = (server.logFile() != null)
                            ? System.lineSeparator() + ServerProcess.tail(server.logFile(), 20) : "";
                    throw new LaunchException(
                            server.name() + " stopped unexpectedly" + log + "; stopping the others." + lines);
                }
            }
            ServerProcess.pause(1000);
        }
    }

    /**
     * Stops everything, the servers in reverse start order (the SPA first, the
     * authorization server last): all are asked at once, then each gets 20 seconds before
     * it is killed. Safe to call more than once and from a shutdown hook.
     */
    public void stopAll() {
        // Said before waiting for the lock, so that a server seen ending now counts as
        // stopped, not as a crash.
        this.stopping = true;
        stopEverything();
    }

    private synchronized void stopEverything() {
        for (ProcessTree tree : this.foreground) {
            tree.terminate();
        }
        List<ServerProcess> reversed = new ArrayList<>(this.servers);
        Collections.reverse(reversed);
        this.servers.clear();
        if (!reversed.isEmpty()) {
            this.out.println();
            step("Stopping Gatehouse");
        }
        for (ServerProcess server : reversed) {
            server.requestStop();
        }
        for (ServerProcess server : reversed) {
            boolean clean = server.finishStop();
            this.out.println("    " + server.name() + (clean ? " stopped" : " did not stop within 20s: killed"));
        }
        for (ProcessTree tree : this.foreground) {
            if (!tree.awaitExit(Duration.ofSeconds(20))) {
                tree.kill();
            }
        }
        this.foreground.clear();
        this.out.flush();
    }

}
