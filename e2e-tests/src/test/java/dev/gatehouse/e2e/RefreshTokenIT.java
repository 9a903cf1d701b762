package dev.gatehouse.e2e;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.function.Predicate;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.microsoft.playwright.APIResponse;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Response;
import com.microsoft.playwright.Route;
import dev.gatehouse.e2e.pages.Spa;
import dev.gatehouse.e2e.support.BrowserTest;
import dev.gatehouse.e2e.support.DemoUser;
import dev.gatehouse.e2e.support.GatehouseSystem;
import org.junit.jupiter.api.Test;

/**
 * With {@code useRefreshTokens: true} in the SPA's runtime config, the SDK asks for
 * {@code offline_access}, keeps the refresh token, and a forced refresh is a
 * {@code refresh_token} grant that returns a new access token (and, rotated, a new
 * refresh token). The config is switched for this test only, by answering the SPA's
 * request for {@code config.json} with the served file plus the two settings: the
 * packaged servers stay as they are.
 */
@BrowserTest
class RefreshTokenIT {

    private static final Predicate<Response> TOKEN_ENDPOINT = response -> response.url()
        .equals(GatehouseSystem.AUTH_SERVER_URL + "/oauth/token") && "POST".equals(response.request().method());

    @Test
    void forcedRefreshWithRefreshTokensEnabledYieldsANewAccessToken(Page page) {
        page.route("**/config.json", RefreshTokenIT::withRefreshTokens);
        Spa spa = new Spa(page);

        Response login = page.waitForResponse(TOKEN_ENDPOINT, () -> spa.open("/").logIn(DemoUser.DEMO));
        assertThat(login.request().postData()).contains("grant_type=authorization_code");
        JsonObject loginTokens = json(login);
        assertThat(loginTokens.has("refresh_token")).as("refresh token issued for offline_access").isTrue();

        spa.goTo("External API");
        Response refresh = page.waitForResponse(TOKEN_ENDPOINT, () -> spa.refreshTokenButton().click());

        assertThat(refresh.status()).isEqualTo(200);
        assertThat(refresh.request().postData()).contains("grant_type=refresh_token");
        JsonObject refreshed = json(refresh);
        String newAccessToken = refreshed.get("access_token").getAsString();
        assertThat(newAccessToken).isNotEqualTo(loginTokens.get("access_token").getAsString());
        assertThat(refreshed.has("refresh_token")).as("refresh token rotated").isTrue();
        // The page shows the new token: its fingerprint (first 8 bytes of SHA-256, as the
        // SPA computes it) and claims.
        assertThat(spa.page().getByTestId("token-fingerprint")).hasText(fingerprint(newAccessToken));
        JsonObject claims = payload(newAccessToken);
        assertThat(spa.tokenClaims()).containsText("\"iat\": " + claims.get("iat").getAsLong());
        assertThat(spa.tokenClaims()).containsText("\"sub\": \"" + claims.get("sub").getAsString() + "\"");
    }

    private static String fingerprint(String token) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.US_ASCII));
            return HexFormat.of().formatHex(digest, 0, 8);
        }
        catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException(ex);
        }
    }

    /** Serves the SPA's config.json with refresh tokens on, kept in local storage. */
    static void withRefreshTokens(Route route) {
        APIResponse served = route.fetch();
        JsonObject config = JsonParser.parseString(served.text()).getAsJsonObject();
        config.addProperty("useRefreshTokens", true);
        // Outside the token worker, so the test can watch the refresh grant on the page.
        config.addProperty("cacheLocation", "localstorage");
        route.fulfill(new Route.FulfillOptions().setResponse(served).setBody(config.toString()));
    }

    static JsonObject json(Response response) {
        return JsonParser.parseString(response.text()).getAsJsonObject();
    }

    static JsonObject payload(String jwt) {
        String[] parts = jwt.split("\\.");
        assertThat(parts).as("access token is a JWT").hasSize(3);
        return JsonParser.parseString(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8))
            .getAsJsonObject();
    }

}
