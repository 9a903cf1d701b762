package dev.gatehouse.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

class BuildTests {

    /**
     * Later than the directories the test creates, so that only the times it sets count.
     */
    private static final Instant BUILT = Instant.now().plusSeconds(86400);

    @TempDir
    Path root;

    private Path file(String path, Instant modified) throws IOException {
        Path file = this.root.resolve(path);
        Files.createDirectories(file.getParent());
        Files.writeString(file, path);
        Files.setLastModifiedTime(file, FileTime.from(modified));
        Files.setLastModifiedTime(file.getParent(), FileTime.from(modified));
        return file;
    }

    @Test
    void missingArtifactIsStale() {
        assertThat(Build.stale(this.root.resolve("api/target/api.jar"), List.of())).isTrue();
    }

    @Test
    void artifactIsStaleWhenASourceChangedAfterIt() throws IOException {
        Path jar = file("api/target/api.jar", BUILT);
        file("api/src/main/java/A.java", BUILT.minusSeconds(60));

        assertThat(Build.stale(jar, List.of(this.root.resolve("api/src")))).isFalse();

        file("api/src/main/java/B.java", BUILT.plusSeconds(1));
        assertThat(Build.stale(jar, List.of(this.root.resolve("api/src")))).isTrue();
    }

    @Test
    void nodeModulesAndMissingSourcesDoNotMakeItStale() throws IOException {
        Path index = file("spa/dist/spa/browser/index.html", BUILT);
        file("spa/src/main.ts", BUILT.minusSeconds(60));
        file("spa/src/node_modules/x/index.js", BUILT.plusSeconds(60));
        Files.setLastModifiedTime(this.root.resolve("spa/src"), FileTime.from(BUILT.minusSeconds(60)));

        assertThat(Build.stale(index, List.of(this.root.resolve("spa/src"), this.root.resolve("spa/absent.json"))))
            .isFalse();
    }

    @Test
    @DisabledOnOs(OS.WINDOWS)
    void aLinkedSourceCountsByItsContentNotByTheLink() throws IOException {
        Path jar = file("api/target/api.jar", BUILT);
        Path pom = file("elsewhere/pom.xml", BUILT.minusSeconds(60));
        Path link = Files.createSymbolicLink(this.root.resolve("api/pom.xml"), pom);

        assertThat(Build.stale(jar, List.of(link))).isFalse();
    }

    @Test
    void staleModulesAreThoseWhoseArtifactIsOlderThanTheirSources() throws IOException {
        file("auth-server/target/auth-server.jar", BUILT);
        file("auth-server/src/main/java/A.java", BUILT.minusSeconds(60));
        file("api/target/api.jar", BUILT);
        file("api/src/main/java/A.java", BUILT.plusSeconds(60));
        file("spa/tsconfig.app.json", BUILT.plusSeconds(60));
        Settings settings = Settings.fromEnvironment(this.root, Map.of("GATEHOUSE_JAVA", "java"), Os.LINUX);

        assertThat(Build.staleModules(settings, true)).containsExactly("api", "spa");
        assertThat(Build.staleModules(settings, false)).containsExactly("api");
    }

    @Test
    void progressShowsOneLinePerModuleAndStepAndTheResult() {
        Build.Progress progress = new Build.Progress();

        assertThat(progress.line("[INFO] Building Gatehouse API 0.1.0-SNAPSHOT                    [2/3]")).isEmpty();
        assertThat(progress.line("[INFO] --- compiler:3.14.1:compile (default-compile) @ api ---"))
            .contains("    [2/3] api          compiler:compile");
        assertThat(progress.line("[INFO] Compiling 42 source files with javac")).isEmpty();
        assertThat(progress.line("added 612 packages in 41s"))
            .contains("                        added 612 packages in 41s");
        assertThat(progress.line("[ERROR] COMPILATION ERROR :")).contains("    [ERROR] COMPILATION ERROR :");
        assertThat(progress.line("[INFO] BUILD SUCCESS")).isEqualTo(Optional.of("    BUILD SUCCESS"));
    }

    @Test
    void aSingleModuleBuildIsNumberedOneOfOne() {
        assertThat(new Build.Progress().line("[INFO] --- jar:3.4.2:jar (default-jar) @ api ---"))
            .contains("    [1/1] api          jar:jar");
    }

    @Test
    void mavenIsTheWrapperScriptAndOnWindowsRunThroughCmd() throws IOException {
        Path mvnw = file("mvnw", BUILT);
        mvnw.toFile().setExecutable(true);

        assertThat(Build.mavenWrapper(this.root, Os.LINUX)).containsExactly(mvnw.toString());
        assertThat(Build.mavenWrapper(this.root, Os.WINDOWS)).containsExactly("cmd.exe", "/c",
                this.root.resolve("mvnw.cmd").toString());
    }

}
