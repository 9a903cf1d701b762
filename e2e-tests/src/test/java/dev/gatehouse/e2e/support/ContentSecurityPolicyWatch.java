package dev.gatehouse.e2e.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import com.microsoft.playwright.Page;

/**
 * Watches the SPA's Content-Security-Policy while a test runs: the policy header of every
 * SPA page the browser loads, and every violation Chromium reports. Chromium logs each
 * blocked script, style, fetch, frame or worker to the console ("… violates the following
 * Content Security Policy directive …"), also for the silent-authentication iframe, and
 * Playwright hands the page those messages.
 */
public final class ContentSecurityPolicyWatch {

    private static final String HEADER = "content-security-policy";

    private final List<String> policies = new CopyOnWriteArrayList<>();

    private final List<String> violations = new CopyOnWriteArrayList<>();

    private ContentSecurityPolicyWatch() {
    }

    /** Starts watching; call before the page opens the SPA. */
    public static ContentSecurityPolicyWatch on(Page page) {
        return on(page, GatehouseSystem.SPA_URL);
    }

    /** Starts watching the SPA served at {@code spaUrl}. */
    public static ContentSecurityPolicyWatch on(Page page, String spaUrl) {
        ContentSecurityPolicyWatch watch = new ContentSecurityPolicyWatch();
        page.onResponse(response -> {
            if (response.request().isNavigationRequest() && response.frame() == page.mainFrame()
                    && response.url().startsWith(spaUrl)) {
                String policy = response.headerValue(HEADER);
                watch.policies.add(policy != null ? policy : "(no policy) " + response.url());
            }
        });
        page.onConsoleMessage(message -> {
            if (message.text().contains("Content Security Policy")) {
                watch.violations.add(message.text());
            }
        });
        return watch;
    }

    /**
     * Every SPA page came with the strict policy, and the browser blocked nothing the app
     * needed.
     */
    public void assertEnforcedWithoutViolations() {
        assertThat(this.policies).as("Content-Security-Policy of the SPA pages loaded")
            .isNotEmpty()
            .allMatch(policy -> policy.contains("script-src 'self'") && policy.contains("frame-ancestors 'none'"));
        assertThat(this.violations).as("CSP violations reported by Chromium").isEmpty();
    }

}
