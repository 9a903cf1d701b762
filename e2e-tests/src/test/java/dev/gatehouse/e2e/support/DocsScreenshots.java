package dev.gatehouse.e2e.support;

import java.nio.file.Path;
import java.nio.file.Paths;

import com.microsoft.playwright.Page;

/**
 * Pictures of the running system for the documentation ({@code docs/images/}), taken by
 * the browser tests as they walk through the pages, so the pictures show what the code
 * does today. Off by default, so a test run never changes tracked files; refresh them
 * with the system property {@code gatehouse.docs-screenshots=true} (see
 * {@code docs/quickstart.md}, "Refreshing the pictures").
 */
public final class DocsScreenshots {

    /** The system property that turns the pictures on. */
    public static final String ENABLED = "gatehouse.docs-screenshots";

    private DocsScreenshots() {
    }

    /**
     * Saves what the browser shows now as {@code docs/images/<name>.png} (the visible
     * viewport, so every picture has the same size), when enabled.
     */
    public static void capture(Page page, String name) {
        if (!Boolean.getBoolean(ENABLED)) {
            return;
        }
        Path root = Paths.get(System.getProperty("gatehouse.root", "..")).toAbsolutePath().normalize();
        Path file = root.resolve("docs").resolve("images").resolve(name + ".png");
        page.screenshot(new Page.ScreenshotOptions().setPath(file));
    }

}
