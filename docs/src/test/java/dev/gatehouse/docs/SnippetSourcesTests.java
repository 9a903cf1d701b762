package dev.gatehouse.docs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The pages in {@code docs/} stay true without running anything: each excerpt
 * ({@code from=<path>}) still appears in its file, each block of the quickstart says how
 * it is checked, and each relative link and picture of every page points at a file that
 * exists.
 */
class SnippetSourcesTests {

    private static final Path ROOT = MarkdownSnippets.repositoryRoot();

    private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");

    @Test
    void everyExcerptAppearsInItsFileLineByLine() throws IOException {
        List<String> stale = new ArrayList<>();
        for (Path page : pages()) {
            for (MarkdownSnippets.Block block : MarkdownSnippets.of(page).blocks()) {
                if (block.from() == null) {
                    continue;
                }
                Path source = ROOT.resolve(block.from());
                if (!Files.isRegularFile(source)) {
                    stale.add(where(page, block) + ": from=" + block.from() + " does not exist");
                }
                else if (!containsLines(Files.readAllLines(source), block.text().lines().toList())) {
                    stale.add(where(page, block) + ": no longer an excerpt of " + block.from());
                }
            }
        }
        assertThat(stale).as("excerpts that no longer match their files").isEmpty();
    }

    @Test
    void everyQuickstartBlockIsAPictureAnExcerptOrAnIdentifiedSnippet() {
        MarkdownSnippets quickstart = MarkdownSnippets.of(ROOT.resolve("docs/quickstart.md"));
        List<String> unmarked = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (MarkdownSnippets.Block block : quickstart.blocks()) {
            if ("mermaid".equals(block.language()) || block.from() != null) {
                continue;
            }
            if (block.id() == null) {
                unmarked.add(where(quickstart.file(), block) + " (" + block.language() + ")");
            }
            else {
                assertThat(ids.add(block.id())).as("id=%s is used twice", block.id()).isTrue();
            }
        }
        assertThat(unmarked).as("blocks with neither id= nor from=: no test would check them").isEmpty();
    }

    @Test
    void everyRelativeLinkAndPictureOfTheUserGuidesResolves() throws IOException {
        List<String> broken = new ArrayList<>();
        for (Path page : pages()) {
            String text = Files.readString(page);
            Matcher link = LINK.matcher(text);
            while (link.find()) {
                String target = link.group(1);
                if (target.startsWith("http://") || target.startsWith("https://") || target.startsWith("#")) {
                    continue;
                }
                String path = target.contains("#") ? target.substring(0, target.indexOf('#')) : target;
                if (!Files.exists(page.getParent().resolve(path).normalize())) {
                    broken.add(ROOT.relativize(page) + ": " + target);
                }
            }
        }
        assertThat(broken).as("links to files that do not exist").isEmpty();
    }

    /**
     * True when {@code excerpt}'s lines appear one after another in {@code file}, each
     * compared without its leading and trailing blanks (an excerpt may be shown less
     * indented than in its file).
     */
    static boolean containsLines(List<String> file, List<String> excerpt) {
        List<String> wanted = excerpt.stream().map(String::strip).toList();
        List<String> lines = file.stream().map(String::strip).toList();
        for (int start = 0; start + wanted.size() <= lines.size(); start++) {
            if (lines.subList(start, start + wanted.size()).equals(wanted)) {
                return true;
            }
        }
        return false;
    }

    private static List<Path> pages() throws IOException {
        try (Stream<Path> files = Files.list(ROOT.resolve("docs"))) {
            return files.filter((file) -> file.toString().endsWith(".md")).sorted().toList();
        }
    }

    private static String where(Path page, MarkdownSnippets.Block block) {
        return ROOT.relativize(page) + ":" + block.line();
    }

}
