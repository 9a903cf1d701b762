package dev.gatehouse.authserver.protocol;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small TCP load balancer for the multi-instance tests: each new connection goes to the
 * next backend in turn (round robin, no stickiness), and the backend that served it is
 * recorded. A client that opens one connection per request thus alternates instances.
 */
final class RoundRobinProxy implements AutoCloseable {

    private final ServerSocket server;

    private volatile List<Integer> backends = List.of();

    private final AtomicInteger next = new AtomicInteger();

    private final List<Integer> servedBy = Collections.synchronizedList(new ArrayList<>());

    RoundRobinProxy() throws IOException {
        this.server = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::accept, "round-robin-proxy");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return this.server.getLocalPort();
    }

    void backends(Integer... ports) {
        this.backends = List.of(ports);
    }

    /** The backend port of every connection so far, in order. */
    List<Integer> servedBy() {
        synchronized (this.servedBy) {
            return List.copyOf(this.servedBy);
        }
    }

    private void accept() {
        while (!this.server.isClosed()) {
            try {
                Socket client = this.server.accept();
                List<Integer> ports = this.backends;
                int backend = ports.get(Math.floorMod(this.next.getAndIncrement(), ports.size()));
                this.servedBy.add(backend);
                Thread connection = new Thread(() -> relay(client, backend), "proxy-" + backend);
                connection.setDaemon(true);
                connection.start();
            }
            catch (IOException ex) {
                // closed
            }
        }
    }

    private static void relay(Socket client, int backend) {
        try (client; Socket upstream = new Socket(InetAddress.getLoopbackAddress(), backend)) {
            Thread back = new Thread(() -> pump(upstream, client));
            back.setDaemon(true);
            back.start();
            pump(client, upstream);
            back.join(60_000);
        }
        catch (IOException ex) {
            // the backend is down: the client sees its connection closed
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    private static void pump(Socket from, Socket to) {
        try {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            in.transferTo(out);
            to.shutdownOutput();
        }
        catch (IOException ex) {
            // either side went away
        }
    }

    @Override
    public void close() throws IOException {
        this.server.close();
    }

}
