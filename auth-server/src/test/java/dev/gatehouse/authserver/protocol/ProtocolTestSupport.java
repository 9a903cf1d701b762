package dev.gatehouse.authserver.protocol;

import static dev.gatehouse.authserver.protocol.OAuthTestClient.API;
import static dev.gatehouse.authserver.protocol.OAuthTestClient.SPA;
import static dev.gatehouse.authserver.protocol.OAuthTestClient.SPA_ORIGIN;
import static dev.gatehouse.authserver.protocol.OAuthTestClient.json;
import static dev.gatehouse.authserver.protocol.OAuthTestClient.jwt;
import static dev.gatehouse.authserver.protocol.OAuthTestClient.location;
import static dev.gatehouse.authserver.protocol.OAuthTestClient.query;
import static dev.gatehouse.authserver.protocol.OAuthTestClient.webMessage;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.SignedJWT;

import dev.gatehouse.authserver.config.GatehouseProperties;
import tools.jackson.databind.JsonNode;

/**
 * Shared setup of the HTTP-level protocol tests: the real application on a random port
 * with the real store beans, on an H2 file database in a temporary directory. All
 * subclasses share one application context.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
abstract class ProtocolTestSupport {

    static final String ISSUER = GatehouseProperties.DEFAULT_ISSUER;

    @LocalServerPort
    int port;

    OAuthTestClient browser;

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) throws IOException {
        Path dir = Files.createTempDirectory("gatehouse-protocol-");
        registry.add("spring.datasource.url", () -> "jdbc:h2:file:" + dir.resolve("db")
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH");
        registry.add("gatehouse.tenant-file", ProtocolTestSupport::tenantFile);
    }

    /**
     * The demo tenant plus a user per consent-sensitive test (consent is remembered
     * across tests).
     */
    static String tenantFile() {
        try {
            return Path.of(ProtocolTestSupport.class.getResource("/protocol/protocol-tenant.yaml").toURI()).toString();
        }
        catch (java.net.URISyntaxException ex) {
            throw new IllegalStateException(ex);
        }
    }

    @BeforeEach
    void newBrowser() {
        this.browser = new OAuthTestClient(this.port);
    }

    /**
     * Logs in as the demo user, accepts consent if asked, and returns the redirect to the
     * client.
     */
    HttpResponse<String> loginAndAuthorize(OAuthTestClient.Authorize authorize, String email, String password) {
        HttpResponse<String> first = this.browser.get(authorize.url());
        assertThat(location(first)).endsWith("/login");
        HttpResponse<String> afterLogin = this.browser.login(email, password);
        HttpResponse<String> result = this.browser.follow(afterLogin);
        if (result.statusCode() == 200 && result.body().contains("consent-accept")) {
            result = this.browser.accept(result);
        }
        return result;
    }

    Map<String, String> codeResponse(HttpResponse<String> redirect) {
        assertThat(redirect.statusCode()).isEqualTo(302);
        assertThat(location(redirect)).startsWith(SPA_ORIGIN + "?");
        return query(location(redirect));
    }

    JsonNode exchange(OAuthTestClient.Authorize authorize, String code) {
        HttpResponse<String> token = this.browser.postForm("/oauth/token", authorize.tokenRequest(code), "Origin",
                SPA_ORIGIN, "Auth0-Client", "eyJuYW1lIjoiYXV0aDAtc3BhLWpzIn0=");
        assertThat(token.statusCode()).as(token.body()).isEqualTo(200);
        return json(token);
    }

    JsonNode refresh(String refreshToken, int expectedStatus) {
        HttpResponse<String> response = this.browser.postForm("/oauth/token", Map.of("client_id", SPA, "redirect_uri",
                SPA_ORIGIN, "grant_type", "refresh_token", "refresh_token", refreshToken), "Origin", SPA_ORIGIN);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(expectedStatus);
        assertThat(response.headers().firstValue("Access-Control-Allow-Origin")).contains(SPA_ORIGIN);
        return json(response);
    }

    OAuthTestClient.Authorize apiRequest() {
        return new OAuthTestClient.Authorize().with("audience", API)
            .with("scope", "openid profile email offline_access read:messages");
    }

    static List<String> strings(JsonNode node) {
        List<String> out = new ArrayList<>();
        if (node == null) {
            return out;
        }
        if (node.isString()) {
            out.add(node.asString());
        }
        else {
            node.forEach(n -> out.add(n.asString()));
        }
        return out;
    }

}
