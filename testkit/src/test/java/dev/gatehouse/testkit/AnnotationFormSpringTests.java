package dev.gatehouse.testkit;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import dev.gatehouse.api.ApiApplication;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link GatehouseTest} on a Spring Boot test: the application under test trusts the
 * class's server without any further line.
 */
@GatehouseTest
@SpringBootTest(classes = ApiApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class AnnotationFormSpringTests {

    @LocalServerPort
    int port;

    @Value("${spring.security.oauth2.resourceserver.jwt.issuer-uri}")
    String issuerUri;

    @Value("${spring.security.oauth2.resourceserver.jwt.audiences}")
    String audiences;

    @Test
    void applicationUnderTestTrustsTheClassServer(Gatehouse gatehouse) throws Exception {
        assertThat(this.issuerUri).isEqualTo(gatehouse.issuer());
        assertThat(this.audiences).isEqualTo("https://gatehouse.local/api");

        HttpResponse<String> response = HttpClient.newHttpClient()
            .send(HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + "/api/private-scoped"))
                .header("Authorization", "Bearer " + gatehouse.userToken("demo@example.com"))
                .build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
    }

}
