package dev.gatehouse.e2e;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import com.microsoft.playwright.Page;
import com.microsoft.playwright.Request;
import dev.gatehouse.e2e.pages.ConsentPage;
import dev.gatehouse.e2e.pages.LoginPage;
import dev.gatehouse.e2e.pages.Spa;
import dev.gatehouse.e2e.support.BrowserTest;
import dev.gatehouse.e2e.support.ContentSecurityPolicyWatch;
import dev.gatehouse.e2e.support.DemoUser;
import dev.gatehouse.e2e.support.DocsScreenshots;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * The quickstart's checkpoint, exactly as a user walks it: log in, consent, External API,
 * Ping API.
 *
 * <p>
 * Runs before the other tests that log in the demo user, because the authorization server
 * remembers a consent once given and this test proves the consent page is shown the first
 * time.
 */
@BrowserTest
@Order(2)
class QuickstartCheckpointIT {

    @Test
    void loginConsentThenPingApiShowsAccessTokenValidated(Page page) {
        ContentSecurityPolicyWatch csp = ContentSecurityPolicyWatch.on(page);
        // Every API call must finish as a real answer: Chromium reported calls aborted by
        // Angular's fetch backend
        // as net::ERR_ABORTED although the page showed their answer.
        List<String> failedApiCalls = new CopyOnWriteArrayList<>();
        page.onRequestFailed((request) -> {
            if (request.url().contains("/api/")) {
                failedApiCalls.add(request.url() + " " + request.failure());
            }
        });
        Spa spa = new Spa(page).open("/");
        spa.assertLoggedOut();
        DocsScreenshots.capture(page, "checkpoint-1-home");

        spa.logInButton().click();
        new LoginPage(page).assertShown();
        DocsScreenshots.capture(page, "checkpoint-2-login");
        new LoginPage(page).signIn(DemoUser.DEMO);
        new ConsentPage(page).assertShown();
        DocsScreenshots.capture(page, "checkpoint-3-consent");
        new ConsentPage(page).accept();
        spa.assertLoggedIn();
        DocsScreenshots.capture(page, "checkpoint-4-logged-in");

        spa.goTo("External API");
        Request apiCall = page.waitForRequest("**/api/external", () -> spa.pingApiButton().click());

        assertThat(spa.apiResult()).containsText("Your access token was successfully validated!");
        DocsScreenshots.capture(page, "checkpoint-5-api-answer");
        assertThat(apiCall.headerValue("authorization")).startsWith("Bearer ");
        csp.assertEnforcedWithoutViolations();
        assertThat(failedApiCalls).isEmpty();
    }

}
