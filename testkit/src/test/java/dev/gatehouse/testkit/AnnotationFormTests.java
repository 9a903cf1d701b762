package dev.gatehouse.testkit;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link GatehouseTest} with a tenant file from the test class path: the server comes in
 * as a parameter, and a {@code @Nested} class shares it.
 */
@GatehouseTest(tenant = "tenant/orders-tenant.yaml", properties = "gatehouse.login-throttle.max-failures-per-account=3")
class AnnotationFormTests {

    static String issuerSeenBeforeAll;

    @BeforeAll
    static void remember(Gatehouse gatehouse) {
        issuerSeenBeforeAll = gatehouse.issuer();
    }

    @Test
    void tenantFileUsersGetTheirRolesPermissions(Gatehouse gatehouse) {
        Map<String, Object> claims = gatehouse.claims(gatehouse.userToken("carol@example.test"));

        assertThat(claims.get("aud")).isEqualTo("https://orders.example.test/api");
        assertThat(claims.get("permissions")).isEqualTo(List.of("read:orders", "write:orders"));
        assertThat(gatehouse.issuer()).isEqualTo(issuerSeenBeforeAll);
    }

    @Test
    void tenantFileMachineClientGetsTokensWithItsSecret(Gatehouse gatehouse) {
        TokenResponse tokens = gatehouse.clientCredentials("orders-backend", "orders-backend-secret");

        assertThat(gatehouse.claims(tokens.accessToken()).get("scope")).isEqualTo("read:orders");
    }

    @Test
    void tenantFileUsersLogInThroughTheRealPages(GatehouseServer server) {
        TokenResponse tokens = server.logIn("carol@example.test", "Carol-Passw0rd");

        assertThat(server.claims(tokens.accessToken()).get("azp")).isEqualTo("orders-spa");
        assertThat(tokens.refreshToken()).isNotBlank();
    }

    @Nested
    class NestedClass {

        @Test
        void nestedClassSharesTheOuterClassServer(Gatehouse gatehouse) {
            assertThat(gatehouse.issuer()).isEqualTo(issuerSeenBeforeAll);
        }

    }

}
