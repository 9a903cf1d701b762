package dev.gatehouse.e2e;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import com.microsoft.playwright.Page;
import com.microsoft.playwright.Request;
import dev.gatehouse.e2e.pages.Spa;
import dev.gatehouse.e2e.support.BrowserTest;
import dev.gatehouse.e2e.support.ContentSecurityPolicyWatch;
import dev.gatehouse.e2e.support.DemoUser;
import dev.gatehouse.e2e.support.GatehouseSystem;
import org.junit.jupiter.api.Test;

/**
 * A reload empties the SDK's in-memory token cache; the SDK then asks the authorization
 * server in a hidden iframe ({@code prompt=none}, answered with {@code web_message}) and
 * the authorization server's session cookie logs the user back in without showing any
 * page of its own.
 */
@BrowserTest
class SilentAuthenticationIT {

    @Test
    void reloadKeepsTheUserLoggedInThroughSilentAuthenticationInAnIframe(Page page) {
        ContentSecurityPolicyWatch csp = ContentSecurityPolicyWatch.on(page);
        Spa spa = new Spa(page).open("/").logIn(DemoUser.DEMO);
        List<String> topLevelUrls = new CopyOnWriteArrayList<>();
        page.onFrameNavigated(frame -> {
            if (frame == page.mainFrame()) {
                topLevelUrls.add(frame.url());
            }
        });

        Request silentAuthorize = page
            .waitForRequest(request -> request.url().startsWith(GatehouseSystem.AUTH_SERVER_URL + "/authorize")
                    && request.url().contains("prompt=none"), page::reload);

        spa.assertLoggedIn();
        assertThat(silentAuthorize.frame()).isNotEqualTo(page.mainFrame());
        assertThat(silentAuthorize.url()).contains("response_mode=web_message");
        assertThat(topLevelUrls).as("the top-level page never left the SPA")
            .noneMatch(url -> url.startsWith(GatehouseSystem.AUTH_SERVER_URL));
        spa.goTo("Profile");
        assertThat(spa.profileEmail()).hasText(DemoUser.DEMO.email());
        csp.assertEnforcedWithoutViolations();
    }

}
