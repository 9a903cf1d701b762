package dev.gatehouse.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every Java block of the kit's README is code a test compiles and runs: its lines, in
 * order and without their indentation, are lines of a test source (mostly
 * {@code readme/}).
 */
class ReadmeSnippetsTests {

    @Test
    void everyJavaBlockOfTheReadmeIsInATestSource() throws IOException {
        List<List<String>> blocks = javaBlocks(Files.readString(Path.of("README.md")));
        List<List<String>> sources = new ArrayList<>();
        try (Stream<Path> files = Files.walk(Path.of("src/test/java"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                sources.add(lines(Files.readString(file)));
            }
        }

        assertThat(blocks).hasSizeGreaterThanOrEqualTo(9);
        for (List<String> block : blocks) {
            assertThat(sources.stream().anyMatch(source -> contains(source, block)))
                .as("README block found in a test source:%n%s", String.join("\n", block))
                .isTrue();
        }
    }

    static List<List<String>> javaBlocks(String markdown) {
        List<List<String>> blocks = new ArrayList<>();
        List<String> current = null;
        for (String line : markdown.split("\n")) {
            if (current == null && line.trim().equals("```java")) {
                current = new ArrayList<>();
            }
            else if (current != null && line.trim().equals("```")) {
                blocks.add(lines(String.join("\n", current)));
                current = null;
            }
            else if (current != null) {
                current.add(line);
            }
        }
        return blocks;
    }

    private static List<String> lines(String text) {
        return text.lines().map(String::trim).filter(line -> !line.isEmpty()).toList();
    }

    private static boolean contains(List<String> source, List<String> block) {
        for (int start = 0; start + block.size() <= source.size(); start++) {
            if (source.subList(start, start + block.size()).equals(block)) {
                return true;
            }
        }
        return false;
    }

}
