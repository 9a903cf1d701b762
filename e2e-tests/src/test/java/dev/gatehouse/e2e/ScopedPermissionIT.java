package dev.gatehouse.e2e;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.APIResponse;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Response;
import dev.gatehouse.e2e.pages.Spa;
import dev.gatehouse.e2e.support.BrowserTest;
import dev.gatehouse.e2e.support.DemoUser;
import dev.gatehouse.e2e.support.GatehouseSystem;
import org.junit.jupiter.api.Test;

/**
 * RBAC end to end: {@code /api/private-scoped} needs the permission
 * {@code read:messages}, which the demo user has (role reader) and the viewer has not.
 * The call is the SPA's own, with the token from a real login, through the SPA's
 * {@code /api} proxy.
 */
@BrowserTest
class ScopedPermissionIT {

    @Test
    void privateScopedAnswers403ForAUserWithoutThePermission(Page page) {
        Response response = callPrivateScopedAs(page, DemoUser.VIEWER);

        assertThat(response.status()).isEqualTo(403);
        assertThat(new Spa(page).apiStatus()).containsText("403");
    }

    @Test
    void privateScopedAnswers200ForAUserWithThePermission(Page page) {
        Response response = callPrivateScopedAs(page, DemoUser.DEMO);

        assertThat(response.status()).isEqualTo(200);
        assertThat(new Spa(page).apiStatus()).containsText("200");
    }

    @Test
    void privateScopedAnswers401WithoutAToken(Page page) {
        APIResponse response = page.request().get(GatehouseSystem.SPA_URL + "/api/private-scoped");

        assertThat(response.status()).isEqualTo(401);
    }

    private static Response callPrivateScopedAs(Page page, DemoUser user) {
        Spa spa = new Spa(page).open("/").logIn(user);
        spa.goTo("External API");
        Response response = page.waitForResponse("**/api/private-scoped",
                () -> page.getByTestId("call-private-scoped").click());
        assertThat(response.request().headerValue("authorization")).as("the SPA sent its access token")
            .startsWith("Bearer ");
        return response;
    }

}
