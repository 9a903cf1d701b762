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
 * Log out ends both sessions: the SPA's (back on Home, logged out) and the authorization
 * server's (a protected page asks for the password again instead of logging the user in
 * silently).
 */
@BrowserTest
class LogoutIT {

    @Test
    void logOutReturnsHomeLoggedOutAndAProtectedPageAsksForLoginAgain(Page page) {
        Spa spa = new Spa(page).open("/").logIn(DemoUser.DEMO);
        spa.goTo("External API");

        spa.logOut();

        assertThat(page).hasURL(UrlPatterns.exactly(GatehouseSystem.SPA_URL));
        spa.assertLoggedOut();
        spa.open("/external-api");
        new LoginPage(page).assertShown();
    }

}
