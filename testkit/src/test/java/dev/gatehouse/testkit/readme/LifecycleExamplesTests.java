package dev.gatehouse.testkit.readme;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.gatehouse.testkit.GatehouseExtension;
import dev.gatehouse.testkit.GatehouseServer;

import static org.assertj.core.api.Assertions.assertThat;

/** The README's lifecycle and settings examples. */
class LifecycleExamplesTests {

    @RegisterExtension
    static GatehouseExtension gatehouse = GatehouseExtension.builder()
        .api("https://my.api", "read:messages")
        .shared() // one server for every test class with this configuration
        .build();

    @Test
    void serverByHand() {
        try (GatehouseServer server = GatehouseServer.builder()
            .tenant("tenant.yaml")
            .property("gatehouse.login-throttle.max-failures-per-account", "3")
            .logLevel("INFO")
            .start()) {
            String token = server.userToken("alice@example.com");
            assertThat(server.claims(token).get("iss")).isEqualTo(server.issuer());
        }
        assertThat(gatehouse.isShared()).isTrue();
    }

}
