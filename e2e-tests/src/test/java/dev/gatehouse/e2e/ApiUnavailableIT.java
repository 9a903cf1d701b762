package dev.gatehouse.e2e;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

import com.microsoft.playwright.Page;
import dev.gatehouse.e2e.pages.Spa;
import dev.gatehouse.e2e.support.BrowserTest;
import dev.gatehouse.e2e.support.Chromium;
import dev.gatehouse.e2e.support.DemoUser;
import dev.gatehouse.e2e.support.GatehouseSystem;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * The SPA tells the user plainly when the API is down, instead of failing silently or
 * showing a raw error. Runs last because it stops the API (and starts it again, whatever
 * happens).
 */
@BrowserTest
@Order(Integer.MAX_VALUE)
class ApiUnavailableIT {

    @Test
    void externalApiPageSaysTheApiCannotBeReachedWhileTheApiIsStopped(Page page, GatehouseSystem system) {
        Spa spa = new Spa(page).open("/").logIn(DemoUser.DEMO);
        spa.goTo("External API");

        system.stopApi();
        try {
            spa.pingApiButton().click();
            assertThat(spa.apiStatus()).containsText("cannot be reached");
            Chromium.saveScreenshot(page, getClass(), "whileTheApiIsStopped");
        }
        finally {
            system.startApi();
        }

        spa.pingApiButton().click();
        assertThat(spa.apiResult()).containsText("Your access token was successfully validated!");
    }

}
