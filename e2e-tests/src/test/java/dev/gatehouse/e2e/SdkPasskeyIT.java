package dev.gatehouse.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;

import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.microsoft.playwright.Page;

import com.microsoft.playwright.Locator;

import dev.gatehouse.e2e.pages.ConsentPage;
import dev.gatehouse.e2e.pages.LoginPage;
import dev.gatehouse.e2e.pages.Spa;
import dev.gatehouse.e2e.support.DemoUser;
import dev.gatehouse.e2e.support.BrowserTest;
import dev.gatehouse.e2e.support.GatehouseSystem;
import dev.gatehouse.e2e.support.VirtualAuthenticator;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The SDK's own passkey API, unmodified @auth0/auth0-spa-js in Chromium with its virtual
 * authenticator, pointed at the scheme-less HTTPS domain {@code localhost:9443} (the SDK
 * always calls {@code https://<domain>}): {@code passkey.signup()} then
 * {@code passkey.login()} return tokens the API accepts; and the SPA's "Sign in with a
 * passkey" button when its config.json enables it, and the password login, logout and API
 * call on the same HTTPS domain. The browser trusts the generated local CA (no
 * certificate error is ignored).
 */
@BrowserTest
@Order(1001)
class SdkPasskeyIT {

    static final String DOMAIN = "localhost:" + GatehouseSystem.HTTPS_PORT;

    @Test
    void sdkSignupThenLoginOverHttpsReturnTokensTheApiAcceptsAndTheSpaButtonSignsIn(Page page, GatehouseSystem system)
            throws IOException {
        VirtualAuthenticator authenticator = VirtualAuthenticator.attach(page);
        String email = "sdk-" + System.nanoTime() + "@example.com";
        system.replaceSpa(Map.of("SPA_DIST", sdkPage().toString(), "SPA_DOMAIN", DOMAIN));
        try {
            page.navigate(GatehouseSystem.SPA_URL + "/");
            page.waitForFunction("() => !!window.auth0 && !!window.auth0.Auth0Client");

            JsonObject signup = call(page, "signup", email);
            assertThat(signup.get("api").getAsInt()).isEqualTo(200);
            JsonObject idToken = payload(signup.get("id_token").getAsString());
            assertThat(idToken.get("iss").getAsString()).isEqualTo(GatehouseSystem.HTTPS_URL + "/");
            assertThat(idToken.get("email").getAsString()).isEqualTo(email);
            assertThat(authenticator.credentials().size()).isEqualTo(1);

            JsonObject login = call(page, "login", null);
            assertThat(login.get("api").getAsInt()).isEqualTo(200);
            assertThat(payload(login.get("id_token").getAsString()).get("sub").getAsString())
                .isEqualTo(idToken.get("sub").getAsString());
            JsonObject access = payload(login.get("access_token").getAsString());
            assertThat(access.get("iss").getAsString()).isEqualTo(GatehouseSystem.HTTPS_URL + "/");

            // The quickstart SPA itself, its config.json asking for passkeys on the HTTPS
            // domain.
            system.replaceSpa(Map.of("SPA_DOMAIN", DOMAIN, "SPA_PASSKEYS", "true"));
            Spa spa = new Spa(page).open("/");
            spa.assertLoggedOut();
            page.getByTestId("passkey-login-button").click();
            spa.assertLoggedIn();
            spa.goTo("External API");
            spa.pingApiButton().click();
            assertThat(spa.apiResult()).containsText("Your access token was successfully validated!");

            // Every other flow works on the scheme-less HTTPS domain too: logout, then
            // the
            // password login through the redirect, on https://localhost:9443.
            spa.logOut();
            spa.assertLoggedOut();
            // No passkey left to offer: the login below is the password one.
            authenticator.clearCredentials();
            spa.logInButton().click();
            new LoginPage(page, GatehouseSystem.HTTPS_URL).signIn(DemoUser.DEMO);
            Locator skip = page.getByTestId("passkey-skip");
            ConsentPage consent = new ConsentPage(page);
            assertThat(skip.or(consent.acceptButton()).or(spa.logOutButton())).isVisible();
            if (skip.isVisible()) {
                skip.click();
            }
            PasskeyLoginIT.acceptConsentIfAsked(page, spa);
            spa.assertLoggedIn();
            spa.goTo("External API");
            spa.pingApiButton().click();
            assertThat(spa.apiResult()).containsText("Your access token was successfully validated!");
        }
        finally {
            system.restoreSpa();
        }
    }

    /**
     * A page served by the SPA's own server on the SPA's origin
     * ({@code http://localhost:4200}, the demo client's web origin) that loads the SDK's
     * own bundle and nothing else.
     */
    static Path sdkPage() throws IOException {
        Path dir = GatehouseSystem.freshDirectory(GatehouseSystem.buildDir().resolve("sdk-page"));
        Files.copy(
                GatehouseSystem.repositoryRoot()
                    .resolve("spa/node_modules/@auth0/auth0-spa-js/dist/auth0-spa-js.production.js"),
                dir.resolve("auth0-spa-js.js"));
        Files.writeString(dir.resolve("index.html"), "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
                + "<title>SDK check</title><script src=\"/auth0-spa-js.js\"></script></head><body></body></html>");
        Files.writeString(dir.resolve("config.json"),
                "{\"domain\":\"" + DOMAIN
                        + "\",\"clientId\":\"gatehouse-spa\",\"audience\":\"https://gatehouse.local/api\",\"apiUrl\":\""
                        + GatehouseSystem.API_URL + "\"}");
        return dir;
    }

    /**
     * Runs {@code passkey.<what>()} with a new client and calls the API with the token.
     */
    static JsonObject call(Page page, String what, String email) {
        Object result = page.evaluate("""
                async ([what, domain, email, api]) => {
                  const client = new auth0.Auth0Client({ domain, clientId: 'gatehouse-spa',
                    authorizationParams: { audience: 'https://gatehouse.local/api' } });
                  const tokens = what === 'signup'
                    ? await client.passkey.signup({ email, name: 'SDK User' })
                    : await client.passkey.login();
                  const answer = await fetch(api + '/api/external',
                    { headers: { Authorization: 'Bearer ' + tokens.access_token } });
                  return JSON.stringify({ access_token: tokens.access_token, id_token: tokens.id_token,
                    api: answer.status });
                }
                """, java.util.List.of(what, DOMAIN, (email != null) ? email : "", GatehouseSystem.API_URL));
        return JsonParser.parseString((String) result).getAsJsonObject();
    }

    static JsonObject payload(String jwt) {
        String part = jwt.split("\\.")[1];
        return JsonParser.parseString(new String(Base64.getUrlDecoder().decode(part))).getAsJsonObject();
    }

}
