package dev.gatehouse.authserver.protocol;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import dev.gatehouse.authserver.AuthServerApplication;
import dev.gatehouse.authserver.mfa.TotpTestCodes;
import tools.jackson.databind.JsonNode;

import static dev.gatehouse.authserver.protocol.OAuthTestClient.jwt;
import static dev.gatehouse.authserver.protocol.OAuthTestClient.location;
import static dev.gatehouse.authserver.protocol.OAuthTestClient.query;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A tenant with {@code guardianPolicies: [all-applications]}: every login needs the
 * second factor, without the application asking, silent ones included; only the enabled
 * factor (an authenticator app here) is offered.
 */
class AlwaysMultiFactorTests {

    static ConfigurableApplicationContext app;

    static int port;

    @BeforeAll
    static void start() throws IOException, java.net.URISyntaxException {
        Path dir = Files.createTempDirectory("gatehouse-mfa-always-");
        String tenant = Path.of(AlwaysMultiFactorTests.class.getResource("/mfa/always-tenant.yaml").toURI()).toString();
        app = new SpringApplicationBuilder(AuthServerApplication.class).run("--server.port=0",
                "--spring.datasource.url=jdbc:h2:file:" + dir.resolve("db")
                        + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH",
                "--gatehouse.tenant-file=" + tenant);
        port = ((WebServerApplicationContext) app).getWebServer().getPort();
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    @Test
    void everyLoginGoesThroughTheSecondFactorAndTokensSaySo() {
        OAuthTestClient browser = new OAuthTestClient(port);
        OAuthTestClient.Authorize authorize = new OAuthTestClient.Authorize();
        browser.get(authorize.url());
        HttpResponse<String> choice = browser.follow(browser.login("always@example.com", "Test-Passw0rd"));
        assertThat(choice.body()).contains("data-testid=\"mfa-enroll-otp\"")
            .doesNotContain("data-testid=\"mfa-enroll-passkey\"");

        HttpResponse<String> enroll = browser.get("/mfa/enroll/otp");
        String secret = PageSteps.secret(enroll.body());
        HttpResponse<String> done = PageSteps.postCode(browser, "/mfa/enroll/otp", enroll.body(),
                TotpTestCodes.code(secret, Instant.now()));
        // No recovery codes: the factor is not enabled.
        assertThat(done.statusCode()).isEqualTo(302);
        HttpResponse<String> result = browser.follow(done);
        if (result.statusCode() == 200 && result.body().contains("consent-accept")) {
            result = browser.accept(result);
        }
        Map<String, String> response = query(location(result));
        HttpResponse<String> token = browser.postForm("/oauth/token", authorize.tokenRequest(response.get("code")),
                "Origin", "http://localhost:4200");
        JsonNode id = jwt(OAuthTestClient.json(token).get("id_token").asString())[1];
        assertThat(ProtocolTestSupport.strings(id.get("amr"))).contains("pwd", "otp", "mfa");
        assertThat(id.has("acr")).isFalse();

        // The next login asks for a code again.
        OAuthTestClient again = new OAuthTestClient(port);
        again.get(new OAuthTestClient.Authorize().url());
        assertThat(again.follow(again.login("always@example.com", "Test-Passw0rd")).body())
            .contains("data-testid=\"mfa-code\"");
    }

    @Test
    void authorizationRequestByPostNeverSkipsTheFactor() {
        OAuthTestClient browser = new OAuthTestClient(port);
        browser.get(new OAuthTestClient.Authorize().url());
        browser.login("silent@example.com", "Test-Passw0rd");

        HttpResponse<String> posted = browser.postForm("/authorize", new OAuthTestClient.Authorize().params);
        HttpResponse<String> page = browser.follow(posted);
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("data-testid=\"mfa-");
        HttpResponse<String> silent = browser.get(location(browser.postForm("/authorize",
                new OAuthTestClient.Authorize().with("prompt", "none").with("response_mode", "query").params)));
        assertThat(query(location(silent))).containsEntry("error", "interaction_required");
    }

    @Test
    void silentAuthenticationNeverSkipsTheFactor() {
        OAuthTestClient browser = new OAuthTestClient(port);
        browser.get(new OAuthTestClient.Authorize().url());
        browser.login("silent@example.com", "Test-Passw0rd");
        HttpResponse<String> silent = browser
            .get(new OAuthTestClient.Authorize().with("prompt", "none").with("response_mode", "query").url());
        assertThat(query(location(silent))).containsEntry("error", "interaction_required");
    }

}
