package dev.gatehouse.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BootstrapTests {

    @TempDir
    Path dir;

    private Path source(String name, String body) throws IOException {
        Path file = this.dir.resolve("src").resolve("p").resolve(name + ".java");
        Files.createDirectories(file.getParent());
        Files.writeString(file, "package p;\nclass " + name + " {\n" + body + "\n}\n");
        return file;
    }

    @Test
    void sourcesAreCompiledOnceAndAgainAfterAChange() throws IOException {
        Path source = source("A", "");
        Path work = this.dir.resolve("work");

        Path classes = Bootstrap.compiled(this.dir.resolve("src"), work);
        Path compiled = classes.resolve("p").resolve("A.class");
        assertThat(compiled).isRegularFile();
        FileTime first = Files.getLastModifiedTime(compiled);

        assertThat(Bootstrap.compiled(this.dir.resolve("src"), work)).isEqualTo(classes);
        assertThat(Files.getLastModifiedTime(compiled)).isEqualTo(first);

        Files.writeString(source, "package p;\nclass A {\nint changed;\n}\n");
        source("B", "");
        Bootstrap.compiled(this.dir.resolve("src"), work);
        assertThat(classes.resolve("p").resolve("B.class")).isRegularFile();
        assertThat(work).isDirectoryNotContaining("glob:**/classes-*");
    }

    @Test
    void sourcesThatDoNotCompileFailAndLeaveTheLastClassesInPlace() throws IOException {
        source("A", "");
        Path work = this.dir.resolve("work");
        Path classes = Bootstrap.compiled(this.dir.resolve("src"), work);

        source("B", "this is not java");

        assertThatThrownBy(() -> Bootstrap.compiled(this.dir.resolve("src"), work)).isInstanceOf(IOException.class)
            .hasMessageContaining("do not compile");
        assertThat(classes.resolve("p").resolve("A.class")).isRegularFile();
    }

    @Test
    void missingSourcesAreNamed() {
        assertThatThrownBy(() -> Bootstrap.compiled(this.dir.resolve("absent"), this.dir.resolve("work")))
            .hasMessageContaining("The launcher's sources are missing");
    }

}
