package com.example.orders;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import dev.gatehouse.testkit.Gatehouse;
import dev.gatehouse.testkit.GatehouseTest;
import dev.gatehouse.testkit.TokenResponse;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A token the way the SPA gets one: a user logs in through the authorization server's
 * real login and consent pages (authorization code + PKCE, over HTTP, no browser). The
 * tenant is src/test/resources/orders-tenant.yaml; the annotation also points the API's
 * issuer-uri and audiences at this class's server.
 */
@GatehouseTest(tenant = "orders-tenant.yaml")
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class OrdersLoginFlowTests {

    @LocalServerPort
    int port;

    @Test
    void userLoggedInThroughTheRealCodeFlowReadsOrders(Gatehouse gatehouse) throws Exception {
        TokenResponse tokens = gatehouse.logIn("carol@example.com", "Carol-Passw0rd");

        HttpResponse<String> response = HttpClient.newHttpClient()
            .send(HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + "/api/orders"))
                .header("Authorization", "Bearer " + tokens.accessToken())
                .build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains(gatehouse.claims(tokens.accessToken()).get("sub").toString());
    }

    @Test
    void refreshedTokenStillReadsOrders(Gatehouse gatehouse) throws Exception {
        TokenResponse login = gatehouse.logIn("carol@example.com", "Carol-Passw0rd");
        TokenResponse refreshed = gatehouse.refresh("orders-spa", login.refreshToken());

        HttpResponse<String> response = HttpClient.newHttpClient()
            .send(HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + "/api/orders"))
                .header("Authorization", "Bearer " + refreshed.accessToken())
                .build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
    }

}
