package dev.gatehouse.e2e.pages;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import dev.gatehouse.e2e.support.DemoUser;
import dev.gatehouse.e2e.support.GatehouseSystem;
import dev.gatehouse.e2e.support.UrlPatterns;

/**
 * The authorization server's login page (localhost:9000), reached through the SDK's
 * redirect to /authorize.
 */
public final class LoginPage {

    private final Page page;

    private final String authServerUrl;

    public LoginPage(Page page) {
        this(page, GatehouseSystem.AUTH_SERVER_URL);
    }

    /** The login page of the authorization server at {@code authServerUrl}. */
    public LoginPage(Page page, String authServerUrl) {
        this.page = page;
        this.authServerUrl = authServerUrl;
    }

    /** Asserts that the browser shows the login page of our authorization server. */
    public LoginPage assertShown() {
        assertThat(this.page).hasURL(UrlPatterns.startingWith(this.authServerUrl));
        assertThat(email()).isVisible();
        assertThat(password()).isVisible();
        return this;
    }

    /**
     * Fills in the form and presses Continue; what follows (consent, an error, the SPA)
     * is for the caller.
     */
    public void signIn(DemoUser user) {
        signIn(user.email(), user.password());
    }

    public void signIn(String email, String password) {
        assertShown();
        email().fill(email);
        password().fill(password);
        this.page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Continue")).click();
    }

    public Locator email() {
        return this.page.getByLabel("Email");
    }

    public Locator password() {
        return this.page.getByLabel("Password", new Page.GetByLabelOptions().setExact(true));
    }

}
