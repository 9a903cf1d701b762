package dev.gatehouse.testkit;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.Function;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.gatehouse.api.ApiApplication;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Our own API ({@code api/}, its strict token validation unchanged) trusting a kit server
 * through the one-line Spring wiring: what the kit mints or issues passes, and each
 * deliberately broken token is refused for the reason it was broken.
 */
@SpringBootTest(classes = ApiApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class KitTokensAgainstOurApiTests {

    @RegisterExtension
    static GatehouseExtension gatehouse = GatehouseExtension.demoTenant();

    @DynamicPropertySource
    static void resourceServer(DynamicPropertyRegistry registry) {
        gatehouse.addResourceServerProperties(registry);
    }

    @LocalServerPort
    int port;

    @Test
    void mintedUserTokenWithThePermissionPassesStrictValidation() {
        HttpResponse<String> response = get("/api/private-scoped", gatehouse.userToken("demo@example.com"));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("read:messages");
    }

    @Test
    void mintedUserTokenWithoutThePermissionIsForbidden() {
        HttpResponse<String> response = get("/api/private-scoped", gatehouse.userToken("viewer@example.com"));

        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(response.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(
                header -> assertThat(header).contains("error=\"insufficient_scope\"").contains("read:messages"));
        assertThat(get("/api/private", gatehouse.userToken("viewer@example.com")).statusCode()).isEqualTo(200);
    }

    @Test
    void mintedMachineClientTokenPassesStrictValidation() {
        assertThat(get("/api/private-scoped", gatehouse.clientToken("gatehouse-m2m")).statusCode()).isEqualTo(200);
    }

    @Test
    void tokensFromTheRealFlowsPassStrictValidation() {
        String login = gatehouse.logIn("demo@example.com", "Demo-Passw0rd").accessToken();
        String machine = gatehouse.clientCredentials("gatehouse-m2m", "gatehouse-m2m-secret").accessToken();

        assertThat(get("/api/private-scoped", login).statusCode()).isEqualTo(200);
        assertThat(get("/api/private-scoped", machine).statusCode()).isEqualTo(200);
    }

    static Stream<Arguments> brokenTokens() {
        return Stream.of(broken("expired", AccessTokenBuilder::expired, "The token has expired"),
                broken("not yet valid", AccessTokenBuilder::notYetValid, "The token is not valid yet (nbf)"),
                broken("wrong audience", AccessTokenBuilder::wrongAudience,
                        "The token is not meant for this API (aud)"),
                broken("wrong issuer", AccessTokenBuilder::wrongIssuer,
                        "The token was not issued by the trusted issuer"),
                broken("unknown key", AccessTokenBuilder::unknownKey, "The token is signed with an unknown key"));
    }

    private static Arguments broken(String name, Function<AccessTokenBuilder, AccessTokenBuilder> breaking,
            String reason) {
        return Arguments.of(name, breaking, reason);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokenTokens")
    void brokenTokenIsRejectedForTheReasonItIsBroken(String name,
            Function<AccessTokenBuilder, AccessTokenBuilder> breaking, String reason) {
        String token = breaking.apply(gatehouse.accessToken().user("demo@example.com")).mint();

        HttpResponse<String> response = get("/api/private-scoped", token);

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.body()).isEqualTo("{\"error\":\"invalid_token\",\"error_description\":\"" + reason + "\"}");
        assertThat(response.headers().firstValue("WWW-Authenticate"))
            .hasValueSatisfying(header -> assertThat(header).contains("error=\"invalid_token\""));
    }

    private HttpResponse<String> get(String path, String token) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + path))
            .header("Authorization", "Bearer " + token)
            .timeout(Duration.ofSeconds(10))
            .build();
        try {
            return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
        }
        catch (IOException ex) {
            throw new IllegalStateException(ex);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }

}
