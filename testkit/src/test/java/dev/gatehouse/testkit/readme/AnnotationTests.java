package dev.gatehouse.testkit.readme;

import org.junit.jupiter.api.Test;

import dev.gatehouse.testkit.Gatehouse;
import dev.gatehouse.testkit.GatehouseTest;

import static org.assertj.core.api.Assertions.assertThat;

@GatehouseTest(tenant = "tenant.yaml")
class AnnotationTests {

    @Test
    void backendGetsATokenForOrders(Gatehouse gatehouse) {
        String token = gatehouse.clientCredentials("orders-backend", "orders-backend-secret").accessToken();

        assertThat(gatehouse.claims(token).get("scope")).isEqualTo("read:orders");
    }

}
