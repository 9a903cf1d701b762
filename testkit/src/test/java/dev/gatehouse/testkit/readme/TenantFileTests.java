package dev.gatehouse.testkit.readme;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.gatehouse.testkit.GatehouseExtension;

import static org.assertj.core.api.Assertions.assertThat;

/** The README's tenant file and demo tenant examples. */
class TenantFileTests {

    @RegisterExtension
    static GatehouseExtension gatehouse = GatehouseExtension.withTenant("tenant.yaml");

    @RegisterExtension
    static GatehouseExtension demo = GatehouseExtension.demoTenant();

    @Test
    void tenantFileUsers() {
        assertThat(gatehouse.claims(gatehouse.userToken("alice@example.com")).get("scope")).isEqualTo("read:orders");
        assertThat(demo.logIn("demo@example.com", "Demo-Passw0rd").accessToken()).isNotBlank();
    }

}
