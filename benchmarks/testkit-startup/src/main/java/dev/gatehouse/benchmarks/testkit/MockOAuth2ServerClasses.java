package dev.gatehouse.benchmarks.testkit;

import java.util.Map;

import no.nav.security.mock.oauth2.MockOAuth2Server;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The same two test classes with navikt's mock-oauth2-server as its README shows: started
 * in {@code @BeforeAll}, shut down in {@code @AfterAll}, a first test that gets a token
 * from {@code issueToken} or from its token endpoint ({@code client_credentials}).
 */
final class MockOAuth2ServerClasses {

    static final String API = "https://bench.example.test/api";

    private MockOAuth2ServerClasses() {
    }

    static String token(MockOAuth2Server server) {
        if ("http".equals(System.getProperty("bench.variant"))) {
            return TokenEndpoint.clientCredentials(server.tokenEndpointUrl("default").toString(), "bench-m2m",
                    "bench-m2m-secret", "scope", "read:things");
        }
        return server.issueToken("default", "reader@example.test", API, Map.of("scope", "read:things")).serialize();
    }

    @ExtendWith(Stopwatch.class)
    public static class First {

        static MockOAuth2Server server;

        @BeforeAll
        static void start() {
            server = new MockOAuth2Server();
            server.start();
        }

        @AfterAll
        static void stop() {
            server.shutdown();
        }

        @Test
        void firstToken() {
            Stopwatch.firstToken("first", token(server));
        }

    }

    @ExtendWith(Stopwatch.class)
    public static class Second {

        static MockOAuth2Server server;

        @BeforeAll
        static void start() {
            server = new MockOAuth2Server();
            server.start();
        }

        @AfterAll
        static void stop() {
            server.shutdown();
        }

        @Test
        void firstToken() {
            Stopwatch.firstToken("second", token(server));
        }

    }

}
