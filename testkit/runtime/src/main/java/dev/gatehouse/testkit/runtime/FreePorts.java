package dev.gatehouse.testkit.runtime;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;

/**
 * Picks the port of a new test server before it starts, because its issuer
 * ({@code http://localhost:<port>/}) must be known before its beans are built. A port is
 * one the system reports free and that no other server of this JVM is starting on; what
 * another process may take in between is handled by {@link KitServer} trying again.
 */
final class FreePorts {

    private static final Set<Integer> STARTING = new HashSet<>();

    private FreePorts() {
    }

    static int reserve() {
        for (int attempt = 0; attempt < 20; attempt++) {
            int port = probe();
            synchronized (STARTING) {
                if (STARTING.add(port)) {
                    return port;
                }
            }
        }
        throw new IllegalStateException("No free TCP port found for the Gatehouse test server");
    }

    static void release(int port) {
        synchronized (STARTING) {
            STARTING.remove(port);
        }
    }

    private static int probe() {
        // All interfaces, as Tomcat binds.
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
        catch (IOException ex) {
            throw new IllegalStateException("Cannot open a socket to find a free port", ex);
        }
    }

}
