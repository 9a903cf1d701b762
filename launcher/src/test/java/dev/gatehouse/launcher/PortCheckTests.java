package dev.gatehouse.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;

import org.junit.jupiter.api.Test;

class PortCheckTests {

    @Test
    void aPortWithAListenerIsInUseAndFreeAgainOnceItCloses() throws IOException {
        int port;
        try (ServerSocket busy = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            port = busy.getLocalPort();
            assertThat(PortCheck.inUse(port)).isTrue();
            assertThat(PortCheck.answers(port)).isTrue();
        }
        assertThat(PortCheck.inUse(port)).isFalse();
    }

    @Test
    void aBusyPortFailsWithThePartAndTheAdvice() throws IOException {
        try (ServerSocket busy = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            int port = busy.getLocalPort();

            assertThatThrownBy(() -> PortCheck.requireFree(port, "API", "  Stop it."))
                .isInstanceOf(LaunchException.class)
                .hasMessageStartingWith("port " + port + " is already in use, so the API cannot start.")
                .hasMessageEndingWith("  Stop it.");
        }
    }

    @Test
    void theHolderIsReadFromEachOsTool() {
        assertThat(PortCheck.ssUsers("LISTEN 0 50 127.0.0.1:9000 0.0.0.0:* users:((\"java\",pid=42,fd=7))"))
            .contains("\"java\",pid=42,fd=7");
        assertThat(PortCheck.lsofProcess("p42\ncnode\nf7\n")).contains("node (pid 42)");
        assertThat(PortCheck.netstatProcess("""
                Active Connections

                  Proto  Local Address          Foreign Address        State           PID
                  TCP    0.0.0.0:135            0.0.0.0:0              LISTENING       1000
                  TCP    0.0.0.0:9000           0.0.0.0:0              LISTENING       %d
                """.formatted(ProcessHandle.current().pid()), 9000))
            .hasValueSatisfying((holder) -> assertThat(holder).endsWith("(pid " + ProcessHandle.current().pid() + ")"));
        assertThat(PortCheck.ssUsers("")).isEmpty();
    }

}
