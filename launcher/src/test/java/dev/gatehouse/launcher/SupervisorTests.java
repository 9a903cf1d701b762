package dev.gatehouse.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/** Real child processes (sh, sleep): Unix only. */
@DisabledOnOs(OS.WINDOWS)
class SupervisorTests {

    @TempDir
    Path dir;

    private final ByteArrayOutputStream output = new ByteArrayOutputStream();

    private final Supervisor supervisor = new Supervisor(new PrintStream(this.output, true, StandardCharsets.UTF_8));

    @AfterEach
    void stop() {
        this.supervisor.stopAll();
    }

    private ServerProcess server(String name, String script) throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        return new ServerProcess(name, port, List.of("sh", "-c", script), this.dir, Map.of(),
                URI.create("http://localhost:" + port + "/"), this.dir.resolve(name + ".log"), name + ".log");
    }

    private String output() {
        return this.output.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aServerThatEndsByItselfIsReportedWithItsLog() throws IOException {
        this.supervisor.launch(server("first", "sleep 600"));
        this.supervisor.launch(server("second", "echo 'out of memory'; exit 1"));

        assertThatThrownBy(this.supervisor::superviseUntilOneEnds).isInstanceOf(LaunchException.class)
            .hasMessageStartingWith("second stopped unexpectedly (log: second.log); stopping the others.")
            .hasMessageEndingWith("out of memory");
    }

    @Test
    void stopAllStopsTheServersInReverseOrderOnce() throws IOException {
        ServerProcess first = this.supervisor.launch(server("first", "sleep 600"));
        ServerProcess second = this.supervisor.launch(server("second", "sleep 600"));

        this.supervisor.stopAll();
        this.supervisor.stopAll();

        assertThat(first.isAlive()).isFalse();
        assertThat(second.isAlive()).isFalse();
        String n = System.lineSeparator();
        assertThat(output())
            .isEqualTo(n + "==> Stopping Gatehouse" + n + "    second stopped" + n + "    first stopped" + n);
    }

    @Test
    void superviseReturnsOnceAStopBegan() throws Exception {
        this.supervisor.launch(server("only", "sleep 600"));
        Thread stopper = new Thread(() -> {
            ServerProcess.pause(500);
            this.supervisor.stopAll();
        });
        stopper.start();

        this.supervisor.superviseUntilOneEnds();

        stopper.join();
        assertThat(output()).contains("only stopped");
    }

    @Test
    void foregroundProgramsAreStoppedWithTheServers() throws Exception {
        Process build = new ProcessBuilder("sh", "-c", "sleep 600 & wait").start();
        this.supervisor.track(build);
        ProcessHandle child = awaitChild(build);

        this.supervisor.stopAll();

        assertThat(build.isAlive()).isFalse();
        assertThat(child.isAlive()).isFalse();
        assertThat(output()).isEmpty();
    }

    private static ProcessHandle awaitChild(Process process) throws InterruptedException {
        for (int i = 0; i < 100; i++) {
            List<ProcessHandle> children = process.children().toList();
            if (!children.isEmpty()) {
                return children.get(0);
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no child started");
    }

}
