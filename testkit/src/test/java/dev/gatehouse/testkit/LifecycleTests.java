package dev.gatehouse.testkit;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.gatehouse.api.ApiApplication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

/**
 * How the extension lives with JUnit and Spring, proved by running small test classes
 * (the static nested fixtures below, which the build itself does not run) through the
 * JUnit Platform.
 */
class LifecycleTests {

    /** Issuers the fixtures saw, in the order their tests ran. */
    static final Queue<String> seen = new ConcurrentLinkedQueue<>();

    @BeforeEach
    void forget() {
        seen.clear();
    }

    @Test
    void eachTestClassGetsAServerOfItsOwnStoppedAfterItsLastTest() {
        EngineExecutionResults results = run(false, FirstClass.class, SecondClass.class);

        results.testEvents().assertStatistics(stats -> stats.succeeded(4).failed(0));
        List<String> issuers = new ArrayList<>(seen);
        assertThat(issuers.get(0)).isEqualTo(issuers.get(1));
        assertThat(issuers.get(2)).isEqualTo(issuers.get(3));
        assertThat(issuers.get(0)).isNotEqualTo(issuers.get(2));
        for (String issuer : issuers) {
            assertThatThrownBy(() -> get(issuer + ".well-known/jwks.json")).as("stopped: " + issuer)
                .isInstanceOf(ConnectException.class);
        }
    }

    @Test
    void testClassesRunningInParallelEachGetAServerOfTheirOwn() {
        EngineExecutionResults results = run(true, FirstClass.class, SecondClass.class, ThirdClass.class);

        results.testEvents().assertStatistics(stats -> stats.succeeded(6).failed(0));
        assertThat(seen.stream().distinct()).hasSize(3);
    }

    @Test
    void sharedExtensionsWithTheSameConfigurationUseOneServerThatOutlivesTheirClasses() throws Exception {
        EngineExecutionResults results = run(true, FirstShared.class, SecondShared.class);

        results.testEvents().assertStatistics(stats -> stats.succeeded(4).failed(0));
        assertThat(seen.stream().distinct()).hasSize(1);
        assertThat(get(seen.peek() + ".well-known/jwks.json").statusCode()).isEqualTo(200);
    }

    @Test
    void anExtensionInAnInstanceFieldIsRefusedWithAClearMessage() {
        EngineExecutionResults results = run(false, InstanceField.class);

        results.testEvents()
            .assertStatistics(stats -> stats.failed(1))
            .failed()
            .stream()
            .forEach(event -> assertThat(
                    event.getPayload(org.junit.platform.engine.TestExecutionResult.class).orElseThrow().getThrowable())
                .hasValueSatisfying(error -> assertThat(error).hasMessageContaining("from a static field")));
    }

    @Test
    void springTestClassesSharingABaseClassEachTalkToTheirOwnServer() {
        EngineExecutionResults results = run(false, SpringFirst.class, SpringSecond.class);

        results.testEvents().assertStatistics(stats -> stats.succeeded(2).failed(0));
        assertThat(seen.stream().distinct()).hasSize(2);
    }

    private static EngineExecutionResults run(boolean parallel, Class<?>... classes) {
        EngineTestKit.Builder engine = EngineTestKit.engine("junit-jupiter")
            .configurationParameter("junit.jupiter.execution.parallel.enabled", Boolean.toString(parallel))
            .configurationParameter("junit.jupiter.execution.parallel.mode.classes.default", "concurrent")
            .configurationParameter("junit.jupiter.execution.parallel.config.strategy", "fixed")
            .configurationParameter("junit.jupiter.execution.parallel.config.fixed.parallelism", "3");
        for (Class<?> type : classes) {
            engine.selectors(selectClass(type));
        }
        return engine.execute();
    }

    static HttpResponse<String> get(String uri) throws IOException, InterruptedException {
        return HttpClient.newHttpClient()
            .send(HttpRequest.newBuilder(URI.create(uri)).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
    }

    abstract static class Fixture {

        @Test
        void one(Gatehouse gatehouse) throws Exception {
            record(gatehouse);
        }

        @Test
        void two(Gatehouse gatehouse) throws Exception {
            record(gatehouse);
        }

        private static void record(Gatehouse gatehouse) throws Exception {
            assertThat(get(gatehouse.jwksUri()).statusCode()).isEqualTo(200);
            seen.add(gatehouse.issuer());
        }

    }

    static class FirstClass extends Fixture {

        @RegisterExtension
        static GatehouseExtension gatehouse = GatehouseExtension.builder().api("https://one.test/api").build();

    }

    static class SecondClass extends Fixture {

        @RegisterExtension
        static GatehouseExtension gatehouse = GatehouseExtension.builder().api("https://two.test/api").build();

    }

    static class ThirdClass extends Fixture {

        @RegisterExtension
        static GatehouseExtension gatehouse = GatehouseExtension.builder().api("https://three.test/api").build();

    }

    static GatehouseExtension shared() {
        return GatehouseExtension.builder().api("https://shared.test/api").shared().build();
    }

    static class FirstShared extends Fixture {

        @RegisterExtension
        static GatehouseExtension gatehouse = shared();

    }

    static class SecondShared extends Fixture {

        @RegisterExtension
        static GatehouseExtension gatehouse = shared();

    }

    static class InstanceField {

        @RegisterExtension
        GatehouseExtension gatehouse = GatehouseExtension.builder().api("https://instance.test/api").build();

        @Test
        void test() {
        }

    }

    /**
     * The {@code @DynamicPropertySource} method is the base class's, so Spring alone
     * would see one configuration and hand the second class the first one's context.
     */
    @SpringBootTest(classes = ApiApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
    abstract static class SpringBase {

        @RegisterExtension
        static GatehouseExtension gatehouse = GatehouseExtension.demoTenant();

        @DynamicPropertySource
        static void resourceServer(DynamicPropertyRegistry registry) {
            gatehouse.addResourceServerProperties(registry);
        }

        @LocalServerPort
        int port;

        @Test
        void apiAcceptsThisClassesTokens() throws Exception {
            HttpResponse<String> response = HttpClient.newHttpClient()
                .send(HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + "/api/private-scoped"))
                    .header("Authorization", "Bearer " + gatehouse.userToken("demo@example.com"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
            seen.add(gatehouse.issuer());
        }

    }

    static class SpringFirst extends SpringBase {

    }

    static class SpringSecond extends SpringBase {

    }

}
