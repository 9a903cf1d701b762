package dev.gatehouse.testkit;

import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The kit keeps the server to itself: none of its classes or resources on the test's
 * class path, none of the test JVM's settings in the server, and no Spring needed by a
 * test that does not use the Spring integration.
 */
class IsolationTests {

    @Test
    void theServersClassesAndResourcesStayOffTheTestClassPath() {
        try (GatehouseServer server = GatehouseServer.builder().api("https://isolated.test/api").start()) {
            assertThat(server.accessToken().subject("someone").mint()).isNotBlank();

            ClassLoader test = getClass().getClassLoader();
            assertThatThrownBy(() -> Class.forName("dev.gatehouse.authserver.AuthServerApplication", false, test))
                .isInstanceOf(ClassNotFoundException.class);
            assertThatThrownBy(() -> Class.forName("org.flywaydb.core.Flyway", false, test))
                .isInstanceOf(ClassNotFoundException.class);
            assertThat(test.getResource("db/migration/V1__resource_servers.sql")).isNull();
            assertThat(test.getResource("templates/login.html")).isNull();
            assertThat(test.getResource("tenant/demo-tenant.yaml")).isNull();
        }
    }

    @Test
    void systemPropertiesOfTheTestJvmDoNotReachTheServer() {
        Map<String, String> meantForTheApplicationUnderTest = Map.of("spring.datasource.url", "jdbc:nothing:here",
                "gatehouse.tenant-file", "/no/such/tenant.yaml", "gatehouse.issuer", "https://elsewhere.test/",
                "server.port", "1");
        meantForTheApplicationUnderTest.forEach(System::setProperty);
        try (GatehouseServer server = GatehouseServer.builder().start()) {
            assertThat(server.issuer()).isEqualTo("http://localhost:" + server.port() + "/");
            assertThat(server.claims(server.userToken("demo@example.com")).get("aud"))
                .isEqualTo("https://gatehouse.local/api");
        }
        finally {
            meantForTheApplicationUnderTest.keySet().forEach(System::clearProperty);
        }
    }

    @Test
    void theKitNeedsNeitherSpringNorJunitWithoutTheirIntegrations() throws Exception {
        try (FreshKit kit = new FreshKit()) {
            assertThatThrownBy(() -> kit.loader().loadClass("org.springframework.test.context.DynamicPropertyRegistry"))
                .isInstanceOf(ClassNotFoundException.class);
            assertThatThrownBy(() -> kit.loader().loadClass("org.junit.jupiter.api.extension.Extension"))
                .isInstanceOf(ClassNotFoundException.class);
            try (AutoCloseable server = kit.start("https://plain.test/api")) {
                assertThat(FreshKit.mint(server, "plain").split("\\.")).hasSize(3);
            }
        }
    }

    @Test
    void serversStartingTogetherAsTheJvmsFirstUseBothStart() throws Exception {
        try (FreshKit kit = new FreshKit()) {
            CompletableFuture<AutoCloseable> one = CompletableFuture
                .supplyAsync(() -> start(kit, "https://one.test/api"));
            CompletableFuture<AutoCloseable> two = CompletableFuture
                .supplyAsync(() -> start(kit, "https://two.test/api"));
            try (AutoCloseable first = one.get(); AutoCloseable second = two.get()) {
                assertThat(FreshKit.mint(first, "one")).isNotEqualTo(FreshKit.mint(second, "two"));
            }
        }
    }

    private static AutoCloseable start(FreshKit kit, String api) {
        try {
            return kit.start(api);
        }
        catch (Exception ex) {
            throw new IllegalStateException(ex);
        }
    }

}
