package dev.gatehouse.e2e;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

import java.util.regex.Pattern;

import com.microsoft.playwright.Page;
import dev.gatehouse.e2e.pages.ConsentPage;
import dev.gatehouse.e2e.pages.LoginPage;
import dev.gatehouse.e2e.pages.Spa;
import dev.gatehouse.e2e.support.BrowserTest;
import dev.gatehouse.e2e.support.DemoUser;
import dev.gatehouse.e2e.support.GatehouseSystem;
import dev.gatehouse.e2e.support.UrlPatterns;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * What the user sees when a login does not succeed. Runs first: declining needs a user
 * who has not consented yet (the viewer), and the authorization server remembers a
 * consent once given.
 */
@BrowserTest
@Order(1)
class LoginFailuresIT {

    @Test
    void wrongPasswordShowsAnErrorOnTheLoginPage(Page page) {
        Spa spa = new Spa(page).open("/");
        spa.logInButton().click();
        LoginPage login = new LoginPage(page);

        login.signIn(DemoUser.DEMO.email(), "not-the-password");

        assertThat(page.getByText("Wrong email or password.")).isVisible();
        login.assertShown();
    }

    @Test
    void decliningConsentShowsTheSpasErrorPage(Page page) {
        Spa spa = new Spa(page).open("/");
        spa.logInButton().click();
        new LoginPage(page).signIn(DemoUser.VIEWER);

        new ConsentPage(page).decline();

        assertThat(page).hasURL(UrlPatterns.startingWith(GatehouseSystem.SPA_URL + "/error"));
        assertThat(spa.errorMessage()).isVisible();
        assertThat(spa.errorMessage())
            .containsText(Pattern.compile("access_denied|denied|declined", Pattern.CASE_INSENSITIVE));
        spa.assertLoggedOut();
    }

}
