package dev.gatehouse.testkit.readme;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.gatehouse.testkit.GatehouseExtension;
import dev.gatehouse.testkit.GatehouseFlowException;
import dev.gatehouse.testkit.TokenResponse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The README's examples of the extension, as they are printed there. */
class QuickStartTests {

    @RegisterExtension
    static GatehouseExtension gatehouse = GatehouseExtension.builder()
        .api("https://my.api", "read:messages")
        .spa("my-spa", "http://localhost:4200")
        .role("reader", "https://my.api", "read:messages")
        .user("alice@example.com", "Alice-Passw0rd", "reader")
        .user("bob@example.com", "Bob-Passw0rd")
        .machineClient("my-backend", "backend-secret", "https://my.api", "read:messages")
        .build();

    @Test
    void aliceHoldsTheReadPermission() {
        String token = gatehouse.userToken("alice@example.com");

        assertThat(gatehouse.claims(token).get("permissions")).isEqualTo(List.of("read:messages"));
    }

    @Test
    void whereTheServerIs() {
        // http://localhost:<port>/, exactly as in every token's iss
        String issuer = gatehouse.issuer();
        String jwks = gatehouse.jwksUri(); // <issuer>.well-known/jwks.json
        String discovery = gatehouse.discoveryUri(); // <issuer>.well-known/openid-configuration
        String tokenEndpoint = gatehouse.tokenEndpoint(); // <issuer>oauth/token
        List<String> apis = gatehouse.apis(); // [https://my.api]

        assertThat(List.of(jwks, discovery, tokenEndpoint)).allMatch(uri -> uri.startsWith(issuer));
        assertThat(apis).containsExactly("https://my.api");
    }

    @Test
    void mintingTokens() {
        // scope and permissions from her roles
        String alice = gatehouse.userToken("alice@example.com");
        // scope and permissions from its client grant
        String backend = gatehouse.clientToken("my-backend");
        String custom = gatehouse.accessToken()
            .subject("auth0|custom")
            .audience("https://my.api")
            .scope("read:messages")
            .permissions("read:messages")
            .claim("https://my.app/tenant", "acme")
            .lifetime(java.time.Duration.ofMinutes(5))
            .mint();

        String expired = gatehouse.accessToken().user("alice@example.com").expired().mint();
        String notYetValid = gatehouse.accessToken().user("alice@example.com").notYetValid().mint();
        String wrongAudience = gatehouse.accessToken().user("alice@example.com").wrongAudience().mint();
        String wrongIssuer = gatehouse.accessToken().user("alice@example.com").wrongIssuer().mint();
        String unknownKey = gatehouse.accessToken().user("alice@example.com").unknownKey().mint();

        assertThat(List.of(alice, backend, custom, expired, notYetValid, wrongAudience, wrongIssuer, unknownKey))
            .allMatch(token -> token.split("\\.").length == 3);
        assertThat(gatehouse.claims(custom)).containsEntry("https://my.app/tenant", "acme");
    }

    @Test
    void realFlows() {
        TokenResponse login = gatehouse.logIn("alice@example.com", "Alice-Passw0rd");
        TokenResponse refreshed = gatehouse.refresh("my-spa", login.refreshToken());
        TokenResponse machine = gatehouse.clientCredentials("my-backend", "backend-secret");
        TokenResponse chosen = gatehouse.authorizationCode("alice@example.com", "Alice-Passw0rd")
            .client("my-spa")
            .redirectUri("http://localhost:4200")
            .audience("https://my.api")
            .scope("openid", "email", "read:messages")
            .tokens();

        assertThat(List.of(login.idToken(), refreshed.accessToken(), machine.accessToken(), chosen.accessToken()))
            .doesNotContainNull();
    }

    @Test
    void flowErrors() {
        GatehouseFlowException wrongPassword = assertThrows(GatehouseFlowException.class,
                () -> gatehouse.logIn("alice@example.com", "not-her-password"));
        assertThat(wrongPassword.error()).isEqualTo("login_failed");
        assertThat(wrongPassword.errorDescription()).isEqualTo("Wrong email or password.");

        GatehouseFlowException declined = assertThrows(GatehouseFlowException.class,
                () -> gatehouse.authorizationCode("bob@example.com", "Bob-Passw0rd").declineConsent().tokens());
        assertThat(declined.error()).isEqualTo("access_denied");
    }

}
