package dev.gatehouse.docs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The repository stands alone: every compatibility item it cites (ids such as
 * {@code auth0-compatibility S-4}, or links to {@code docs/auth0-compatibility.md#s-4})
 * is defined in {@code docs/auth0-compatibility.md}, and nothing refers to a document or
 * a path outside the repository. Scans every file git tracks or would track (so a new,
 * not yet committed file counts too), text files only.
 */
class CompatibilityReferencesTests {

    private static final Path ROOT = MarkdownSnippets.repositoryRoot();

    private static final String COMPATIBILITY = "docs/auth0-compatibility.md";

    /** An item id: a letter (or NG) for the area and a number. */
    private static final Pattern ITEM_ID = Pattern.compile("\\b(NG|[ACTXRVUSLMGNKWD])-(\\d+)\\b");

    /**
     * An item's definition in the compatibility page: its anchor, then its id in bold.
     */
    private static final Pattern DEFINITION = Pattern.compile("^- <a id=\"([a-z]+-\\d+)\"></a>\\*\\*([A-Z]+-\\d+) ");

    private static final Pattern ANCHOR_LINK = Pattern.compile("auth0-compatibility\\.md#([a-z]+-\\d+)");

    /**
     * A section sign is how an outside document's sections were cited; only RFC sections
     * may be cited that way.
     */
    private static final Pattern SECTION_SIGN = Pattern.compile("(?<!RFC \\d{3,5} )\u00a7");

    /**
     * Paths and names of documents outside the repository (built so this file does not
     * match itself).
     */
    private static final List<Pattern> OUTSIDE = List.of(Pattern.compile("(?<![\\w.~/-])/" + "work/"),
            Pattern.compile(Pattern.quote("../" + "shared")), Pattern.compile(Pattern.quote("auth0-sdk-" + "wire")),
            Pattern.compile("(?i)wire " + "contract"));

    @Test
    void everyItemIsDefinedOnceWithAnAnchorMatchingItsId() throws IOException {
        List<String> lines = Files.readAllLines(ROOT.resolve(COMPATIBILITY));
        Set<String> ids = new LinkedHashSet<>();
        for (String line : lines) {
            Matcher definition = DEFINITION.matcher(line);
            if (definition.find()) {
                assertThat(definition.group(1)).as(line).isEqualTo(definition.group(2).toLowerCase(Locale.ROOT));
                assertThat(ids.add(definition.group(2))).as("%s is defined twice", definition.group(2)).isTrue();
            }
        }
        assertThat(ids).as("items defined in " + COMPATIBILITY).hasSizeGreaterThan(50);
    }

    @Test
    void everyCitedItemIsDefinedAndEveryCitationNamesTheCompatibilityPage() {
        Set<String> defined = definedIds();
        List<String> problems = new ArrayList<>();
        for (Path file : repositoryTextFiles()) {
            String name = ROOT.relativize(file).toString().replace('\\', '/');
            List<String> lines = lines(file);
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i);
                String where = name + ":" + (i + 1);
                Matcher id = ITEM_ID.matcher(line);
                boolean cites = false;
                while (id.find()) {
                    cites = true;
                    if (!defined.contains(id.group())) {
                        problems.add(where + ": " + id.group() + " is not defined in " + COMPATIBILITY);
                    }
                }
                if (cites && !name.equals(COMPATIBILITY) && !namesThePage(lines, i)) {
                    problems.add(where + ": cites an item without naming auth0-compatibility: " + line.strip());
                }
                Matcher anchor = ANCHOR_LINK.matcher(line);
                while (anchor.find()) {
                    if (!defined.contains(anchor.group(1).toUpperCase(Locale.ROOT))) {
                        problems.add(where + ": #" + anchor.group(1) + " is not an item of " + COMPATIBILITY);
                    }
                }
                if (SECTION_SIGN.matcher(line).find()) {
                    problems.add(where + ": a section sign that is not an RFC section: " + line.strip());
                }
            }
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void nothingRefersToAPathOrDocumentOutsideTheRepository() {
        List<String> problems = new ArrayList<>();
        for (Path file : repositoryTextFiles()) {
            List<String> lines = lines(file);
            for (int i = 0; i < lines.size(); i++) {
                for (Pattern outside : OUTSIDE) {
                    if (outside.matcher(lines.get(i)).find()) {
                        problems.add(ROOT.relativize(file) + ":" + (i + 1) + ": " + lines.get(i).strip());
                    }
                }
            }
        }
        assertThat(problems).isEmpty();
    }

    /**
     * A citation names the page on its line or, when a formatter wrapped it, on one of
     * the two lines before.
     */
    private static boolean namesThePage(List<String> lines, int index) {
        for (int i = Math.max(0, index - 2); i <= index; i++) {
            if (lines.get(i).contains("auth0-compatibility")) {
                return true;
            }
        }
        return false;
    }

    private static Set<String> definedIds() {
        Set<String> ids = new LinkedHashSet<>();
        for (String line : lines(ROOT.resolve(COMPATIBILITY))) {
            Matcher definition = DEFINITION.matcher(line);
            if (definition.find()) {
                ids.add(definition.group(2));
            }
        }
        return ids;
    }

    /** Tracked files and new files git does not ignore; binary files left out. */
    private static List<Path> repositoryTextFiles() {
        List<Path> files = new ArrayList<>();
        for (String name : git("ls-files", "--cached", "--others", "--exclude-standard")) {
            Path file = ROOT.resolve(name);
            if (Files.isRegularFile(file) && !name.endsWith("package-lock.json") && isText(file)) {
                files.add(file);
            }
        }
        assertThat(files).as("files of the repository").hasSizeGreaterThan(100);
        return files;
    }

    private static boolean isText(Path file) {
        try {
            byte[] bytes = Files.readAllBytes(file);
            for (int i = 0; i < Math.min(bytes.length, 8000); i++) {
                if (bytes[i] == 0) {
                    return false;
                }
            }
            return true;
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    private static List<String> lines(Path file) {
        try {
            return new String(Files.readAllBytes(file), StandardCharsets.UTF_8).lines().toList();
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    private static List<String> git(String... arguments) {
        List<String> command = new ArrayList<>(List.of("git", "-C", ROOT.toString()));
        command.addAll(List.of(arguments));
        try {
            Process git = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!git.waitFor(60, TimeUnit.SECONDS) || git.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
            }
            return output.lines().filter((line) -> !line.isBlank()).toList();
        }
        catch (IOException ex) {
            throw new UncheckedIOException("git is needed to list the repository's files", ex);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }

}
