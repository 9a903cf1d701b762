package dev.gatehouse.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JavaRuntimesTests {

    @TempDir
    Path jvms;

    private Path jdk(String name, String version) throws IOException {
        Path home = this.jvms.resolve(name);
        Path java = home.resolve("bin").resolve("java");
        Files.createDirectories(java.getParent());
        Files.writeString(java, "");
        java.toFile().setExecutable(true);
        Files.writeString(home.resolve("release"), "IMPLEMENTOR=\"x\"\nJAVA_VERSION=\"" + version + "\"\n");
        return home;
    }

    @Test
    void theNewestJava21OrLaterIsPickedAndTheFirstOfEqualsWins() throws IOException {
        Path java17 = jdk("a-17", "17.0.15");
        Path java21 = jdk("b-21", "21.0.4");
        Path java25 = jdk("c-25", "25");
        Path other25 = jdk("d-25", "25.0.1");

        assertThat(JavaRuntimes.newest(List.of(java17, java21, java25, other25), Os.LINUX))
            .contains(java25.resolve("bin").resolve("java"));
    }

    @Test
    void nothingBelow21IsPicked() throws IOException {
        assertThat(JavaRuntimes.newest(List.of(jdk("a", "17.0.1"), jdk("b", "1.8.0_292")), Os.LINUX)).isEmpty();
    }

    @Test
    void gatehouseJavaWinsOverEverything() {
        assertThat(JavaRuntimes.pick(Map.of("GATEHOUSE_JAVA", " /opt/jdk/bin/java "), Os.LINUX))
            .isEqualTo("/opt/jdk/bin/java");
    }

    @Test
    void withoutAnyJava21TheJavaRunningTheLauncherIsUsed() {
        assertThat(JavaRuntimes.pick(Map.of("JAVA_HOME", this.jvms.resolve("none").toString()), Os.OTHER))
            .isEqualTo(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    @Test
    void javaHomeComesFirstAmongTheCandidates() {
        assertThat(JavaRuntimes.candidateHomes(Map.of("JAVA_HOME", "/my/jdk"), Os.LINUX)).first()
            .isEqualTo(Path.of("/my/jdk"));
    }

    @Test
    void releaseFilesOfOldAndNewJdksAreRead() throws IOException {
        assertThat(JavaRuntimes.releaseVersion(jdk("old", "1.8.0_292"))).contains(8);
        assertThat(JavaRuntimes.releaseVersion(jdk("new", "25"))).contains(25);
        assertThat(JavaRuntimes.releaseVersion(this.jvms.resolve("none"))).isEmpty();
    }

    @Test
    void aGatehouseJavaThatIsNotThereIsReportedWithWhatToDo() {
        assertThatThrownBy(
                () -> JavaRuntimes.require(this.jvms.resolve("nope/bin/java").toString(), Map.of(), Os.LINUX))
            .isInstanceOf(LaunchException.class)
            .hasMessageContaining("GATEHOUSE_JAVA names")
            .hasMessageContaining("not an executable file");
        assertThatThrownBy(() -> JavaRuntimes.require("no-such-java", Map.of("PATH", ""), Os.LINUX))
            .hasMessageContaining("not on the PATH");
    }

    @Test
    void theRunningJavaPassesTheCheck() {
        JavaRuntimes.require(Path.of(System.getProperty("java.home"), "bin", "java").toString(), Map.of(),
                Os.current());
    }

    @Test
    void versionOutputsOfEveryVendorAreUnderstood() {
        assertThat(Tools.javaFeatureVersion("openjdk version \"17.0.15\" 2025-04-15")).contains(17);
        assertThat(Tools.javaFeatureVersion("java version \"1.8.0_292\"")).contains(8);
        assertThat(Tools.javaFeatureVersion("openjdk version \"25\" 2025-09-16")).contains(25);
        assertThat(Tools.javaFeatureVersion("Picked up JAVA_TOOL_OPTIONS: -Dx=1\nopenjdk version \"21.0.2\""))
            .contains(21);
        assertThat(Tools.javaFeatureVersion("no java here")).isEqualTo(Optional.empty());
    }

}
