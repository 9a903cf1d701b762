package com.example.orders;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.gatehouse.testkit.GatehouseExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The orders API against a real Gatehouse authorization server started for this class,
 * with a tenant built right here. Tokens are minted directly: each test states the token
 * it needs in one line.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class OrdersApiTests {

    static final String API = "https://orders.example.com/api";

    @RegisterExtension
    static GatehouseExtension gatehouse = GatehouseExtension.builder()
        .api(API, "read:orders")
        .spa("orders-spa", "http://localhost:4200")
        .role("customer", API, "read:orders")
        .user("alice@example.com", "Alice-Passw0rd", "customer")
        .user("bob@example.com", "Bob-Passw0rd")
        .machineClient("billing", "billing-secret", API, "read:orders")
        .build();

    @DynamicPropertySource
    static void resourceServer(DynamicPropertyRegistry registry) {
        gatehouse.addResourceServerProperties(registry);
    }

    @LocalServerPort
    int port;

    @Test
    void ordersAnswer200WithTheReadPermission() throws Exception {
        HttpResponse<String> response = get("/api/orders", gatehouse.userToken("alice@example.com"));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("Coffee beans");
    }

    @Test
    void ordersAnswer403WithoutTheReadPermission() throws Exception {
        String bob = gatehouse.userToken("bob@example.com");

        assertThat(get("/api/orders", bob).statusCode()).isEqualTo(403);
        assertThat(get("/api/me", bob).statusCode()).isEqualTo(200);
    }

    @Test
    void machineClientWithItsGrantReadsOrders() throws Exception {
        String token = gatehouse.clientCredentials("billing", "billing-secret").accessToken();

        assertThat(get("/api/orders", token).statusCode()).isEqualTo(200);
    }

    @Test
    void expiredTokenAnswers401() throws Exception {
        String token = gatehouse.accessToken().user("alice@example.com").expired().mint();

        assertRejected(get("/api/orders", token));
    }

    @Test
    void tokenNotYetValidAnswers401() throws Exception {
        String token = gatehouse.accessToken().user("alice@example.com").notYetValid().mint();

        assertRejected(get("/api/orders", token));
    }

    @Test
    void tokenFromAnotherIssuerAnswers401() throws Exception {
        String token = gatehouse.accessToken().user("alice@example.com").wrongIssuer().mint();

        assertRejected(get("/api/orders", token));
    }

    @Test
    void tokenSignedByAForeignKeyAnswers401() throws Exception {
        String token = gatehouse.accessToken().user("alice@example.com").unknownKey().mint();

        assertRejected(get("/api/orders", token));
    }

    @Test
    void tokenForAnotherApiAnswers401() throws Exception {
        String token = gatehouse.accessToken().user("alice@example.com").wrongAudience().mint();

        assertRejected(get("/api/orders", token));
    }

    @Test
    void noTokenAnswers401() throws Exception {
        assertThat(get("/api/orders", null).statusCode()).isEqualTo(401);
    }

    /**
     * 401 because the token was checked and refused (Spring's bearer-token challenge
     * names {@code invalid_token}), not for any other reason.
     */
    private static void assertRejected(HttpResponse<String> response) {
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("WWW-Authenticate"))
            .hasValueSatisfying(challenge -> assertThat(challenge).contains("error=\"invalid_token\""));
    }

    private HttpResponse<String> get(String path, String token) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + path));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

}
