package dev.gatehouse.testkit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What a test author reads when the tenant is wrong: the mistake, not a stack trace. */
class StartupFailureTests {

    @Test
    void anUndeclaredRoleIsNamedByTheBuilder() {
        assertThatThrownBy(() -> GatehouseExtension.builder()
            .api("https://my.api", "read:messages")
            .user("alice@example.test", "Alice-Passw0rd", "reader")
            .build()).isInstanceOf(IllegalArgumentException.class)
            .hasMessage("User alice@example.test has role 'reader', which is not declared:"
                    + " add .role(\"reader\", api, permissions...)");
    }

    @Test
    void anUndeclaredApiIsNamedByTheBuilder() {
        assertThatThrownBy(() -> GatehouseExtension.builder()
            .machineClient("backend", "secret", "https://other.api", "read:messages")
            .build()).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("machineClient(backend, ...) names API https://other.api, which is not declared");
    }

    @Test
    void aTenantFileAndABuiltTenantTogetherAreRefused() {
        assertThatThrownBy(() -> GatehouseExtension.builder().tenant("tenant.yaml").api("https://my.api").build())
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("not both");
    }

    @Test
    void aMistakeInTheTenantFileStopsTheServerWithTheFieldAndLine() {
        assertThatThrownBy(() -> GatehouseServer.builder().tenant("tenant/invalid-app-type.yaml").start())
            .isInstanceOf(IllegalStateException.class)
            .hasMessageStartingWith("The Gatehouse test server did not start")
            .hasMessageContaining("clients[0].app_type (line 5): 'website' is not allowed");
    }

    @Test
    void aMissingTenantFileIsNamed() {
        assertThatThrownBy(() -> GatehouseServer.builder().tenant("tenant/no-such-tenant.yaml").start())
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage(
                    "No tenant file tenant/no-such-tenant.yaml: neither a file nor a resource on the test class path");
    }

}
