package dev.gatehouse.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

class ToolsTests {

    @TempDir
    Path dir;

    private Path program(Path in, String name, String script) throws IOException {
        Files.createDirectories(in);
        Path program = in.resolve(name);
        Files.writeString(program, "#!/bin/sh\n" + script + "\n");
        program.toFile().setExecutable(true);
        return program;
    }

    @Test
    void programsAreFoundOnThePathInItsOrder() throws IOException {
        Path first = program(this.dir.resolve("a"), "node", "");
        program(this.dir.resolve("b"), "node", "");
        String path = this.dir.resolve("none") + File.pathSeparator + this.dir.resolve("a") + File.pathSeparator
                + this.dir.resolve("b");

        assertThat(Tools.find("node", Map.of("PATH", path), Os.LINUX)).contains(first);
        assertThat(Tools.find("npm", Map.of("PATH", path), Os.LINUX)).isEmpty();
    }

    @Test
    void onWindowsTheExeAndCmdNamesCount() throws IOException {
        Path npm = program(this.dir, "npm.cmd", "");

        assertThat(Tools.find("npm", Map.of("Path", this.dir.toString()), Os.WINDOWS)).contains(npm);
    }

    @Test
    void nodeFrom20Point19IsSupported() {
        assertThat(Tools.nodeVersionIsSupported("v20.19.0")).isTrue();
        assertThat(Tools.nodeVersionIsSupported("v22.1.0")).isTrue();
        assertThat(Tools.nodeVersionIsSupported("v20.18.3")).isFalse();
        assertThat(Tools.nodeVersionIsSupported("v18.20.0")).isFalse();
        assertThat(Tools.nodeVersionIsSupported("")).isFalse();
    }

    @Test
    void missingNodeIsReportedWithWhereToGetIt() {
        assertThatThrownBy(() -> Tools.requireNode(Map.of("PATH", this.dir.toString()), Os.LINUX))
            .isInstanceOf(LaunchException.class)
            .hasMessageContaining("Node.js 20.19 or newer is needed (node not found on PATH)")
            .hasMessageContaining("https://nodejs.org/");
    }

    @Test
    @DisabledOnOs(OS.WINDOWS)
    void anOldNodeIsReportedWithItsVersion() throws IOException {
        program(this.dir, "node", "echo v18.19.1");
        program(this.dir, "npm", "");

        assertThatThrownBy(() -> Tools.requireNode(Map.of("PATH", this.dir.toString()), Os.LINUX))
            .hasMessageContaining("Node.js 20.19 or newer is needed (found v18.19.1");
    }

    @Test
    @DisabledOnOs(OS.WINDOWS)
    void nodeWithoutNpmIsReported() throws IOException {
        program(this.dir, "node", "echo v20.19.2");

        assertThatThrownBy(() -> Tools.requireNode(Map.of("PATH", this.dir.toString()), Os.LINUX))
            .hasMessageContaining("npm is needed (npm not found on PATH)");
    }

}
