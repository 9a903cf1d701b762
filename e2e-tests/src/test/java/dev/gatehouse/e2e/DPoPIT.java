package dev.gatehouse.e2e;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static dev.gatehouse.e2e.RefreshTokenIT.json;
import static dev.gatehouse.e2e.RefreshTokenIT.payload;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

import com.google.gson.JsonObject;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Request;
import com.microsoft.playwright.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.gatehouse.e2e.pages.Spa;
import dev.gatehouse.e2e.support.Chromium;
import dev.gatehouse.e2e.support.ContentSecurityPolicyWatch;
import dev.gatehouse.e2e.support.DemoUser;
import dev.gatehouse.e2e.support.GatehouseSystem;
import dev.gatehouse.launcher.Settings;
import dev.gatehouse.launcher.Supervisor;

/**
 * DPoP end to end: the official SDK with {@code useDpop: true} in {@code config.json},
 * our authorization server, and an API that requires DPoP
 * ({@code gatehouse.api.dpop.required=true}, an API with Auth0's
 * {@code proof_of_possession.required}). The quickstart's checkpoint (login, consent,
 * Ping API) passes with every token the SPA gets bound to its key; a reload renews
 * silently with a bound token, and so does a refresh-token rotation; and the same tokens
 * replayed outside the browser, as curl would, get 401 (and the refresh token 400).
 *
 * <p>
 * Its own system on free ports, started by the launcher's own code, like
 * {@link AnotherIssuerByConfigurationIT}.
 */
@ExtendWith(Chromium.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DPoPIT {

    private static final DemoUser DANA = new DemoUser("dana@example.com", "Dana-Passw0rd");

    private static final Supervisor supervisor = new Supervisor(System.out);

    private static final HttpClient curl = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static String authServerUrl;

    private static String spaUrl;

    private static String apiUrl;

    private static Predicate<Response> tokenEndpoint;

    @BeforeAll
    static void startTheSystemWithDPoPRequired() throws IOException {
        Path resources = Paths.get("src/test/resources/dpop").toAbsolutePath();
        Settings settings = GatehouseSystem.besideTheMainSystem("dpop");
        authServerUrl = settings.authServerUrl();
        spaUrl = settings.spaUrl();
        apiUrl = settings.apiUrl();
        tokenEndpoint = (response) -> response.url().equals(authServerUrl + "/oauth/token")
                && "POST".equals(response.request().method());
        GatehouseSystem.startBeside(supervisor, settings, resources,
                Map.of("SPRING_SECURITY_OAUTH2_RESOURCESERVER_JWT_AUDIENCES", "https://dpop.example/api",
                        "GATEHOUSE_API_DPOP_REQUIRED", "true"),
                Map.of());
    }

    @AfterAll
    static void stop() {
        supervisor.stopAll();
    }

    @Test
    @Order(1)
    void checkpointWithDPoPThenSilentRenewalOnReloadAndAStolenTokenIsUselessOutsideTheBrowser(Page page) {
        ContentSecurityPolicyWatch csp = ContentSecurityPolicyWatch.on(page, spaUrl);
        List<Response> tokenAnswers = new CopyOnWriteArrayList<>();
        page.onResponse((response) -> {
            if (tokenEndpoint.test(response)) {
                tokenAnswers.add(response);
            }
        });
        Spa spa = new Spa(page, spaUrl, authServerUrl).open("/");
        spa.assertLoggedOut();
        spa.logIn(DANA);

        spa.goTo("External API");
        Request apiCall = page.waitForRequest("**/api/external", () -> spa.pingApiButton().click());
        assertThat(spa.apiResult()).containsText("Your access token was successfully validated!");
        assertThat(apiCall.headerValue("authorization")).startsWith("DPoP ");
        assertThat(apiCall.headerValue("dpop")).isNotBlank();
        assertThat(page.getByTestId("token-binding")).containsText("DPoP-bound");
        Request tokenRequest = tokenAnswers.get(0).request();
        assertThat(tokenRequest.headerValue("dpop")).as("the code exchange carries a proof").isNotBlank();

        page.reload();
        spa.assertLoggedIn();
        spa.goTo("External API");
        Request afterReload = page.waitForRequest("**/api/external", () -> spa.pingApiButton().click());
        assertThat(spa.apiResult()).containsText("Your access token was successfully validated!");
        assertThat(tokenAnswers).as("login and the silent renewal after the reload").hasSizeGreaterThanOrEqualTo(2);
        assertEveryTokenIsBound(tokenAnswers);
        csp.assertEnforcedWithoutViolations();

        // What an attacker who stole the token (an XSS, a log) and the last proof can do
        // with curl: nothing.
        String token = afterReload.headerValue("authorization").substring("DPoP ".length());
        String proof = afterReload.headerValue("dpop");
        assertThat(apiStatus("Bearer " + token, null)).as("replayed as bearer").isEqualTo(401);
        assertThat(apiStatus("DPoP " + token, null)).as("without a proof").isEqualTo(401);
        assertThat(apiStatus("DPoP " + token, proof)).as("with the captured proof").isEqualTo(401);
    }

    @Test
    @Order(2)
    void refreshTokenRotationKeepsEveryTokenBoundAndTheRefreshTokenIsUselessWithoutTheKey(Page page) {
        page.route("**/config.json", RefreshTokenIT::withRefreshTokens);
        List<Response> tokenAnswers = new CopyOnWriteArrayList<>();
        page.onResponse((response) -> {
            if (tokenEndpoint.test(response)) {
                tokenAnswers.add(response);
            }
        });
        Spa spa = new Spa(page, spaUrl, authServerUrl).open("/");
        spa.logIn(DANA);
        spa.goTo("External API");

        Response refresh = page.waitForResponse(tokenEndpoint, () -> spa.refreshTokenButton().click());
        assertThat(refresh.status()).isEqualTo(200);
        assertThat(refresh.request().postData()).contains("grant_type=refresh_token");
        assertThat(refresh.request().headerValue("dpop")).as("the refresh carries a proof").isNotBlank();
        assertThat(page.getByTestId("token-binding")).containsText("DPoP-bound");
        Request apiCall = page.waitForRequest("**/api/external", () -> spa.pingApiButton().click());
        assertThat(spa.apiResult()).containsText("Your access token was successfully validated!");
        assertThat(apiCall.headerValue("authorization")).startsWith("DPoP ");
        assertEveryTokenIsBound(tokenAnswers);

        String refreshToken = json(refresh).get("refresh_token").getAsString();
        HttpResponse<String> stolen = send(HttpRequest.newBuilder(URI.create(authServerUrl + "/oauth/token"))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers
                .ofString("grant_type=refresh_token&client_id=dpop-spa&refresh_token=" + refreshToken)));
        assertThat(stolen.statusCode()).isEqualTo(400);
        assertThat(stolen.body()).contains("invalid_dpop_proof");
    }

    private static void assertEveryTokenIsBound(List<Response> tokenAnswers) {
        assertThat(tokenAnswers).isNotEmpty().allSatisfy((answer) -> {
            JsonObject tokens = json(answer);
            assertThat(answer.status()).isEqualTo(200);
            assertThat(tokens.get("token_type").getAsString()).isEqualTo("DPoP");
            JsonObject claims = payload(tokens.get("access_token").getAsString());
            assertThat(claims.getAsJsonObject("cnf").get("jkt").getAsString()).isNotBlank();
        });
        // One key for all of them: the browser's.
        assertThat(tokenAnswers.stream()
            .map((answer) -> payload(json(answer).get("access_token").getAsString()).getAsJsonObject("cnf")
                .get("jkt")
                .getAsString())
            .distinct()).hasSize(1);
    }

    private static int apiStatus(String authorization, String proof) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(apiUrl + "/api/external"))
            .header("Authorization", authorization);
        if (proof != null) {
            request.header("DPoP", proof);
        }
        return send(request.GET()).statusCode();
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return curl.send(request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }

}
