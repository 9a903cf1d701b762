package dev.gatehouse.e2e;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

import com.microsoft.playwright.Page;
import dev.gatehouse.e2e.pages.LoginPage;
import dev.gatehouse.e2e.pages.Spa;
import dev.gatehouse.e2e.support.BrowserTest;
import dev.gatehouse.e2e.support.DemoUser;
import dev.gatehouse.e2e.support.GatehouseSystem;
import dev.gatehouse.e2e.support.UrlPatterns;
import org.junit.jupiter.api.Test;

/**
 * The route guard: a protected page sends a logged-out user to log in, and brings them
 * back to it afterwards.
 */
@BrowserTest
class LoginRedirectIT {

    @Test
    void loggedOutUserOpeningExternalApiIsSentToLoginAndComesBackToExternalApi(Page page) {
        Spa spa = new Spa(page).open("/external-api");

        new LoginPage(page).assertShown();
        spa.completeLogin(DemoUser.DEMO);

        assertThat(page).hasURL(UrlPatterns.exactly(GatehouseSystem.SPA_URL + "/external-api"));
        assertThat(spa.pingApiButton()).isVisible();
    }

}
