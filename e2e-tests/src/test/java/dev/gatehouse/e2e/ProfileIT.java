package dev.gatehouse.e2e;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

import com.microsoft.playwright.Page;
import dev.gatehouse.e2e.pages.Spa;
import dev.gatehouse.e2e.support.BrowserTest;
import dev.gatehouse.e2e.support.DemoUser;
import org.junit.jupiter.api.Test;

/**
 * The Profile page shows who is logged in, from the ID token the authorization server
 * issued.
 */
@BrowserTest
class ProfileIT {

    @Test
    void profileShowsTheLoggedInUsersEmail(Page page) {
        Spa spa = new Spa(page).open("/").logIn(DemoUser.DEMO);

        spa.goTo("Profile");

        assertThat(spa.profileEmail()).hasText(DemoUser.DEMO.email());
    }

}
