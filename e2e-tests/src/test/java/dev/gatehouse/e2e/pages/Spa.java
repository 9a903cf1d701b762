package dev.gatehouse.e2e.pages;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import dev.gatehouse.e2e.support.DemoUser;
import dev.gatehouse.e2e.support.GatehouseSystem;
import dev.gatehouse.e2e.support.UrlPatterns;

/**
 * The SPA (localhost:4200) as a user sees it: the nav bar with Log in / Log out and the
 * links Home, Profile and External API, and the pages behind them. Locates by role and
 * visible text first, by {@code data-testid} where a text would be ambiguous.
 */
public final class Spa {

    private final Page page;

    private final String url;

    private final String authServerUrl;

    public Spa(Page page) {
        this(page, GatehouseSystem.SPA_URL, GatehouseSystem.AUTH_SERVER_URL);
    }

    /**
     * The SPA served at {@code url}, logging in at the authorization server at
     * {@code authServerUrl}.
     */
    public Spa(Page page, String url, String authServerUrl) {
        this.page = page;
        this.url = url;
        this.authServerUrl = authServerUrl;
    }

    public Page page() {
        return this.page;
    }

    /** Opens a path of the SPA, e.g. {@code "/"} or {@code "/external-api"}. */
    public Spa open(String path) {
        this.page.navigate(this.url + path);
        return this;
    }

    /**
     * Logs in from the nav bar: Log in, the login form, the consent page if the
     * authorization server asks (it asks once per user and client, then remembers), and
     * back in the SPA, logged in.
     */
    public Spa logIn(DemoUser user) {
        logInButton().click();
        completeLogin(user);
        return this;
    }

    /**
     * Completes a login the SPA started (from the nav bar or a guarded route) and waits
     * until back, logged in.
     */
    public Spa completeLogin(DemoUser user) {
        new LoginPage(this.page, this.authServerUrl).signIn(user);
        ConsentPage consent = new ConsentPage(this.page);
        Locator consentOrBack = consent.acceptButton().or(logOutButton());
        assertThat(consentOrBack).isVisible();
        if (consent.acceptButton().isVisible()) {
            consent.accept();
        }
        assertLoggedIn();
        return this;
    }

    public Spa assertLoggedIn() {
        assertThat(this.page).hasURL(UrlPatterns.startingWith(this.url));
        assertThat(logOutButton()).isVisible();
        assertThat(logInButton()).hasCount(0);
        return this;
    }

    public Spa assertLoggedOut() {
        assertThat(logInButton()).isVisible();
        assertThat(logOutButton()).hasCount(0);
        return this;
    }

    public void logOut() {
        logOutButton().click();
    }

    public Spa goTo(String linkText) {
        this.page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName(linkText).setExact(true)).click();
        return this;
    }

    public Locator logInButton() {
        return this.page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Log in").setExact(true));
    }

    public Locator logOutButton() {
        return this.page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Log out").setExact(true));
    }

    public Locator pingApiButton() {
        return this.page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Ping API").setExact(true));
    }

    public Locator apiResult() {
        return this.page.getByTestId("api-result");
    }

    public Locator apiStatus() {
        return this.page.getByTestId("api-status");
    }

    public Locator errorMessage() {
        return this.page.getByTestId("error-message");
    }

    public Locator profileEmail() {
        return this.page.getByTestId("profile-email");
    }

    public Locator refreshTokenButton() {
        return this.page.getByTestId("refresh-token");
    }

    public Locator tokenClaims() {
        return this.page.getByTestId("token-claims");
    }

}
