package dev.gatehouse.benchmarks.testkit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.gatehouse.testkit.GatehouseExtension;

/**
 * Two test classes using the kit as its README shows: a tenant built in the class (an
 * API, a SPA, a role, a user, a machine client), one server per class, and a first test
 * that gets a token, minted directly or from the token endpoint
 * ({@code client_credentials}).
 */
final class GatehouseClasses {

    static final String API = "https://bench.example.test/api";

    private GatehouseClasses() {
    }

    static GatehouseExtension extension() {
        return builder().build();
    }

    static GatehouseExtension.Builder builder() {
        return GatehouseExtension.builder()
            .api(API, "read:things")
            .spa("bench-spa", "http://localhost:4200")
            .role("reader", API, "read:things")
            .user("reader@example.test", "Reader-Passw0rd", "reader")
            .machineClient("bench-m2m", "bench-m2m-secret", API, "read:things");
    }

    static String token(GatehouseExtension gatehouse) {
        if ("http".equals(System.getProperty("bench.variant"))) {
            return TokenEndpoint.clientCredentials(gatehouse.tokenEndpoint(), "bench-m2m", "bench-m2m-secret",
                    "audience", API);
        }
        return gatehouse.userToken("reader@example.test");
    }

    @ExtendWith(Stopwatch.class)
    public static class First {

        @RegisterExtension
        static GatehouseExtension gatehouse = extension();

        @Test
        void firstToken() {
            Stopwatch.firstToken("first", token(gatehouse));
        }

    }

    @ExtendWith(Stopwatch.class)
    public static class Second {

        @RegisterExtension
        static GatehouseExtension gatehouse = extension();

        @Test
        void firstToken() {
            Stopwatch.firstToken("second", token(gatehouse));
        }

    }

    /** The same, with {@code shared()}: one server for both classes. */
    @ExtendWith(Stopwatch.class)
    public static class SharedFirst {

        @RegisterExtension
        static GatehouseExtension gatehouse = builder().shared().build();

        @Test
        void firstToken() {
            Stopwatch.firstToken("first", token(gatehouse));
        }

    }

    @ExtendWith(Stopwatch.class)
    public static class SharedSecond {

        @RegisterExtension
        static GatehouseExtension gatehouse = builder().shared().build();

        @Test
        void firstToken() {
            Stopwatch.firstToken("second", token(gatehouse));
        }

    }

}
