package dev.gatehouse.authserver.protocol;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;

/**
 * A TCP relay to one backend that can lose its connections without a word, as when the
 * database host crashes or a firewall forgets the connections: {@link #cutSilently()}
 * closes the backend's side of every open connection (so the database ends those sessions
 * and frees their locks) and leaves the client's side open but silent, never closing it
 * and never answering. Connections opened afterwards are relayed as before.
 */
final class SilentCutProxy implements AutoCloseable {

    private final ServerSocket server;

    private final int backend;

    private final List<Relay> open = new ArrayList<>();

    SilentCutProxy(int backend) throws IOException {
        this.backend = backend;
        this.server = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::accept, "silent-cut-proxy");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return this.server.getLocalPort();
    }

    /** Cuts every open connection silently; returns how many there were. */
    int cutSilently() {
        List<Relay> cut;
        synchronized (this.open) {
            cut = List.copyOf(this.open);
            this.open.clear();
        }
        cut.forEach(Relay::cut);
        return cut.size();
    }

    private void accept() {
        while (!this.server.isClosed()) {
            try {
                Socket client = this.server.accept();
                Socket upstream = new Socket(InetAddress.getLoopbackAddress(), this.backend);
                Relay relay = new Relay(client, upstream);
                synchronized (this.open) {
                    this.open.add(relay);
                }
                relay.start();
            }
            catch (IOException ex) {
                // closed, or the backend is down: the client's connection stays
                // unanswered
            }
        }
    }

    @Override
    public void close() throws IOException {
        this.server.close();
    }

    private static final class Relay {

        private final Socket client;

        private final Socket upstream;

        private volatile boolean cut;

        Relay(Socket client, Socket upstream) {
            this.client = client;
            this.upstream = upstream;
        }

        void start() {
            daemon(() -> pump(this.client, this.upstream));
            daemon(() -> pump(this.upstream, this.client));
        }

        void cut() {
            this.cut = true;
            try {
                this.upstream.close();
            }
            catch (IOException ex) {
                // already gone
            }
        }

        private void pump(Socket from, Socket to) {
            byte[] buffer = new byte[8192];
            try {
                InputStream in = from.getInputStream();
                OutputStream out = to.getOutputStream();
                for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
                    if (this.cut) {
                        continue; // the client's bytes go nowhere, and nothing comes back
                    }
                    out.write(buffer, 0, read);
                    out.flush();
                }
            }
            catch (IOException ex) {
                // either side went away, or the upstream side was cut
            }
            if (!this.cut) {
                close(this.client);
                close(this.upstream);
            }
        }

        private static void close(Socket socket) {
            try {
                socket.close();
            }
            catch (IOException ex) {
                // already closed
            }
        }

        private static void daemon(Runnable task) {
            Thread thread = new Thread(task, "silent-cut-relay");
            thread.setDaemon(true);
            thread.start();
        }

    }

}
