package dev.gatehouse.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** The commands, run in this JVM up to the point where they would start anything. */
class GatehouseTests {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(Os os, String self, Map<String, String> env, String... args) {
        Gatehouse gatehouse = new Gatehouse(Path.of("repo").toAbsolutePath(), env, os, self,
                new PrintStream(this.out, true, StandardCharsets.UTF_8),
                new PrintStream(this.err, true, StandardCharsets.UTF_8));
        return gatehouse.run(args);
    }

    private String out() {
        return this.out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return this.err.toString(StandardCharsets.UTF_8);
    }

    private static String freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return String.valueOf(socket.getLocalPort());
        }
    }

    @Test
    void helpNamesEveryCommandAndSetting() {
        assertThat(run(Os.LINUX, "./gatehouse", Map.of(), "help")).isZero();

        assertThat(out()).startsWith("Usage: ./gatehouse <command>")
            .contains("  start ", "  dev ", "  test ", "  bench ", "  help ")
            .contains("AUTH_SERVER_PORT", "API_PORT", "SPA_PORT", "GATEHOUSE_JAVA", "API_JAVA_OPTS")
            .contains("default: -Xmx128m -XX:+UseSerialGC");
    }

    @Test
    void noCommandIsHelp() {
        assertThat(run(Os.LINUX, "./gatehouse", Map.of())).isZero();
        assertThat(out()).startsWith("Usage:");
    }

    @Test
    void anUnknownCommandShowsTheUsageAndExits2() {
        assertThat(run(Os.LINUX, "./gatehouse", Map.of(), "lunch")).isEqualTo(2);
        assertThat(err()).startsWith("Usage: ./gatehouse <command>");
    }

    @Test
    void onWindowsTheUsageAndTheAdviceNameTheCommandAsTypedThere() throws IOException {
        try (ServerSocket busy = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Map<String, String> env = new HashMap<>(Map.of("AUTH_SERVER_PORT", freePort(), "API_PORT",
                    String.valueOf(busy.getLocalPort()), "SPA_PORT", freePort(), "GATEHOUSE_JAVA", "java"));

            assertThat(run(Os.WINDOWS, "gatehouse", env, "start")).isEqualTo(1);

            assertThat(err()).contains("set \"API_PORT=<port>\" && gatehouse start");
        }
    }

    @Test
    void aBusyPortStopsDevBeforeAnythingIsBuilt() throws IOException {
        try (ServerSocket busy = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Map<String, String> env = Map.of("AUTH_SERVER_PORT", String.valueOf(busy.getLocalPort()), "API_PORT",
                    freePort(), "SPA_PORT", freePort(), "GATEHOUSE_JAVA", "java");

            assertThat(run(Os.LINUX, "./gatehouse", env, "dev")).isEqualTo(1);

            assertThat(err()).startsWith("gatehouse: port " + busy.getLocalPort() + " is already in use")
                .contains("AUTH_SERVER_PORT=<port> ./gatehouse dev");
            assertThat(out()).doesNotContain("Building");
        }
    }

    @Test
    void badSettingsAreReportedWithoutAStackTrace() {
        assertThat(run(Os.LINUX, "./gatehouse", Map.of("SPA_PORT", "http"), "start")).isEqualTo(1);
        assertThat(err()).isEqualTo(
                "gatehouse: SPA_PORT must be a port number from 1 to 65535, not 'http'." + System.lineSeparator());
    }

    @Test
    void jvmPrintsTheJavaAndFlagsOfAServerOneALine() {
        assertThat(run(Os.LINUX, "./gatehouse", Map.of("GATEHOUSE_JAVA", "/jdk/bin/java"), "jvm", "api")).isZero();
        String n = System.lineSeparator();
        assertThat(out()).isEqualTo("/jdk/bin/java" + n + "-Xmx128m" + n + "-XX:+UseSerialGC" + n
                + "-XX:+IgnoreUnrecognizedVMOptions" + n + "-XX:TrimNativeHeapInterval=5000" + n);

        assertThat(run(Os.LINUX, "./gatehouse", Map.of(), "jvm", "spa")).isEqualTo(2);
        assertThat(err()).contains("jvm takes one server: api or auth-server.");
    }

    @Test
    void benchSaysItIsForLinux() {
        assertThat(run(Os.MAC, "./gatehouse", Map.of(), "bench")).isEqualTo(1);
        assertThat(err()).contains("the benchmarks run on Linux only");
    }

}
