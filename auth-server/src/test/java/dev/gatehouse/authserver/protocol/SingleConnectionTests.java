package dev.gatehouse.authserver.protocol;

import static dev.gatehouse.authserver.protocol.OAuthTestClient.API;
import static dev.gatehouse.authserver.protocol.OAuthTestClient.SPA;
import static dev.gatehouse.authserver.protocol.OAuthTestClient.SPA_ORIGIN;
import static dev.gatehouse.authserver.protocol.OAuthTestClient.json;
import static dev.gatehouse.authserver.protocol.OAuthTestClient.location;
import static dev.gatehouse.authserver.protocol.OAuthTestClient.query;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import dev.gatehouse.authserver.AuthServerApplication;
import dev.gatehouse.authserver.mfa.TotpTestCodes;
import dev.gatehouse.authserver.passkey.SoftwareAuthenticator;
import dev.gatehouse.authserver.store.TestDatabases;
import tools.jackson.databind.JsonNode;

/**
 * No request needs a second database connection while it holds one: every flow works on a
 * pool of one. A path that takes a second connection inside a transaction (or while a
 * lock or a first connection is held) waits for itself here until the connection timeout
 * and is answered 503; on a pool of ten, ten such requests at once do the same to each
 * other. Flyway, which uses two connections at start, gets its own.
 */
class SingleConnectionTests {

    private static ConfigurableApplicationContext app;

    private static int port;

    @BeforeAll
    static void startOnOneConnection() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        String url = TestDatabases.newH2Url();
        // The issuer names the port: passkeys are checked against its origin.
        app = new SpringApplicationBuilder(AuthServerApplication.class).run("--server.port=" + port,
                "--gatehouse.issuer=http://localhost:" + port + "/", "--gatehouse.https.enabled=false",
                "--spring.datasource.url=" + url, "--spring.datasource.hikari.maximum-pool-size=1",
                "--spring.datasource.hikari.connection-timeout=3000", "--spring.flyway.url=" + url,
                "--spring.flyway.user=sa", "--spring.flyway.password=",
                "--gatehouse.tenant-file=" + ProtocolTestSupport.tenantFile());
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    @Test
    void aFullLoginWithConsentSilentAuthenticationRefreshRevocationAndLogoutWorksOnOneConnection() {
        OAuthTestClient browser = new OAuthTestClient(port);
        OAuthTestClient.Authorize authorize = new OAuthTestClient.Authorize().with("audience", API)
            .with("scope", "openid profile email offline_access read:messages");

        assertThat(location(browser.get(authorize.url()))).endsWith("/login");
        assertThat(location(browser.login("walter@example.com", "wrong-password"))).endsWith("/login?error");
        HttpResponse<String> consent = browser.follow(browser.login("walter@example.com", "Test-Passw0rd"));
        assertThat(consent.body()).as(consent.body()).contains("consent-accept");
        Map<String, String> callback = query(location(browser.accept(consent)));
        assertThat(callback).containsKey("code");
        HttpResponse<String> token = new GrantRaces(browser).exchange(authorize, callback.get("code"));
        assertThat(token.statusCode()).as(token.body()).isEqualTo(200);
        JsonNode tokens = json(token);
        assertThat(OAuthTestClient.jwt(tokens.get("id_token").asString())[1].has("sid")).isTrue();

        HttpResponse<String> silent = browser.get(authorize.with("prompt", "none").url());
        assertThat(query(location(silent))).as(silent.body()).containsKey("code");

        String refreshToken = tokens.get("refresh_token").asString();
        for (int i = 0; i < 3; i++) {
            HttpResponse<String> refreshed = new GrantRaces(browser).refresh(refreshToken);
            assertThat(refreshed.statusCode()).as(refreshed.body()).isEqualTo(200);
            refreshToken = json(refreshed).get("refresh_token").asString();
            HttpResponse<String> userinfo = new GrantRaces(browser)
                .userinfo(json(refreshed).get("access_token").asString());
            assertThat(userinfo.statusCode()).as(userinfo.body()).isEqualTo(200);
        }
        HttpResponse<String> revoke = browser.postForm("/oauth/revoke", Map.of("client_id", SPA, "token", refreshToken),
                "Origin", SPA_ORIGIN);
        assertThat(revoke.statusCode()).as(revoke.body()).isEqualTo(200);
        assertThat(new GrantRaces(browser).refresh(refreshToken).statusCode()).isEqualTo(400);

        assertThat(location(browser.get("/v2/logout?client_id=gatehouse-spa&returnTo=" + SPA_ORIGIN)))
            .isEqualTo(SPA_ORIGIN);
        assertThat(query(location(browser.get(authorize.with("prompt", "none").url())))).containsEntry("error",
                "login_required");
    }

    @Test
    void machineTokensWorkOnOneConnection() {
        OAuthTestClient machine = new OAuthTestClient(port);
        for (String secret : List.of("wrong-secret", "gatehouse-m2m-secret")) {
            HttpResponse<String> token = machine.postForm("/oauth/token", Map.of("grant_type", "client_credentials",
                    "client_id", "gatehouse-m2m", "client_secret", secret, "audience", API));
            assertThat(token.statusCode()).as(token.body()).isEqualTo(secret.startsWith("wrong") ? 401 : 200);
        }
    }

    @Test
    void aSecondFactorEnrolledAndARecoveryCodeUsedWorkOnOneConnection() {
        OAuthTestClient browser = new OAuthTestClient(port);
        browser.get(MultiFactorTests.stepUp().url());
        HttpResponse<String> choice = browser
            .follow(browser.login("totp-enroll@example.com", MultiFactorTests.PASSWORD));
        assertThat(choice.body()).as(choice.body()).contains("data-testid=\"mfa-enroll-otp\"");
        HttpResponse<String> enroll = browser.get("/mfa/enroll/otp");
        String secret = PageSteps.secret(enroll.body());
        HttpResponse<String> wrong = PageSteps.postCode(browser, "/mfa/enroll/otp", enroll.body(), "000000");
        assertThat(wrong.body()).as(wrong.body()).contains("data-testid=\"mfa-error\"");
        HttpResponse<String> codesPage = PageSteps.postCode(browser, "/mfa/enroll/otp", wrong.body(),
                TotpTestCodes.code(secret, Instant.now()));
        List<String> recoveryCodes = MultiFactorTests.recoveryCodes(codesPage.body());
        assertThat(recoveryCodes).as(codesPage.body()).hasSize(10);

        OAuthTestClient other = new OAuthTestClient(port);
        other.get(MultiFactorTests.stepUp().url());
        assertThat(other.follow(other.login("totp-enroll@example.com", MultiFactorTests.PASSWORD)).body())
            .contains("data-testid=\"mfa-code\"");
        HttpResponse<String> recovered = PageSteps.postCode(other, "/mfa/recovery", other.get("/mfa").body(),
                recoveryCodes.get(0));
        assertThat(recovered.statusCode()).as(recovered.body()).isEqualTo(302);
    }

    @Test
    void aPasskeyRegisteredAndUsedToSignInWorksOnOneConnection() {
        String origin = "http://localhost:" + port;
        SoftwareAuthenticator authenticator = new SoftwareAuthenticator();
        OAuthTestClient browser = new OAuthTestClient(port);
        browser.login("passkey-hosted@example.com", "Test-Passw0rd");
        HttpResponse<String> registered = PageSteps.register(browser, authenticator, "Laptop", origin);
        assertThat(registered.statusCode()).as(registered.body()).isEqualTo(200);

        OAuthTestClient other = new OAuthTestClient(port);
        String[] assertion = PageSteps.assertion(other, authenticator, "/login", origin);
        HttpResponse<String> signedIn = other.postJson("/login/webauthn", assertion[1], "X-CSRF-TOKEN", assertion[0]);
        assertThat(signedIn.statusCode()).as(signedIn.body()).isEqualTo(200);
    }

}
