package dev.gatehouse.testkit;

import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.Map;

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
        URL kitClasses = GatehouseServer.class.getProtectionDomain().getCodeSource().getLocation();
        try (URLClassLoader kitOnly = new URLClassLoader(new URL[] { kitClasses },
                ClassLoader.getPlatformClassLoader())) {
            assertThatThrownBy(() -> kitOnly.loadClass("org.springframework.test.context.DynamicPropertyRegistry"))
                .isInstanceOf(ClassNotFoundException.class);
            Class<?> serverType = kitOnly.loadClass(GatehouseServer.class.getName());
            Object builder = serverType.getMethod("builder").invoke(null);
            Method api = builder.getClass().getMethod("api", String.class, String[].class);
            api.setAccessible(true);
            api.invoke(builder, "https://plain.test/api", new String[] { "read:things" });
            Method start = builder.getClass().getMethod("start");
            start.setAccessible(true);
            try (AutoCloseable server = (AutoCloseable) start.invoke(builder)) {
                Object token = serverType.getMethod("accessToken").invoke(server);
                Method subject = token.getClass().getMethod("subject", String.class);
                subject.invoke(token, "plain");
                String minted = (String) token.getClass().getMethod("mint").invoke(token);
                assertThat(minted.split("\\.")).hasSize(3);
            }
        }
    }

}
