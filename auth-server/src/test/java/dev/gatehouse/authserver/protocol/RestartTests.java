package dev.gatehouse.authserver.protocol;

import static dev.gatehouse.authserver.protocol.OAuthTestClient.API;
import static dev.gatehouse.authserver.protocol.OAuthTestClient.SPA;
import static dev.gatehouse.authserver.protocol.OAuthTestClient.SPA_ORIGIN;
import static dev.gatehouse.authserver.protocol.OAuthTestClient.json;
import static dev.gatehouse.authserver.protocol.OAuthTestClient.location;
import static dev.gatehouse.authserver.protocol.OAuthTestClient.query;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import dev.gatehouse.authserver.AuthServerApplication;
import tools.jackson.databind.JsonNode;

/**
 * A restart keeps a user's consent and refresh token valid (issue item 7 and 8), with the
 * real application twice.
 */
class RestartTests {

    @TempDir
    Path dir;

    private ConfigurableApplicationContext start() {
        return new SpringApplicationBuilder(AuthServerApplication.class).run("--server.port=0",
                "--spring.datasource.url=jdbc:h2:file:" + this.dir.resolve("db")
                        + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH",
                "--gatehouse.tenant-file=" + ProtocolTestSupport.tenantFile());
    }

    private static int port(ConfigurableApplicationContext context) {
        return ((WebServerApplicationContext) context).getWebServer().getPort();
    }

    @Test
    void restartKeepsConsentAndRefreshTokenValid() {
        OAuthTestClient.Authorize authorize = new OAuthTestClient.Authorize().with("audience", API)
            .with("scope", "openid profile email offline_access read:messages");
        String refreshToken;
        String accessToken;
        try (ConfigurableApplicationContext first = start()) {
            OAuthTestClient browser = new OAuthTestClient(port(first));
            browser.get(authorize.url());
            HttpResponse<String> consent = browser.follow(browser.login("frank@example.com", "Test-Passw0rd"));
            assertThat(consent.body()).contains("consent-accept");
            Map<String, String> callback = query(location(browser.accept(consent)));
            HttpResponse<String> token = browser.postForm("/oauth/token", authorize.tokenRequest(callback.get("code")),
                    "Origin", SPA_ORIGIN);
            assertThat(token.statusCode()).as(token.body()).isEqualTo(200);
            refreshToken = json(token).get("refresh_token").asString();
            accessToken = json(token).get("access_token").asString();
        }

        try (ConfigurableApplicationContext second = start()) {
            OAuthTestClient browser = new OAuthTestClient(port(second));
            // The access token issued before the restart still verifies (persisted
            // signing key, stored authorization;
            // checked first: a refresh replaces the access token the authorization holds)
            assertThat(browser.get("/userinfo", "Authorization", "Bearer " + accessToken).statusCode()).isEqualTo(200);
            // The refresh token survives, and rotates as before
            HttpResponse<String> refreshed = browser.postForm("/oauth/token",
                    Map.of("client_id", SPA, "grant_type", "refresh_token", "refresh_token", refreshToken), "Origin",
                    SPA_ORIGIN);
            assertThat(refreshed.statusCode()).as(refreshed.body()).isEqualTo(200);
            JsonNode tokens = json(refreshed);
            assertThat(tokens.get("refresh_token").asString()).isNotEqualTo(refreshToken);
            assertThat(tokens.has("id_token")).isTrue();

            // The consent survives: a new login goes straight back to the client with a
            // code
            OAuthTestClient.Authorize again = new OAuthTestClient.Authorize().with("audience", API)
                .with("scope", "openid profile email offline_access read:messages");
            browser.get(again.url());
            HttpResponse<String> result = browser.follow(browser.login("frank@example.com", "Test-Passw0rd"));
            assertThat(result.statusCode()).isEqualTo(302);
            assertThat(query(location(result))).containsKey("code");
        }
    }

}
