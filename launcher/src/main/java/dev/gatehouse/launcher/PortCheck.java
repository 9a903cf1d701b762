package dev.gatehouse.launcher;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds out before anything is built whether a port the system needs is taken, and by
 * whom where the OS can tell (Linux {@code ss}, macOS {@code lsof}, Windows
 * {@code netstat}; each only when present).
 */
public final class PortCheck {

    private static final Pattern SS_USERS = Pattern.compile("users:\\(\\((.*)\\)\\)");

    private PortCheck() {
    }

    /**
     * True when something listens on the port: a server answers on one of localhost's
     * addresses, or the port cannot be bound (a listener on another address).
     */
    static boolean inUse(int port) {
        return answers(port) || !bindable(port);
    }

    /**
     * True when a server accepts connections on the port on one of localhost's addresses.
     */
    public static boolean answers(int port) {
        for (InetAddress address : localhost()) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(address, port), 500);
                return true;
            }
            catch (IOException ex) {
                // Nothing there on this address.
            }
        }
        return false;
    }

    private static boolean bindable(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            // As the servers bind: on Unix with SO_REUSEADDR (Tomcat and Node set it), so
            // a just-closed connection in TIME_WAIT does not count as busy.
            socket.bind(new InetSocketAddress(port));
            return true;
        }
        catch (IOException ex) {
            return false;
        }
    }

    private static List<InetAddress> localhost() {
        try {
            return List.of(InetAddress.getAllByName("localhost"));
        }
        catch (UnknownHostException ex) {
            return List.of(InetAddress.getLoopbackAddress());
        }
    }

    /**
     * Fails with a message naming the port, the part that needs it and what to do.
     * @param what the part, e.g. {@code "API"}
     * @param advice what to do, the lines after the first
     */
    public static void requireFree(int port, String what, String advice) {
        if (!inUse(port)) {
            return;
        }
        StringBuilder message = new StringBuilder(
                "port " + port + " is already in use, so the " + what + " cannot start.");
        holder(port, Os.current())
            .ifPresent((holder) -> message.append(System.lineSeparator()).append("  It is held by: ").append(holder));
        message.append(System.lineSeparator()).append(advice);
        throw new LaunchException(message.toString());
    }

    /** Who listens on the port, where the OS has a tool that says so. */
    static Optional<String> holder(int port, Os os) {
        Duration timeout = Duration.ofSeconds(5);
        return switch (os) {
            case LINUX ->
                Tools.output(List.of("ss", "-Hltnp", "( sport = :" + port + " )"), timeout).flatMap(PortCheck::ssUsers);
            case MAC -> Tools.output(List.of("lsof", "-nP", "-iTCP:" + port, "-sTCP:LISTEN", "-Fpc"), timeout)
                .flatMap(PortCheck::lsofProcess);
            case WINDOWS -> Tools.output(List.of("netstat", "-ano", "-p", "TCP"), timeout)
                .flatMap((netstat) -> netstatProcess(netstat, port));
            default -> Optional.empty();
        };
    }

    static Optional<String> ssUsers(String ss) {
        Matcher matcher = SS_USERS.matcher(ss);
        return matcher.find() ? Optional.of(matcher.group(1)) : Optional.empty();
    }

    static Optional<String> lsofProcess(String lsof) {
        String pid = null;
        for (String line : lsof.split("\\R")) {
            if (line.startsWith("p")) {
                pid = line.substring(1);
            }
            else if (line.startsWith("c") && pid != null) {
                return Optional.of(line.substring(1) + " (pid " + pid + ")");
            }
        }
        return Optional.empty();
    }

    static Optional<String> netstatProcess(String netstat, int port) {
        for (String line : netstat.split("\\R")) {
            String[] fields = line.trim().split("\\s+");
            if (fields.length == 5 && fields[1].endsWith(":" + port) && "LISTENING".equals(fields[3])
                    && fields[4].matches("\\d+")) {
                String pid = fields[4];
                String command = ProcessHandle.of(Long.parseLong(pid))
                    .flatMap((process) -> process.info().command())
                    .orElse("pid");
                return Optional.of(command + " (pid " + pid + ")");
            }
        }
        return Optional.empty();
    }

}
