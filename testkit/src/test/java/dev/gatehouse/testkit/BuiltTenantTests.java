package dev.gatehouse.testkit;

import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.SignedJWT;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The kit against a tenant built in the test: tokens minted directly (valid and broken),
 * verified with the keys the server publishes over HTTP, and the real flows.
 */
class BuiltTenantTests {

    static final String API = "https://orders.example.test/api";

    @RegisterExtension
    static GatehouseExtension gatehouse = GatehouseExtension.builder()
        .api(API, "read:orders", "write:orders")
        .spa("orders-spa", "http://localhost:4300/callback")
        .role("customer", API, "read:orders", "write:orders")
        .role("auditor", API, "read:orders")
        .user("alice@example.test", "Alice-Passw0rd", "customer")
        .user("bob@example.test", "Bob-Passw0rd", "auditor")
        .user("eve@example.test", "Eve-Passw0rd")
        .machineClient("orders-backend", "backend-secret", API, "read:orders")
        .build();

    @Test
    void userTokenCarriesTheUsersIdAndWhatTheirRolesHold() {
        String token = gatehouse.userToken("alice@example.test");

        Map<String, Object> claims = gatehouse.claims(token);
        assertThat(claims.get("iss")).isEqualTo(gatehouse.issuer());
        assertThat((String) claims.get("sub")).matches("auth0\\|[0-9a-f]{24}");
        assertThat(claims.get("aud")).isEqualTo(API);
        assertThat(claims.get("azp")).isEqualTo("orders-spa");
        assertThat(claims.get("scope")).isEqualTo("read:orders write:orders");
        assertThat(claims.get("permissions")).isEqualTo(List.of("read:orders", "write:orders"));
        assertThat(((Number) claims.get("exp")).longValue() - ((Number) claims.get("iat")).longValue())
            .isEqualTo(86_400);
        assertThat(claims).containsKey("jti");
        assertThat(gatehouse.header(token)).containsEntry("typ", "JWT").containsEntry("alg", "RS256");
    }

    @Test
    void mintedUserTokenHasTheShapeOfOneTheServerIssues() {
        String minted = gatehouse.userToken("alice@example.test");
        String issued = gatehouse.authorizationCode("alice@example.test", "Alice-Passw0rd")
            .scope("read:orders", "write:orders")
            .tokens()
            .accessToken();

        assertThat(gatehouse.header(minted).keySet()).isEqualTo(gatehouse.header(issued).keySet());
        assertThat(gatehouse.header(minted).get("typ")).isEqualTo(gatehouse.header(issued).get("typ"));
        assertThat(gatehouse.header(minted).get("kid")).isEqualTo(gatehouse.header(issued).get("kid"));
        Map<String, Object> mintedClaims = gatehouse.claims(minted);
        Map<String, Object> issuedClaims = gatehouse.claims(issued);
        assertThat(mintedClaims.keySet()).isEqualTo(issuedClaims.keySet());
        for (String claim : List.of("iss", "sub", "aud", "azp", "scope", "permissions")) {
            assertThat(mintedClaims.get(claim)).as(claim).isEqualTo(issuedClaims.get(claim));
        }
    }

    @Test
    void userWithoutARoleGetsATokenWithoutPermissions() {
        Map<String, Object> claims = gatehouse.claims(gatehouse.userToken("eve@example.test"));

        assertThat(claims.get("permissions")).isEqualTo(List.of());
        assertThat(claims).doesNotContainKey("scope");
    }

    @Test
    void clientTokenCarriesTheClientGrantsScopes() {
        Map<String, Object> claims = gatehouse.claims(gatehouse.clientToken("orders-backend"));

        assertThat(claims.get("sub")).isEqualTo("orders-backend@clients");
        assertThat(claims.get("azp")).isEqualTo("orders-backend");
        assertThat(claims.get("gty")).isEqualTo("client-credentials");
        assertThat(claims.get("scope")).isEqualTo("read:orders");
        assertThat(claims.get("permissions")).isEqualTo(List.of("read:orders"));
    }

    @Test
    void chosenScopesPermissionsAndClaimsAreMintedAsGiven() {
        String token = gatehouse.accessToken()
            .subject("service-account-7")
            .scope("read:orders")
            .permissions("read:orders", "refund:orders")
            .claim("https://orders.example.test/tenant", "acme")
            .authorizedParty("some-client")
            .lifetime(Duration.ofMinutes(5))
            .mint();

        Map<String, Object> claims = gatehouse.claims(token);
        assertThat(claims.get("sub")).isEqualTo("service-account-7");
        assertThat(claims.get("scope")).isEqualTo("read:orders");
        assertThat(claims.get("permissions")).isEqualTo(List.of("read:orders", "refund:orders"));
        assertThat(claims.get("https://orders.example.test/tenant")).isEqualTo("acme");
        assertThat(claims.get("azp")).isEqualTo("some-client");
        assertThat(((Number) claims.get("exp")).longValue() - ((Number) claims.get("iat")).longValue()).isEqualTo(300);
    }

    @Test
    void mintedTokensVerifyWithTheKeyTheServerPublishes() throws Exception {
        String token = gatehouse.userToken("alice@example.test");

        SignedJWT jwt = SignedJWT.parse(token);
        JWK key = jwks().getKeyByKeyId(jwt.getHeader().getKeyID());
        assertThat(key).as("the token's kid is in the JWKS").isNotNull();
        assertThat(jwt.verify(new RSASSAVerifier(key.toRSAKey()))).isTrue();
    }

    @Test
    void unknownKeyTokenIsWellFormedButSignedByAKeyTheServerNeverPublished() throws Exception {
        String token = gatehouse.accessToken().user("alice@example.test").unknownKey().mint();

        SignedJWT jwt = SignedJWT.parse(token);
        JWKSet published = jwks();
        assertThat(jwt.getHeader().getKeyID()).isNotNull();
        assertThat(published.getKeyByKeyId(jwt.getHeader().getKeyID())).isNull();
        for (JWK key : published.getKeys()) {
            assertThat(jwt.verify(new RSASSAVerifier(key.toRSAKey()))).isFalse();
        }
        assertThat(gatehouse.claims(token).get("iss")).isEqualTo(gatehouse.issuer());
    }

    @Test
    void brokenTokensBreakOnlyWhatTheySay() throws Exception {
        long now = Instant.now().getEpochSecond();
        Map<String, Object> expired = gatehouse
            .claims(gatehouse.accessToken().user("alice@example.test").expired().mint());
        Map<String, Object> notYetValid = gatehouse
            .claims(gatehouse.accessToken().user("alice@example.test").notYetValid().mint());
        Map<String, Object> wrongAudience = gatehouse
            .claims(gatehouse.accessToken().user("alice@example.test").wrongAudience().mint());
        String wrongIssuerToken = gatehouse.accessToken().user("alice@example.test").wrongIssuer().mint();

        assertThat(((Number) expired.get("exp")).longValue()).isLessThan(now - 3000);
        assertThat(expired.get("aud")).isEqualTo(API);
        assertThat(((Number) notYetValid.get("nbf")).longValue()).isGreaterThan(now + 3000);
        assertThat(((Number) notYetValid.get("exp")).longValue()).isGreaterThan(now);
        assertThat(wrongAudience.get("aud")).isEqualTo(AccessTokenBuilder.WRONG_AUDIENCE);
        assertThat(gatehouse.claims(wrongIssuerToken).get("iss")).isEqualTo(AccessTokenBuilder.WRONG_ISSUER);
        SignedJWT wrongIssuer = SignedJWT.parse(wrongIssuerToken);
        JWK serverKey = jwks().getKeyByKeyId(wrongIssuer.getHeader().getKeyID());
        assertThat(wrongIssuer.verify(new RSASSAVerifier(serverKey.toRSAKey()))).as("signed by the server's own key")
            .isTrue();
    }

    @Test
    void logInGoesThroughTheRealLoginAndConsentPagesToTokens() {
        TokenResponse tokens = gatehouse.logIn("alice@example.test", "Alice-Passw0rd");

        Map<String, Object> access = gatehouse.claims(tokens.accessToken());
        assertThat(access.get("aud")).isEqualTo(List.of(API, gatehouse.issuer() + "userinfo"));
        assertThat(access.get("permissions")).isEqualTo(List.of("read:orders", "write:orders"));
        assertThat(access.get("azp")).isEqualTo("orders-spa");
        assertThat(gatehouse.claims(tokens.idToken())).containsEntry("email", "alice@example.test")
            .containsEntry("aud", "orders-spa");
        assertThat(tokens.refreshToken()).isNotBlank();
        assertThat(tokens.tokenType()).isEqualTo("Bearer");
        assertThat(tokens.scope()).contains("read:orders", "offline_access");
    }

    @Test
    void codeFlowAsksOnlyForTheChosenScopes() {
        TokenResponse tokens = gatehouse.authorizationCode("bob@example.test", "Bob-Passw0rd")
            .client("orders-spa")
            .audience(API)
            .scope("openid", "read:orders")
            .tokens();

        assertThat(tokens.scope().split(" ")).containsExactlyInAnyOrder("openid", "read:orders");
        assertThat(tokens.refreshToken()).isNull();
        assertThat(gatehouse.claims(tokens.accessToken()).get("permissions")).isEqualTo(List.of("read:orders"));
    }

    @Test
    void refreshRotatesTheRefreshTokenAndRefusesTheOldOne() {
        TokenResponse login = gatehouse.logIn("alice@example.test", "Alice-Passw0rd");

        TokenResponse refreshed = gatehouse.refresh("orders-spa", login.refreshToken());

        assertThat(refreshed.refreshToken()).isNotBlank().isNotEqualTo(login.refreshToken());
        assertThat(refreshed.accessToken()).isNotEqualTo(login.accessToken());
        assertThatThrownBy(() -> gatehouse.refresh("orders-spa", login.refreshToken()))
            .isInstanceOfSatisfying(GatehouseFlowException.class, ex -> {
                assertThat(ex.error()).isEqualTo("invalid_grant");
                assertThat(ex.status()).isEqualTo(400);
            });
    }

    @Test
    void clientCredentialsIssuesATokenForTheGrantedScopes() {
        TokenResponse tokens = gatehouse.clientCredentials("orders-backend", "backend-secret");

        Map<String, Object> claims = gatehouse.claims(tokens.accessToken());
        assertThat(claims.get("sub")).isEqualTo("orders-backend@clients");
        assertThat(claims.get("scope")).isEqualTo("read:orders");
        assertThat(tokens.refreshToken()).isNull();
    }

    @Test
    void clientCredentialsWithAWrongSecretIsRefused() {
        assertThatThrownBy(() -> gatehouse.clientCredentials("orders-backend", "not-the-secret"))
            .isInstanceOfSatisfying(GatehouseFlowException.class, ex -> {
                assertThat(ex.error()).isEqualTo("invalid_client");
                assertThat(ex.status()).isEqualTo(401);
            });
    }

    @Test
    void wrongPasswordFailsTheLoginWithTheLoginPagesMessage() {
        assertThatThrownBy(() -> gatehouse.logIn("bob@example.test", "wrong-password"))
            .isInstanceOfSatisfying(GatehouseFlowException.class, ex -> {
                assertThat(ex.error()).isEqualTo("login_failed");
                assertThat(ex.errorDescription()).isEqualTo("Wrong email or password.");
            });
    }

    @Test
    void declinedConsentEndsWithAccessDenied() {
        assertThatThrownBy(
                () -> gatehouse.authorizationCode("bob@example.test", "Bob-Passw0rd").declineConsent().tokens())
            .isInstanceOfSatisfying(GatehouseFlowException.class,
                    ex -> assertThat(ex.error()).isEqualTo("access_denied"));
    }

    @Test
    void discoveryAndJwksAreServedAtTheAdvertisedAddresses() throws Exception {
        HttpResponse<String> discovery = get(gatehouse.discoveryUri());

        assertThat(discovery.statusCode()).isEqualTo(200);
        assertThat(discovery.body()).contains("\"issuer\":\"" + gatehouse.issuer() + "\"")
            .contains("\"jwks_uri\":\"" + gatehouse.jwksUri() + "\"")
            .contains("\"token_endpoint\":\"" + gatehouse.tokenEndpoint() + "\"");
        assertThat(gatehouse.issuer()).isEqualTo("http://localhost:" + gatehouse.port() + "/");
        assertThat(gatehouse.apis()).containsExactly(API);
    }

    @Test
    void theServerIsInjectedIntoParameters(Gatehouse injected, GatehouseServer server) {
        assertThat(injected.issuer()).isEqualTo(gatehouse.issuer());
        assertThat(server).isSameAs(gatehouse.server());
    }

    private static JWKSet jwks() throws IOException, ParseException {
        return JWKSet.load(new URL(gatehouse.jwksUri()));
    }

    static HttpResponse<String> get(String uri) throws IOException, InterruptedException {
        return HttpClient.newHttpClient()
            .send(HttpRequest.newBuilder(URI.create(uri)).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
    }

}
