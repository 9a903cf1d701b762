package dev.gatehouse.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.APIResponse;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Request;
import com.microsoft.playwright.options.RequestOptions;
import dev.gatehouse.e2e.pages.Spa;
import dev.gatehouse.e2e.support.BrowserTest;
import dev.gatehouse.e2e.support.DemoUser;
import dev.gatehouse.e2e.support.GatehouseSystem;
import org.junit.jupiter.api.Test;

/**
 * RBAC end to end: {@code /api/private-scoped} needs the permission {@code read:messages}, which the demo user has
 * (role reader) and the viewer has not. The token is the one the SPA itself sends when the user clicks Ping API, so
 * it is a real token from a real login; the call goes through the SPA's {@code /api} proxy like the SPA's own calls.
 */
@BrowserTest
class ScopedPermissionIT {

	@Test
	void privateScopedAnswers403ForAUserWithoutThePermission(Page page) {
		String authorization = authorizationSentByTheSpa(page, DemoUser.VIEWER);

		APIResponse response = privateScoped(page, authorization);

		assertThat(response.status()).isEqualTo(403);
	}

	@Test
	void privateScopedAnswers200ForAUserWithThePermission(Page page) {
		String authorization = authorizationSentByTheSpa(page, DemoUser.DEMO);

		APIResponse response = privateScoped(page, authorization);

		assertThat(response.status()).isEqualTo(200);
	}

	@Test
	void privateScopedAnswers401WithoutAToken(Page page) {
		APIResponse response = page.request().get(GatehouseSystem.SPA_URL + "/api/private-scoped");

		assertThat(response.status()).isEqualTo(401);
	}

	private static String authorizationSentByTheSpa(Page page, DemoUser user) {
		Spa spa = new Spa(page).open("/").logIn(user);
		spa.goTo("External API");
		Request apiCall = page.waitForRequest("**/api/external", () -> spa.pingApiButton().click());
		String authorization = apiCall.headerValue("authorization");
		assertThat(authorization).startsWith("Bearer ");
		return authorization;
	}

	private static APIResponse privateScoped(Page page, String authorization) {
		return page.request()
			.get(GatehouseSystem.SPA_URL + "/api/private-scoped",
					RequestOptions.create().setHeader("Authorization", authorization));
	}

}
