package dev.gatehouse.e2e.pages;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;

/**
 * The authorization server's consent page: the SPA asks for access to the demo API on the
 * user's behalf.
 */
public final class ConsentPage {

    private final Page page;

    public ConsentPage(Page page) {
        this.page = page;
    }

    public ConsentPage assertShown() {
        assertThat(acceptButton()).isVisible();
        assertThat(declineButton()).isVisible();
        return this;
    }

    public void accept() {
        assertShown();
        acceptButton().click();
    }

    public void decline() {
        assertShown();
        declineButton().click();
    }

    public Locator acceptButton() {
        return this.page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Accept").setExact(true));
    }

    public Locator declineButton() {
        return this.page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Decline").setExact(true));
    }

}
