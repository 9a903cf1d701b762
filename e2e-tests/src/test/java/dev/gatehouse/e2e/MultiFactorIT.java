package dev.gatehouse.e2e;

import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Route;

import dev.gatehouse.e2e.pages.LoginPage;
import dev.gatehouse.e2e.support.Chromium;
import dev.gatehouse.e2e.support.GatehouseSystem;
import dev.gatehouse.e2e.support.TotpCodes;
import dev.gatehouse.e2e.support.UrlPatterns;
import dev.gatehouse.launcher.ServerProcess;
import dev.gatehouse.launcher.Servers;
import dev.gatehouse.launcher.Settings;
import dev.gatehouse.launcher.Supervisor;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A tenant whose policy requires a second factor for every login (Deploy CLI
 * {@code guardianPolicies: [all-applications]}), on an authorization server of its own
 * started by the launcher's code: the first login enrolls an authenticator app (QR code
 * drawn by the page, recovery codes shown once), the next asks for a code; the codes are
 * computed by the test from the secret the page shows. The application's callback is
 * answered by the test.
 */
@ExtendWith(Chromium.class)
@Order(1002)
class MultiFactorIT {

    static final String CALLBACK = "http://localhost:4299/callback";

    static final Supervisor supervisor = new Supervisor(System.out);

    static String authServerUrl;

    @BeforeAll
    static void startAuthServerWithTheAlwaysTenant() {
        Settings settings = GatehouseSystem.besideTheMainSystem("mfa-always");
        authServerUrl = settings.authServerUrl();
        ServerProcess authServer = Servers.of(settings)
            .authServer()
            .withEnvironment(Map.of("GATEHOUSE_TENANT_FILE",
                    Paths.get("src/test/resources/mfa-always/tenant.yaml").toAbsolutePath().toString()))
            .withEnvironment(GatehouseSystem.httpsDirectory());
        try {
            supervisor.launch(authServer);
            supervisor.awaitReady(authServer, Servers.STARTUP_TIMEOUT);
        }
        catch (RuntimeException ex) {
            supervisor.stopAll();
            throw ex;
        }
    }

    @AfterAll
    static void stop() {
        supervisor.stopAll();
    }

    @Test
    void firstLoginEnrollsAnAuthenticatorAppAndTheNextAsksForItsCode(Page page, BrowserContext context)
            throws Exception {
        Authorization first = new Authorization();
        page.navigate(first.url());
        new LoginPage(page, authServerUrl).signIn("mfa@example.com", "Mfa-Passw0rd");

        assertThat(page).hasURL(UrlPatterns.startingWith(authServerUrl + "/mfa"));
        page.getByTestId("mfa-enroll-otp").click();
        assertThat(page.getByTestId("mfa-qr")).isVisible();
        String secret = page.getByTestId("mfa-secret").textContent().trim();
        page.getByTestId("mfa-code").fill("123456".equals(TotpCodes.code(secret, Instant.now())) ? "654321" : "123456");
        page.getByTestId("mfa-verify").click();
        assertThat(page.getByTestId("mfa-error")).isVisible();
        page.getByTestId("mfa-code").fill(TotpCodes.code(secret, Instant.now()));
        page.getByTestId("mfa-verify").click();
        assertThat(page.getByTestId("mfa-recovery-code-value")).hasCount(10);
        String code = first.finish(page, () -> page.getByTestId("mfa-continue").click());
        JsonObject idToken = first.exchange(code);
        assertThat(idToken.getAsJsonArray("amr").toString()).contains("\"otp\"", "\"mfa\"");

        Page next = context.browser().newContext().newPage();
        try {
            Authorization second = new Authorization();
            next.navigate(second.url());
            new LoginPage(next, authServerUrl).signIn("mfa@example.com", "Mfa-Passw0rd");
            assertThat(next.getByTestId("mfa-code")).isVisible();
            // The code just used is refused; the next one (its step has not been used) is
            // not.
            next.getByTestId("mfa-code").fill(TotpCodes.code(secret, Instant.now().minusSeconds(30)));
            next.getByTestId("mfa-verify").click();
            assertThat(next.getByTestId("mfa-error")).isVisible();
            next.getByTestId("mfa-code").fill(TotpCodes.code(secret, Instant.now().plusSeconds(30)));
            String secondCode = second.finish(next, () -> next.getByTestId("mfa-verify").click());
            assertThat(second.exchange(secondCode).getAsJsonArray("amr").toString()).contains("\"otp\"");
        }
        finally {
            next.context().close();
        }
    }

    /** One authorization request with PKCE, whose callback the test answers. */
    static final class Authorization {

        final String verifier = random();

        String url() {
            Map<String, String> query = new LinkedHashMap<>();
            query.put("client_id", "mfa-app");
            query.put("response_type", "code");
            query.put("redirect_uri", CALLBACK);
            query.put("scope", "openid profile email");
            query.put("state", "s" + System.nanoTime());
            query.put("code_challenge", challenge(this.verifier));
            query.put("code_challenge_method", "S256");
            StringBuilder url = new StringBuilder(authServerUrl + "/authorize?");
            query.forEach((k,
                    v) -> url.append(k).append('=').append(URLEncoder.encode(v, StandardCharsets.UTF_8)).append('&'));
            return url.toString();
        }

        /**
         * Does {@code step}, accepts consent if asked, and returns the code the callback
         * got.
         */
        String finish(Page page, Runnable step) {
            AtomicReference<String> callback = new AtomicReference<>();
            page.route(CALLBACK + "**", (Route route) -> {
                callback.set(route.request().url());
                route.fulfill(new Route.FulfillOptions().setStatus(200).setContentType("text/html").setBody("done"));
            });
            step.run();
            page.waitForCondition(() -> callback.get() != null || page.getByTestId("consent-accept").isVisible());
            if (callback.get() == null) {
                page.getByTestId("consent-accept").click();
                page.waitForCondition(() -> callback.get() != null);
            }
            String query = URI.create(callback.get()).getRawQuery();
            for (String pair : query.split("&")) {
                if (pair.startsWith("code=")) {
                    return URLDecoder.decode(pair.substring(5), StandardCharsets.UTF_8);
                }
            }
            throw new AssertionError("no code in " + callback.get());
        }

        JsonObject exchange(String code) throws IOException, InterruptedException {
            String form = "grant_type=authorization_code&client_id=mfa-app&code="
                    + URLEncoder.encode(code, StandardCharsets.UTF_8) + "&redirect_uri="
                    + URLEncoder.encode(CALLBACK, StandardCharsets.UTF_8) + "&code_verifier=" + this.verifier;
            HttpResponse<String> response = HttpClient.newHttpClient()
                .send(HttpRequest.newBuilder(URI.create(authServerUrl + "/oauth/token"))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(form))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            String idToken = JsonParser.parseString(response.body()).getAsJsonObject().get("id_token").getAsString();
            return JsonParser
                .parseString(new String(Base64.getUrlDecoder().decode(idToken.split("\\.")[1]), StandardCharsets.UTF_8))
                .getAsJsonObject();
        }

    }

    static String random() {
        byte[] bytes = new byte[32];
        new java.security.SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    static String challenge(String verifier) {
        try {
            return Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(
                        MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII)));
        }
        catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException(ex);
        }
    }

}
