package dev.gatehouse.e2e;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import com.microsoft.playwright.Page;
import com.microsoft.playwright.Request;
import dev.gatehouse.e2e.pages.Spa;
import dev.gatehouse.e2e.support.Chromium;
import dev.gatehouse.e2e.support.DemoUser;
import dev.gatehouse.e2e.support.GatehouseSystem;
import dev.gatehouse.e2e.support.UrlPatterns;
import dev.gatehouse.launcher.Settings;
import dev.gatehouse.launcher.Supervisor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The built SPA and API, unmodified, complete the quickstart's checkpoint against another
 * Auth0-shaped issuer by configuration alone: a tenant that registers
 * {@code http://localhost:<port>/} (with the trailing slash) as callback and logout URL,
 * another API identifier and another permission.
 *
 * <p>
 * The other issuer is our authorization server started on its own free ports with a
 * tenant file of its own ({@code other-issuer/tenant.yaml}: a Deploy CLI style export
 * without client ids, its SPA address a keyword from the environment). The API gets its
 * issuer, audience and permission from environment variables; the SPA server gets a
 * config file ({@code SPA_CONFIG_FILE}) and the rest from {@code SPA_*} variables.
 * Nothing of the demo system is used, so this class needs none of the fixed ports.
 */
@ExtendWith(Chromium.class)
class AnotherIssuerByConfigurationIT {

    private static final DemoUser ALICE = new DemoUser("alice@example.com", "Alice-Passw0rd");

    private static final Supervisor supervisor = new Supervisor(System.out);

    private static String authServerUrl;

    private static String spaUrl;

    @BeforeAll
    static void startAnotherIssuerTheApiAndTheSpa() throws IOException {
        Path resources = Paths.get("src/test/resources/other-issuer").toAbsolutePath();
        // The launcher's own servers (its Java and flags, the issuer following the port),
        // on free ports, each told about the other issuer through its settings alone.
        Settings settings = GatehouseSystem.besideTheMainSystem("another-issuer");
        authServerUrl = settings.authServerUrl();
        spaUrl = settings.spaUrl();
        GatehouseSystem.startBeside(supervisor, settings, resources,
                Map.of("SPRING_SECURITY_OAUTH2_RESOURCESERVER_JWT_AUDIENCES", "https://orders.example/api",
                        "GATEHOUSE_API_PRIVATE_SCOPED_PERMISSION", "read:orders"),
                Map.of("SPA_CLIENT_ID", derivedClientId("Orders SPA"), "SPA_REDIRECT_URI", spaUrl + "/",
                        "SPA_LOGOUT_RETURN_TO", spaUrl + "/", "SPA_PRIVATE_SCOPED_PERMISSION", "read:orders"));
    }

    @AfterAll
    static void stop() {
        supervisor.stopAll();
    }

    @Test
    void builtSpaAndApiCompleteTheCheckpointAgainstATenantWithTrailingSlashCallbacks(Page page) {
        List<String> authServerRequests = new CopyOnWriteArrayList<>();
        page.onRequest((request) -> {
            if (request.url().startsWith(authServerUrl + "/authorize")
                    || request.url().startsWith(authServerUrl + "/v2/logout")) {
                authServerRequests.add(request.url());
            }
        });
        Spa spa = new Spa(page, spaUrl, authServerUrl).open("/");
        spa.assertLoggedOut();

        spa.logIn(ALICE);
        assertThat(queryParameter(authServerRequests.get(0), "redirect_uri")).isEqualTo(spaUrl + "/");
        assertThat(queryParameter(authServerRequests.get(0), "scope")).isEqualTo("openid profile email read:orders");

        spa.goTo("External API");
        Request apiCall = page.waitForRequest("**/api/external", () -> spa.pingApiButton().click());
        assertThat(spa.apiResult()).containsText("Your access token was successfully validated!");
        assertThat(apiCall.headerValue("authorization")).startsWith("Bearer ");
        page.getByTestId("call-private-scoped").click();
        assertThat(spa.apiStatus()).containsText("200 OK");
        assertThat(page.getByTestId("token-summary")).containsText("grants read:orders");

        page.reload();
        spa.assertLoggedIn();

        spa.logOut();
        assertThat(page).hasURL(UrlPatterns.exactly(spaUrl));
        spa.assertLoggedOut();
        String logout = authServerRequests.stream()
            .filter((url) -> url.contains("/v2/logout"))
            .findFirst()
            .orElseThrow();
        assertThat(queryParameter(logout, "returnTo")).isEqualTo(spaUrl + "/");
    }

    private static String queryParameter(String url, String name) {
        for (String pair : URI.create(url).getRawQuery().split("&")) {
            String[] parts = pair.split("=", 2);
            if (parts[0].equals(name)) {
                return URLDecoder.decode(parts.length > 1 ? parts[1] : "", StandardCharsets.UTF_8);
            }
        }
        throw new AssertionError(name + " is not in " + url);
    }

    /**
     * The tenant file's rule for a client without client_id: SHA-256 of the name, 32 hex
     * digits.
     */
    private static String derivedClientId(String name) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(name.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest).substring(0, 32);
        }
        catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException(ex);
        }
    }

}
