package dev.gatehouse.testkit.readme;

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

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class SpringBootTests {

    @RegisterExtension
    static GatehouseExtension gatehouse = GatehouseExtension.builder()
        .api("https://my.api", "read:messages")
        .role("reader", "https://my.api", "read:messages")
        .user("alice@example.com", "Alice-Passw0rd", "reader")
        .build();

    @DynamicPropertySource
    static void resourceServer(DynamicPropertyRegistry registry) {
        gatehouse.addResourceServerProperties(registry); // issuer-uri and audiences
    }

    @LocalServerPort
    int port;

    @Test
    void aliceReadsMessages() throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + "/api/messages"))
            .header("Authorization", "Bearer " + gatehouse.userToken("alice@example.com"))
            .build();

        HttpResponse<String> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
    }

}
