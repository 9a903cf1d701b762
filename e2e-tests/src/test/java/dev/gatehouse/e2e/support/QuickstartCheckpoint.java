package dev.gatehouse.e2e.support;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import com.microsoft.playwright.Page;
import com.microsoft.playwright.Request;
import dev.gatehouse.e2e.pages.ConsentPage;
import dev.gatehouse.e2e.pages.LoginPage;
import dev.gatehouse.e2e.pages.Spa;

/**
 * The quickstart's checkpoint, exactly as a user walks it: log in, consent, External API,
 * Ping API, and "Your access token was successfully validated!". Walked against the
 * browser tests' own system and against one started by {@code ./gatehouse start}.
 */
public final class QuickstartCheckpoint {

    private QuickstartCheckpoint() {
    }

    /**
     * Walks the checkpoint for the demo user, who must not have consented yet: the
     * consent page has to be shown.
     * @param authServerUrl where the login page must be (the SPA's {@code domain})
     * @param pictures whether each page is also pictured for the docs (when
     * {@link DocsScreenshots} is switched on)
     */
    public static void walk(Page page, String authServerUrl, boolean pictures) {
        ContentSecurityPolicyWatch csp = ContentSecurityPolicyWatch.on(page);
        // Every API call must finish as a real answer: Chromium reported calls aborted by
        // Angular's fetch backend as net::ERR_ABORTED although the page showed their
        // answer.
        List<String> failedApiCalls = new CopyOnWriteArrayList<>();
        page.onRequestFailed((request) -> {
            if (request.url().contains("/api/")) {
                failedApiCalls.add(request.url() + " " + request.failure());
            }
        });
        Spa spa = new Spa(page).open("/");
        spa.assertLoggedOut();
        picture(pictures, page, "checkpoint-1-home");

        spa.logInButton().click();
        LoginPage login = new LoginPage(page, authServerUrl);
        login.assertShown();
        picture(pictures, page, "checkpoint-2-login");
        login.signIn(DemoUser.DEMO);
        new ConsentPage(page).assertShown();
        picture(pictures, page, "checkpoint-3-consent");
        new ConsentPage(page).accept();
        spa.assertLoggedIn();
        picture(pictures, page, "checkpoint-4-logged-in");

        spa.goTo("External API");
        Request apiCall = page.waitForRequest("**/api/external", () -> spa.pingApiButton().click());

        assertThat(spa.apiResult()).containsText("Your access token was successfully validated!");
        picture(pictures, page, "checkpoint-5-api-answer");
        assertThat(apiCall.headerValue("authorization")).startsWith("Bearer ");
        csp.assertEnforcedWithoutViolations();
        assertThat(failedApiCalls).isEmpty();
    }

    private static void picture(boolean pictures, Page page, String name) {
        if (pictures) {
            DocsScreenshots.capture(page, name);
        }
    }

}
