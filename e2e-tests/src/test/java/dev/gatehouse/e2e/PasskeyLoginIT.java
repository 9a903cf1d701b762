package dev.gatehouse.e2e;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;

import dev.gatehouse.e2e.pages.ConsentPage;
import dev.gatehouse.e2e.pages.LoginPage;
import dev.gatehouse.e2e.pages.Spa;
import dev.gatehouse.e2e.support.BrowserTest;
import dev.gatehouse.e2e.support.DemoUser;
import dev.gatehouse.e2e.support.GatehouseSystem;
import dev.gatehouse.e2e.support.UrlPatterns;
import dev.gatehouse.e2e.support.VirtualAuthenticator;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Passkeys on the hosted pages with the demo tenant, in Chromium with its virtual
 * authenticator: offered after a password login, added, then used to sign in without a
 * password, renamed and deleted on the passkey page. And a browser that cannot keep a
 * passkey sees today's login unchanged (policy "Never", no prompt, no second factor).
 */
@BrowserTest
@Order(1000)
class PasskeyLoginIT {

    @Test
    void passkeyAddedAfterPasswordLoginSignsInWithoutPasswordAndIsManagedOnItsPage(Page page) {
        VirtualAuthenticator authenticator = VirtualAuthenticator.attach(page);
        Spa spa = new Spa(page).open("/");
        spa.logInButton().click();
        new LoginPage(page).signIn(DemoUser.DEMO);

        assertThat(page).hasURL(UrlPatterns.startingWith(GatehouseSystem.AUTH_SERVER_URL + "/passkeys/enroll"));
        page.getByTestId("passkey-add").click();
        acceptConsentIfAsked(page, spa);
        spa.assertLoggedIn();
        assertThat(authenticator.credentials().size()).isEqualTo(1);

        spa.logOut();
        spa.assertLoggedOut();
        spa.logInButton().click();
        LoginPage login = new LoginPage(page).assertShown();
        page.getByTestId("passkey-login").click();
        spa.assertLoggedIn();
        spa.goTo("Profile");
        assertThat(page.getByTestId("id-token-claims")).containsText("\"hwk\"");

        page.navigate(GatehouseSystem.AUTH_SERVER_URL + "/passkeys");
        assertThat(page.getByTestId("passkey")).hasCount(1);
        page.getByTestId("passkey-rename-input").fill("Work laptop");
        page.getByTestId("passkey-rename").click();
        assertThat(page.getByTestId("passkey-label")).hasText("Work laptop");
        assertThat(page.getByTestId("passkey-last-used")).not().hasText("never");
        page.getByTestId("passkey-delete").click();
        assertThat(page.getByTestId("passkeys-empty")).isVisible();
        assertThat(login).isNotNull();
    }

    @Test
    void browserWithoutAPasskeyAuthenticatorKeepsTodaysPasswordLogin(Page page) {
        List<String> visited = new CopyOnWriteArrayList<>();
        page.onRequest((request) -> visited.add(request.url()));
        Spa spa = new Spa(page).open("/");
        spa.logIn(DemoUser.VIEWER);
        spa.goTo("Profile");
        assertThat(page.getByTestId("id-token-claims")).containsText("\"pwd\"");
        assertThat(page.getByTestId("id-token-claims")).not().containsText("\"mfa\"");
        assertThat(page.getByTestId("id-token-claims")).not().containsText("\"acr\"");
        assertThat(visited).noneMatch((url) -> url.contains("/passkeys/enroll") || url.contains("/mfa"));
    }

    static void acceptConsentIfAsked(Page page, Spa spa) {
        ConsentPage consent = new ConsentPage(page);
        assertThat(consent.acceptButton().or(spa.logOutButton())).isVisible();
        if (consent.acceptButton().isVisible()) {
            consent.accept();
        }
    }

    static void signInWithPasskeyButton(Page page) {
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign in with a passkey")).click();
    }

}
