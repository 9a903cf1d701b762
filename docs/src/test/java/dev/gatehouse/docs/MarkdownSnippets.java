package dev.gatehouse.docs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The fenced code blocks of a Markdown file with the attributes of their info string:
 * <code>```bash id=start</code> is a block in {@code bash} with the attribute
 * {@code id=start}. The documentation's tests read the blocks through this, so a page
 * says in its own source how each block is checked: {@code from=<path>} for an excerpt of
 * a repository file, {@code id=<name>} for a snippet a test runs.
 * <p>
 * Written by hand because it needs only CommonMark's fence rules (an opening run of three
 * or more backticks or tildes, possibly indented inside a list item, closed by a run at
 * least as long), not a Markdown library.
 */
final class MarkdownSnippets {

    private static final Pattern FENCE = Pattern.compile("^( {0,3}|\\s*)(`{3,}|~{3,})\\s*([^`]*)$");

    private final Path file;

    private final List<Block> blocks;

    private MarkdownSnippets(Path file, List<Block> blocks) {
        this.file = file;
        this.blocks = blocks;
    }

    /** The repository root, as the build passes it ({@code gatehouse.root}). */
    static Path repositoryRoot() {
        return Paths.get(System.getProperty("gatehouse.root", "..")).toAbsolutePath().normalize();
    }

    static MarkdownSnippets of(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        List<Block> blocks = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            Matcher open = FENCE.matcher(lines.get(i));
            if (!open.matches()) {
                continue;
            }
            int indent = open.group(1).length();
            String fence = open.group(2);
            String[] info = open.group(3).trim().split("\\s+");
            Map<String, String> attributes = new LinkedHashMap<>();
            for (int k = 1; k < info.length; k++) {
                int equals = info[k].indexOf('=');
                if (equals > 0) {
                    attributes.put(info[k].substring(0, equals), info[k].substring(equals + 1));
                }
            }
            StringBuilder text = new StringBuilder();
            int j = i + 1;
            for (; j < lines.size(); j++) {
                String line = lines.get(j);
                String trimmed = line.strip();
                if (trimmed.startsWith(fence) && trimmed.chars().allMatch((c) -> c == fence.charAt(0))) {
                    break;
                }
                text.append(line, Math.min(indent, leadingSpaces(line)), line.length()).append('\n');
            }
            if (j == lines.size()) {
                throw new IllegalStateException(file + ":" + (i + 1) + ": code block is never closed");
            }
            blocks.add(new Block(info[0], attributes, text.toString(), i + 1));
            i = j;
        }
        return new MarkdownSnippets(file, List.copyOf(blocks));
    }

    Path file() {
        return this.file;
    }

    List<Block> blocks() {
        return this.blocks;
    }

    /** The block with {@code id=<id>}. */
    Block snippet(String id) {
        return this.blocks.stream()
            .filter((block) -> id.equals(block.id()))
            .findFirst()
            .orElseThrow(() -> new AssertionError(this.file + " has no code block with id=" + id));
    }

    private static int leadingSpaces(String line) {
        int n = 0;
        while (n < line.length() && line.charAt(n) == ' ') {
            n++;
        }
        return n;
    }

    /**
     * One fenced block.
     *
     * @param language the first word of the info string ({@code bash}, {@code yaml},
     * ...), empty when none
     * @param attributes the {@code key=value} words after it
     * @param text the content, with the fence's own indentation removed
     * @param line the 1-based line of the opening fence
     */
    record Block(String language, Map<String, String> attributes, String text, int line) {

        String id() {
            return this.attributes.get("id");
        }

        String from() {
            return this.attributes.get("from");
        }

    }

}
