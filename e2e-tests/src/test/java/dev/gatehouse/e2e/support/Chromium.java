package dev.gatehouse.e2e.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.Tracing;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import dev.gatehouse.launcher.Browsers;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit extension that drives Chromium through Playwright: Debian's
 * {@code /usr/bin/chromium}, else an installed Chrome or Edge (the launcher's
 * {@link Browsers}), or the one the {@code gatehouse.chromium} system property names. One
 * browser per test run, a fresh context (cookies, storage) per test, so no test inherits
 * another's login.
 *
 * <p>
 * After each test it saves a screenshot of the final page under
 * {@code target/screenshots/<TestClass>/<test>.png} and the browser console under
 * {@code target/logs/browser/}; when a test fails it also saves a Playwright trace under
 * {@code target/traces/} (open it with {@code npx playwright show-trace}).
 *
 * <p>
 * Playwright never downloads a browser here: it is created with
 * {@code PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1} and always launches the system's executable.
 */
public final class Chromium implements BeforeEachCallback, AfterEachCallback, ParameterResolver {

    /**
     * Chromium flags for a headless, offline run that makes no calls of its own to Google
     * services.
     */
    public static final List<String> FLAGS = List.of("--no-sandbox", "--disable-gpu", "--disable-quic",
            "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync");

    private static final double DEFAULT_TIMEOUT_MS = 20_000;

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(Chromium.class);

    @Override
    public void beforeEach(ExtensionContext context) {
        Browser browser = sharedBrowser(context.getRoot().getStore(NAMESPACE)).browser();
        BrowserContext browserContext = browser.newContext(new Browser.NewContextOptions().setViewportSize(1280, 800));
        browserContext.setDefaultTimeout(DEFAULT_TIMEOUT_MS);
        browserContext.setDefaultNavigationTimeout(DEFAULT_TIMEOUT_MS * 2);
        browserContext.tracing().start(new Tracing.StartOptions().setScreenshots(true).setSnapshots(true));
        Page page = browserContext.newPage();
        List<String> console = Collections.synchronizedList(new ArrayList<>());
        page.onConsoleMessage(message -> console.add(message.type() + ": " + message.text()));
        page.onPageError(error -> console.add("pageerror: " + error));
        page.onRequestFailed(request -> console
            .add("requestfailed: " + request.method() + " " + request.url() + " " + request.failure()));
        ExtensionContext.Store store = context.getStore(NAMESPACE);
        store.put("context", browserContext);
        store.put("page", page);
        store.put("console", console);
    }

    /**
     * The run's browser, launched again when the local certificate authority appeared (or
     * changed) after it started: the first authorization server of a run generates the
     * CA, and a browser started before that (the launcher test runs first, on a checkout
     * of its own) would refuse every certificate of the run's HTTPS address.
     */
    private static SharedBrowser sharedBrowser(ExtensionContext.Store root) {
        SharedBrowser shared = root.computeIfAbsent("browser", key -> SharedBrowser.launch(), SharedBrowser.class);
        if (!shared.args().equals(LocalCa.trustedBy(FLAGS))) {
            root.remove("browser", SharedBrowser.class).close();
            shared = root.computeIfAbsent("browser", key -> SharedBrowser.launch(), SharedBrowser.class);
        }
        return shared;
    }

    @Override
    public void afterEach(ExtensionContext context) {
        ExtensionContext.Store store = context.getStore(NAMESPACE);
        BrowserContext browserContext = store.remove("context", BrowserContext.class);
        Page page = store.remove("page", Page.class);
        @SuppressWarnings("unchecked")
        List<String> console = store.remove("console", List.class);
        if (browserContext == null) {
            return;
        }
        String testClass = context.getRequiredTestClass().getSimpleName();
        String testName = context.getRequiredTestMethod().getName();
        Path buildDir = buildDir();
        try {
            Path screenshot = buildDir.resolve("screenshots").resolve(testClass).resolve(testName + ".png");
            Files.createDirectories(screenshot.getParent());
            page.screenshot(new Page.ScreenshotOptions().setPath(screenshot).setFullPage(true));
            Path consoleLog = buildDir.resolve("logs").resolve("browser").resolve(testClass + "." + testName + ".log");
            Files.createDirectories(consoleLog.getParent());
            Files.write(consoleLog, List.copyOf(console), StandardCharsets.UTF_8);
            if (context.getExecutionException().isPresent()) {
                Path trace = buildDir.resolve("traces").resolve(testClass + "." + testName + ".zip");
                browserContext.tracing().stop(new Tracing.StopOptions().setPath(trace));
            }
            else {
                browserContext.tracing().stop();
            }
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        finally {
            browserContext.close();
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        Class<?> type = parameterContext.getParameter().getType();
        return type == Page.class || type == BrowserContext.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        String key = parameterContext.getParameter().getType() == Page.class ? "page" : "context";
        Object value = extensionContext.getStore(NAMESPACE).get(key);
        if (value == null) {
            throw new IllegalStateException("A Page or BrowserContext can only be injected into test methods");
        }
        return value;
    }

    /**
     * Saves a screenshot of a moment inside a test (the final page is saved anyway), as
     * {@code target/screenshots/<TestClass>/<name>.png}.
     */
    public static void saveScreenshot(Page page, Class<?> testClass, String name) {
        Path screenshot = buildDir().resolve("screenshots").resolve(testClass.getSimpleName()).resolve(name + ".png");
        page.screenshot(new Page.ScreenshotOptions().setPath(screenshot).setFullPage(true));
    }

    static Path buildDir() {
        return Paths.get(System.getProperty("gatehouse.build-dir", "target")).toAbsolutePath().normalize();
    }

    /**
     * The browser named by {@code gatehouse.chromium} ({@code ./gatehouse test} names the
     * one it found or installed), else the one the launcher finds on this machine.
     */
    static Path executable() {
        String named = System.getProperty("gatehouse.chromium", "");
        if (!named.isBlank()) {
            Path executable = Paths.get(named.trim());
            if (!Files.isExecutable(executable)) {
                throw new IllegalStateException("gatehouse.chromium names " + executable + ", which is not an "
                        + "executable file. Name an installed Chromium, Chrome or Edge, or leave it unset.");
            }
            return executable;
        }
        return Browsers.find().orElseThrow(() -> new IllegalStateException(Browsers.missingMessage()));
    }

    /** Playwright and the browser it launched, closed by JUnit at the end of the run. */
    private record SharedBrowser(Playwright playwright, Browser browser, List<String> args) implements AutoCloseable {

        static SharedBrowser launch() {
            Path executable = executable();
            List<String> args = LocalCa.trustedBy(FLAGS);
            PlaywrightAssertions.setDefaultAssertionTimeout(DEFAULT_TIMEOUT_MS);
            Playwright playwright = Playwright
                .create(new Playwright.CreateOptions().setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
            try {
                Browser browser = playwright.chromium()
                    .launch(new BrowserType.LaunchOptions().setExecutablePath(executable)
                        .setHeadless(true)
                        .setArgs(args));
                return new SharedBrowser(playwright, browser, args);
            }
            catch (RuntimeException ex) {
                playwright.close();
                throw ex;
            }
        }

        @Override
        public void close() {
            this.browser.close();
            this.playwright.close();
        }

    }

}
