package dev.gatehouse.testkit.readme;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.security.oauth2.jwt.JwtTypeValidator;

import dev.gatehouse.testkit.Gatehouse;
import dev.gatehouse.testkit.GatehouseTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An API with Auth0's RFC 9068 token profile: minted and issued tokens are both
 * {@code typ: at+jwt} with {@code client_id}, and a Spring Boot 4 application accepts
 * them once it declares the type validator the README shows.
 */
@GatehouseTest(tenant = "tenant/rfc9068-tenant.yaml")
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Import(Rfc9068ProfileTests.AtJwtAccessTokens.class)
class Rfc9068ProfileTests {

    @LocalServerPort
    int port;

    @Test
    void mintedAndIssuedTokensFollowTheProfileAndPass(Gatehouse gatehouse) throws Exception {
        String minted = gatehouse.userToken("rita@example.test");
        String issued = gatehouse.logIn("rita@example.test", "Rita-Passw0rd").accessToken();

        for (String token : new String[] { minted, issued }) {
            assertThat(gatehouse.header(token)).containsEntry("typ", "at+jwt");
            Map<String, Object> claims = gatehouse.claims(token);
            assertThat(claims).containsEntry("client_id", "messages-spa").doesNotContainKey("azp");
            HttpResponse<String> response = HttpClient.newHttpClient()
                .send(HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + "/api/messages"))
                    .header("Authorization", "Bearer " + token)
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
        }
    }

    @TestConfiguration(proxyBeanMethods = false)
    static class AtJwtAccessTokens {

        @Bean
        JwtTypeValidator accessTokenTypes() {
            JwtTypeValidator types = new JwtTypeValidator("JWT", "at+jwt");
            types.setAllowEmpty(true);
            return types;
        }

    }

}
