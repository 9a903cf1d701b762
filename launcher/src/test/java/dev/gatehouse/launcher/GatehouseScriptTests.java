package dev.gatehouse.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The entry script {@code ./gatehouse} as a user runs it, under {@code dash} (Debian's
 * {@code /bin/sh}, the strictest POSIX shell at hand) and under {@code bash}: it must
 * need nothing of either. On Linux both must be installed; elsewhere a missing one is
 * skipped. The ports are random free ones, so the tests neither need nor disturb a
 * running system.
 */
@DisabledOnOs(OS.WINDOWS)
class GatehouseScriptTests {

    private static final Path ROOT = Paths.get(System.getProperty("gatehouse.root", "..")).toAbsolutePath().normalize();

    @TempDir
    Path dir;

    static Stream<String> shells() {
        return Stream.of("dash", "bash");
    }

    static Stream<Arguments> busyPorts() {
        return shells().flatMap((shell) -> Stream.of(
                Arguments.of(shell, "AUTH_SERVER_PORT", "authorization server", "server.port / SERVER_PORT"),
                Arguments.of(shell, "API_PORT", "API", "server.port / SERVER_PORT"),
                Arguments.of(shell, "SPA_PORT", "SPA", "SPA_PORT")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("shells")
    void helpNamesTheCommandsAndTheSettings(String shell) throws Exception {
        Result result = run(shell, Map.of(), "help");

        assertThat(result.exitCode()).isZero();
        assertThat(result.output()).contains("Usage: ./gatehouse <command>", "start", "dev", "test", "bench",
                "AUTH_SERVER_PORT", "API_PORT", "SPA_PORT", "GATEHOUSE_JAVA", "API_JAVA_OPTS", "AUTH_SERVER_JAVA_OPTS");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("shells")
    void unknownCommandFailsWithUsage(String shell) throws Exception {
        Result result = run(shell, Map.of(), "lunch");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.output()).contains("Usage: ./gatehouse");
    }

    @ParameterizedTest(name = "{0}: {1} busy")
    @MethodSource("busyPorts")
    void startWithABusyPortNamesThePortAndTheSettingThatMovesIt(String shell, String variable, String what,
            String setting) throws Exception {
        try (ServerSocket busy = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Map<String, String> ports = new HashMap<>(
                    Map.of("AUTH_SERVER_PORT", freePort(), "API_PORT", freePort(), "SPA_PORT", freePort()));
            ports.put(variable, String.valueOf(busy.getLocalPort()));

            Result result = run(shell, ports, "start");

            assertThat(result.exitCode()).isEqualTo(1);
            assertThat(result.output()).contains("port " + busy.getLocalPort() + " is already in use")
                .contains("the " + what + " cannot start")
                .contains(variable + "=<port> ./gatehouse start")
                .contains(setting)
                .doesNotContain("Building");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("shells")
    void withoutJavaTheScriptSaysToInstallAJdk(String shell) throws Exception {
        // A PATH with the few tools the script uses, and no java.
        Path bin = Files.createDirectories(this.dir.resolve("bin"));
        for (String tool : List.of("dirname", "sed", "head")) {
            Path wrapper = bin.resolve(tool);
            Files.writeString(wrapper,
                    "#!/bin/sh\nexec " + Tools.find(tool, System.getenv(), Os.current()).orElseThrow() + " \"$@\"\n");
            wrapper.toFile().setExecutable(true);
        }

        Result result = run(shell, Map.of("PATH", bin.toString(), "JAVA_HOME", ""), "start");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.output()).contains("gatehouse: a JDK 17 or newer is needed: no java on the PATH");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("shells")
    void anOldJavaIsNamedWithItsVersion(String shell) throws Exception {
        Path java = Files.createDirectories(this.dir.resolve("jdk8").resolve("bin")).resolve("java");
        Files.writeString(java, "#!/bin/sh\necho 'java version \"1.8.0_292\"' >&2\n");
        java.toFile().setExecutable(true);

        Result result = run(shell, Map.of("JAVA_HOME", this.dir.resolve("jdk8").toString()), "start");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.output()).contains("a JDK 17 or newer is needed; " + java + " is Java 8.");
    }

    @Test
    void windowsBatchFilesHaveCrlfLineEndings() throws IOException {
        assertThat(Files.readAllLines(ROOT.resolve(".gitattributes"))).contains("*.cmd text eol=crlf");
        for (String name : List.of("gatehouse.cmd", "mvnw.cmd")) {
            String text = Files.readString(ROOT.resolve(name), StandardCharsets.UTF_8);
            assertThat(text.split("\n", -1)).as(name)
                .hasSizeGreaterThan(10)
                .allSatisfy((line) -> assertThat(line.isEmpty() || line.endsWith("\r")).as(name).isTrue());
            assertThat(text).as(name).endsWith("\r\n");
        }
    }

    private Result run(String shell, Map<String, String> environment, String... arguments)
            throws IOException, InterruptedException {
        boolean installed = Tools.find(shell, System.getenv(), Os.current()).isPresent();
        assumeTrue(installed || Os.current() == Os.LINUX, shell + " is not installed");
        List<String> command = new ArrayList<>(List.of(shell, "./gatehouse"));
        command.addAll(List.of(arguments));
        ProcessBuilder builder = new ProcessBuilder(command).directory(ROOT.toFile()).redirectErrorStream(true);
        builder.environment().putAll(environment);
        builder.environment().values().removeIf(String::isEmpty);
        Process process = builder.start();
        process.getOutputStream().close();
        // A script that got past its checks would start building: give up long before
        // that could finish.
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            throw new AssertionError(shell + " ./gatehouse " + String.join(" ", arguments) + " did not end within 60s");
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
