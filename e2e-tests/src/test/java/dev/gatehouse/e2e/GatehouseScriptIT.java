package dev.gatehouse.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/**
 * The root script, run as a user runs it. {@code ./gatehouse start} checks its ports
 * before anything else, so a busy port costs seconds, not a build, and the message says
 * which port and which setting moves it. The ports here are random free ones, so the test
 * neither needs nor disturbs a running system.
 */
class GatehouseScriptIT {

    private static final Path ROOT = Path.of(System.getProperty("gatehouse.root", "..")).toAbsolutePath().normalize();

    @ParameterizedTest(name = "{0} busy")
    @CsvSource({ "AUTH_SERVER_PORT, authorization server, server.port / SERVER_PORT",
            "API_PORT, API, server.port / SERVER_PORT", "SPA_PORT, SPA, SPA_PORT" })
    void startWithABusyPortNamesThePortAndTheSettingThatChangesIt(String variable, String what, String setting)
            throws Exception {
        try (ServerSocket busy = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Map<String, String> ports = new java.util.HashMap<>(
                    Map.of("AUTH_SERVER_PORT", freePort(), "API_PORT", freePort(), "SPA_PORT", freePort()));
            ports.put(variable, String.valueOf(busy.getLocalPort()));

            Result result = run(ports, "start");

            assertThat(result.exitCode()).isEqualTo(1);
            assertThat(result.output()).contains("port " + busy.getLocalPort() + " is already in use")
                .contains("the " + what + " cannot start")
                .contains(variable + "=<port> ./gatehouse start")
                .contains(setting)
                .doesNotContain("Building");
        }
    }

    @Test
    void helpNamesTheCommandsAndThePortSettings() throws Exception {
        Result result = run(Map.of(), "help");

        assertThat(result.exitCode()).isZero();
        assertThat(result.output()).contains("start", "dev", "test", "AUTH_SERVER_PORT", "API_PORT", "SPA_PORT");
    }

    @Test
    void unknownCommandFailsWithUsage() throws Exception {
        Result result = run(Map.of(), "lunch");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.output()).contains("Usage: ./gatehouse");
    }

    private static Result run(Map<String, String> environment, String... arguments)
            throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>(List.of("bash", ROOT.resolve("gatehouse").toString()));
        command.addAll(List.of(arguments));
        ProcessBuilder builder = new ProcessBuilder(command).directory(ROOT.toFile()).redirectErrorStream(true);
        builder.environment().putAll(environment);
        Process process = builder.start();
        process.getOutputStream().close();
        // A script that got past its checks would start building: give up long before
        // that could finish.
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            throw new AssertionError("./gatehouse " + String.join(" ", arguments) + " did not end within 60s");
        }
        return new Result(process.exitValue(),
                new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    private static String freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return String.valueOf(socket.getLocalPort());
        }
    }

    private record Result(int exitCode, String output) {
    }

}
