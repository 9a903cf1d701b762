package dev.gatehouse.authserver.protocol;

import static dev.gatehouse.authserver.protocol.OAuthTestClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import dev.gatehouse.authserver.AuthServerApplication;
import tools.jackson.databind.JsonNode;

/**
 * A user removed from the tenant file, or marked {@code blocked}, keeps nothing: their
 * refresh tokens and {@code /userinfo} stop working, and what they held is revoked, after
 * a restart with the changed file and also when another instance made the change.
 */
class RemovedUserTests {

    private static final String TENANT = """
            clients:
              - name: Gatehouse SPA
                client_id: gatehouse-spa
                app_type: spa
                callbacks: [http://localhost:4200]
                web_origins: [http://localhost:4200]
                allowed_origins: [http://localhost:4200]
            resourceServers:
              - name: Gatehouse API
                identifier: https://gatehouse.local/api
                scopes: [{ value: read:messages }]
                allow_offline_access: true
                enforce_policies: true
                token_dialect: access_token_authz
                skip_consent_for_verifiable_first_party_clients: false
            roles:
              - name: reader
                permissions: [{ permission_name: read:messages, resource_server_identifier: https://gatehouse.local/api }]
            users:
              - { email: keep@example.com, password: Keep-Passw0rd, roles: [reader] }
            """;

    @TempDir
    Path dir;

    @Test
    void userRemovedFromTheTenantFileCanNoLongerRefreshOrCallUserinfoAfterARestart() throws IOException {
        JsonNode tokens;
        try (ConfigurableApplicationContext app = start(
                TENANT + "  - { email: zoe@example.com, password: " + "Zoe-Passw0rd, roles: [reader] }\n")) {
            tokens = new GrantRaces(browser(app)).tokens("zoe@example.com", "Zoe-Passw0rd");
        }
        try (ConfigurableApplicationContext app = start(TENANT)) {
            assertRevoked(app, tokens);
        }
    }

    @Test
    void blockedUserCanNoLongerSignInRefreshOrCallUserinfoAfterARestart() throws IOException {
        JsonNode tokens;
        try (ConfigurableApplicationContext app = start(
                TENANT + "  - { email: zoe@example.com, password: " + "Zoe-Passw0rd, roles: [reader] }\n")) {
            tokens = new GrantRaces(browser(app)).tokens("zoe@example.com", "Zoe-Passw0rd");
        }
        try (ConfigurableApplicationContext app = start(TENANT + "  - { email: zoe@example.com, password: "
                + "Zoe-Passw0rd, roles: [reader], blocked: true }\n")) {
            assertRevoked(app, tokens);
            OAuthTestClient browser = browser(app);
            browser.get(new OAuthTestClient.Authorize().url());
            HttpResponse<String> login = browser.login("zoe@example.com", "Zoe-Passw0rd");
            assertThat(OAuthTestClient.location(login)).endsWith("/login?error");
        }
    }

    @Test
    void userBlockedByAnotherInstanceIsRefusedAtTheNextRefreshAndUserinfoAndLosesTheSession() throws IOException {
        try (ConfigurableApplicationContext app = start(
                TENANT + "  - { email: zoe@example.com, password: " + "Zoe-Passw0rd, roles: [reader] }\n")) {
            OAuthTestClient browser = browser(app);
            JsonNode tokens = new GrantRaces(browser).tokens("zoe@example.com", "Zoe-Passw0rd");
            // What another instance's tenant import writes; this instance has not
            // restarted
            app.getBean(JdbcTemplate.class)
                .update("UPDATE user_account SET blocked = TRUE WHERE email = 'zoe@example.com'");

            GrantRaces.assertInvalidGrant(new GrantRaces(browser).refresh(tokens.get("refresh_token").asString()));
            assertThat(new GrantRaces(browser).userinfo(tokens.get("access_token").asString()).statusCode())
                .isEqualTo(401);
            assertThat(authorizationsOf(app, "zoe@example.com")).isZero();
            // The SSO session no longer signs anybody in: a silent request needs a login
            HttpResponse<String> silent = browser.get(new OAuthTestClient.Authorize().with("prompt", "none").url());
            assertThat(OAuthTestClient.query(OAuthTestClient.location(silent))).containsEntry("error",
                    "login_required");
        }
    }

    @Test
    void userBlockedWhileSignedInGetsNoCodeAtAPercentEncodedAuthorizePath() throws IOException {
        try (ConfigurableApplicationContext app = start(
                TENANT + "  - { email: zoe@example.com, password: " + "Zoe-Passw0rd, roles: [reader] }\n")) {
            OAuthTestClient browser = browser(app);
            new GrantRaces(browser).tokens("zoe@example.com", "Zoe-Passw0rd");
            app.getBean(JdbcTemplate.class)
                .update("UPDATE user_account SET blocked = TRUE WHERE email = 'zoe@example.com'");

            // The session is still there; the endpoint, however spelled, checks its user
            HttpResponse<String> silent = browser.get(new OAuthTestClient.Authorize().with("prompt", "none")
                .url()
                .replace("/authorize?", "/%61uthorize?"));
            assertThat(OAuthTestClient.query(OAuthTestClient.location(silent))).containsEntry("error", "login_required")
                .doesNotContainKey("code");
        }
    }

    private void assertRevoked(ConfigurableApplicationContext app, JsonNode tokens) {
        GrantRaces client = new GrantRaces(browser(app));
        GrantRaces.assertInvalidGrant(client.refresh(tokens.get("refresh_token").asString()));
        HttpResponse<String> userinfo = client.userinfo(tokens.get("access_token").asString());
        assertThat(userinfo.statusCode()).isEqualTo(401);
        assertThat(authorizationsOf(app, "zoe@example.com")).isZero();
    }

    private static int authorizationsOf(ConfigurableApplicationContext app, String email) {
        return app.getBean(JdbcTemplate.class)
            .queryForObject("SELECT COUNT(*) FROM oauth2_authorization a JOIN user_account u "
                    + "ON u.user_id = a.principal_name WHERE u.email = ?", Integer.class, email);
    }

    private ConfigurableApplicationContext start(String tenant) throws IOException {
        Path file = Files.writeString(this.dir.resolve("tenant.yaml"), tenant);
        return new SpringApplicationBuilder(AuthServerApplication.class).run("--server.port=0",
                "--spring.datasource.url=jdbc:h2:file:" + this.dir.resolve("db")
                        + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH",
                "--gatehouse.tenant-file=" + file);
    }

    private static OAuthTestClient browser(ConfigurableApplicationContext app) {
        return new OAuthTestClient(((WebServerApplicationContext) app).getWebServer().getPort());
    }

}
