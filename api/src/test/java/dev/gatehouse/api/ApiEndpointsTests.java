package dev.gatehouse.api;

import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Set;

import com.nimbusds.jose.JOSEObjectType;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.test.context.TestPropertySource;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

import dev.gatehouse.api.support.ApiAgainstTestIssuer;
import dev.gatehouse.api.support.TestIssuer;

import static dev.gatehouse.api.support.ErrorAssertions.assertCleanErrorBody;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The endpoints, CORS and the web-level error answers, over real HTTP with tokens from a
 * real issuer.
 */
@TestPropertySource(properties = "gatehouse.api.cors.allowed-origins=http://localhost:4200,http://app.example")
class ApiEndpointsTests extends ApiAgainstTestIssuer {

    static final TestIssuer issuer = TestIssuer.start();

    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    RequestMappingHandlerMapping mappings;

    @Test
    void externalWhenValidTokenThenQuickstartMessage() {
        HttpResponse<String> response = api().get("/api/external", issuer.token((claims) -> {
        }));
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("{\"msg\":\"Your access token was successfully validated!\"}");
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
    }

    @Test
    void publicWhenNoTokenThenOk() {
        HttpResponse<String> response = api().get("/api/public");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).startsWith("{\"msg\":\"");
    }

    @Test
    void privateWhenValidTokenThenOk() {
        assertThat(api().get("/api/private", issuer.token((claims) -> {
        })).statusCode()).isEqualTo(200);
    }

    @Test
    void protectedWhenNoTokenThen401WithBareBearerChallenge() {
        for (String path : List.of("/api/external", "/api/private", "/api/private-scoped")) {
            HttpResponse<String> response = api().get(path);
            assertThat(response.statusCode()).as(path).isEqualTo(401);
            assertThat(response.headers().allValues("WWW-Authenticate")).as(path).containsExactly("Bearer");
            assertCleanErrorBody(response, "unauthorized");
        }
    }

    @Test
    void protectedWhenBasicCredentialsThen401() {
        HttpResponse<String> response = api().send("GET", "/api/private", "Authorization", "Basic ZGVtbzpkZW1v");
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().allValues("WWW-Authenticate")).containsExactly("Bearer");
    }

    @Test
    void privateScopedWhenScopeStringHasReadMessagesThenOk() {
        String token = issuer.token((claims) -> claims.claim("scope", "openid profile read:messages"));
        assertThat(api().get("/api/private-scoped", token).statusCode()).isEqualTo(200);
    }

    @Test
    void privateScopedWhenPermissionsArrayHasReadMessagesThenOk() {
        String token = issuer
            .token((claims) -> claims.claim("scope", "openid profile").claim("permissions", List.of("read:messages")));
        assertThat(api().get("/api/private-scoped", token).statusCode()).isEqualTo(200);
    }

    @Test
    void privateScopedWhenScopeMissingOrOnlySimilarThen403WithExactChallenge() {
        List<String> tokens = List.of(issuer.token((claims) -> {
        }), issuer.token((claims) -> claims.claim("scope", "openid read:messagesX read:message")),
                issuer.token((claims) -> claims.claim("permissions", List.of("write:messages"))),
                issuer.token((claims) -> claims.claim("permissions", "read:messages")),
                issuer.token((claims) -> claims.claim("scope", List.of("read:messages"))));
        for (String token : tokens) {
            HttpResponse<String> response = api().get("/api/private-scoped", token);
            assertThat(response.statusCode()).isEqualTo(403);
            assertThat(response.headers().allValues("WWW-Authenticate"))
                .containsExactly("Bearer error=\"insufficient_scope\", scope=\"read:messages\"");
            assertCleanErrorBody(response, "insufficient_scope");
        }
    }

    /**
     * Two Authorization headers are two tokens (or a token and something else): which one
     * counts would depend on who reads the request (a proxy checking the last one, the
     * API the first), so the request is refused whatever the schemes and the path.
     */
    @Test
    void requestWhenTwoAuthorizationHeadersThen400() {
        String valid = issuer.token((claims) -> claims.claim("scope", "read:messages"));
        List<List<String>> pairs = List.of(List.of("Bearer " + valid, "Bearer not.a.token"),
                List.of("Bearer " + valid, "Bearer " + valid), List.of("Bearer " + valid, "DPoP whatever"),
                List.of("DPoP whatever", "Bearer " + valid), List.of("Basic ZGVtbzpkZW1v", "Bearer " + valid),
                List.of("Bearer " + valid, "Basic ZGVtbzpkZW1v"), List.of("Basic ZGVtbzpkZW1v", "Basic ZGVtbzpkZW1v"));
        for (String path : List.of("/api/public", "/api/external", "/api/private-scoped")) {
            for (List<String> pair : pairs) {
                String name = path + " " + pair.get(0).split(" ")[0] + " then " + pair.get(1).split(" ")[0];
                HttpResponse<String> response = api().send("GET", path, "Authorization", pair.get(0), "Authorization",
                        pair.get(1), "DPoP", "x");
                assertThat(response.statusCode()).as(name).isEqualTo(400);
                assertThat(response.headers().firstValue("WWW-Authenticate").orElseThrow()).as(name)
                    .contains("error=\"invalid_request\", error_description=\"The request has more than one "
                            + "Authorization header\"");
                assertCleanErrorBody(response, "invalid_request");
            }
        }
    }

    @Test
    void tokenWhenTypIsAtJwtOrMissingOrAudIsAStringThenAccepted() {
        String atJwt = issuer.token((header) -> header.type(new JOSEObjectType("at+jwt")), (claims) -> {
        });
        String noTyp = issuer.token((header) -> header.type(null), (claims) -> {
        });
        String singleAud = issuer.token((claims) -> claims.audience(TestIssuer.AUDIENCE));
        for (String token : List.of(atJwt, noTyp, singleAud)) {
            assertThat(api().get("/api/external", token).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void tokenWhenTimestampsWithinSixtySecondsOfSkewThenAccepted() {
        Instant now = Instant.now();
        String justExpired = issuer.token((claims) -> claims.issueTime(Date.from(now.minusSeconds(340)))
            .expirationTime(Date.from(now.minusSeconds(40))));
        String almostValid = issuer.token((claims) -> claims.notBeforeTime(Date.from(now.plusSeconds(40))));
        assertThat(api().get("/api/private", justExpired).statusCode()).isEqualTo(200);
        assertThat(api().get("/api/private", almostValid).statusCode()).isEqualTo(200);
    }

    @Test
    void tokenWhenClaimsHaveOddShapesThenNeverServerError() {
        List<String> tokens = List.of(issuer.token((claims) -> claims.subject(null)),
                issuer.token((claims) -> claims.subject(null).claim("sub", java.util.Map.of("id", 1))),
                issuer.token((claims) -> claims.claim("scope", 42)),
                issuer.token((claims) -> claims.claim("permissions", java.util.Map.of("read:messages", true))),
                issuer.token((claims) -> claims.claim("permissions", java.util.Arrays.asList("read:messages", null))),
                issuer.token((claims) -> claims.expirationTime(null).claim("exp", 1e20)),
                issuer.token((claims) -> claims.claim("nbf", "soon")));
        for (String token : tokens) {
            HttpResponse<String> response = api().get("/api/private-scoped", token);
            assertThat(response.statusCode()).isIn(200, 401, 403);
            assertThat(response.body()).doesNotContain("Exception");
        }
    }

    @Test
    void unknownPathThen404Json() {
        for (String path : List.of("/nope", "/api/nope", "/api/private/", "/API/PRIVATE", "/actuator", "/actuator/env",
                "/error")) {
            HttpResponse<String> response = api().get(path);
            assertThat(response.statusCode()).as(path).isEqualTo(404);
            assertCleanErrorBody(response, "not_found");
        }
    }

    /**
     * Path parameters whose escapes cannot be decoded: Tomcat passes them on undecoded,
     * java.net.URI refuses to send them, so a plain socket does.
     */
    @Test
    void pathParameterWithAnUndecodableEscapeThen400Json() throws IOException {
        for (String path : List.of("/api/external;x=%zz", "/api/public;x=%", "/;a=%2", "/api/private;jsessionid=%g0")) {
            String answer = raw("GET " + path + " HTTP/1.1");
            assertThat(answer).as(path).startsWith("HTTP/1.1 400 ");
            assertThat(answer).as(path).containsIgnoringCase("Content-Type: application/json");
            assertThat(answer).as(path).contains("{\"error\":\"invalid_request\"");
        }
    }

    /**
     * Statuses the HTTP RFCs prescribe for what is not served name the reason, not a
     * server error.
     */
    @Test
    void unsupportedProtocolVersionOrTransferCodingThenJsonNamingIt() throws IOException {
        String version = raw("GET /api/public HTTP/3.0");
        assertThat(version).startsWith("HTTP/1.1 505 ").contains("{\"error\":\"http_version_not_supported\"");
        String coding = raw("GET /api/public HTTP/1.1\r\nTransfer-Encoding: bogus");
        assertThat(coding).startsWith("HTTP/1.1 501 ").contains("{\"error\":\"not_implemented\"");
    }

    /**
     * One request over a plain socket (java.net.URI and HttpClient refuse what these
     * tests send): the request line and any further header lines, then the whole answer.
     */
    private String raw(String requestHead) throws IOException {
        try (Socket socket = new Socket("localhost", URI.create(api().base()).getPort())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream()
                .write((requestHead + "\r\nHost: localhost\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void wrongMethodThen405JsonWithAllow() {
        HttpResponse<String> response = api().send("POST", "/api/public");
        assertThat(response.statusCode()).isEqualTo(405);
        assertThat(response.headers().firstValue("Allow"))
            .hasValueSatisfying((allow) -> assertThat(allow).contains("GET"));
        assertCleanErrorBody(response, "method_not_allowed");

        HttpResponse<String> authenticated = api().send("DELETE", "/api/private", "Authorization",
                "Bearer " + issuer.token((claims) -> {
                }));
        assertThat(authenticated.statusCode()).isEqualTo(405);
        assertCleanErrorBody(authenticated, "method_not_allowed");
    }

    @Test
    void acceptHtmlThenStillJson() {
        HttpResponse<String> response = api().send("GET", "/nope", "Accept", "text/html");
        assertThat(response.statusCode()).isEqualTo(404);
        assertCleanErrorBody(response, "not_found");
        HttpResponse<String> ok = api().send("GET", "/api/public", "Accept", "text/html");
        assertThat(ok.statusCode()).isEqualTo(200);
    }

    @Test
    void healthThenUp() {
        HttpResponse<String> response = api().get("/actuator/health");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("\"status\":\"UP\"");
    }

    @Test
    void corsPreflightFromAllowedOriginThenAuthorizationAllowed() {
        HttpResponse<String> response = api().send("OPTIONS", "/api/external", "Origin", "http://localhost:4200",
                "Access-Control-Request-Method", "GET", "Access-Control-Request-Headers", "authorization");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Access-Control-Allow-Origin")).hasValue("http://localhost:4200");
        assertThat(response.headers().firstValue("Access-Control-Allow-Headers"))
            .hasValueSatisfying((headers) -> assertThat(headers.toLowerCase()).contains("authorization"));
        assertThat(response.headers().firstValue("Access-Control-Allow-Credentials")).isEmpty();

        HttpResponse<String> second = api().send("GET", "/api/external", "Origin", "http://app.example",
                "Authorization", "Bearer " + issuer.token((claims) -> {
                }));
        assertThat(second.statusCode()).isEqualTo(200);
        assertThat(second.headers().firstValue("Access-Control-Allow-Origin")).hasValue("http://app.example");
    }

    @Test
    void corsWhenOriginNotListedThen403JsonWithoutAllowOrigin() {
        HttpResponse<String> preflight = api().send("OPTIONS", "/api/external", "Origin", "http://evil.example",
                "Access-Control-Request-Method", "GET", "Access-Control-Request-Headers", "authorization");
        assertThat(preflight.statusCode()).isEqualTo(403);
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
        assertCleanErrorBody(preflight, "forbidden");

        HttpResponse<String> actual = api().send("GET", "/api/public", "Origin", "http://localhost:4201");
        assertThat(actual.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
        assertThat(actual.statusCode()).isEqualTo(403);
        assertCleanErrorBody(actual, "forbidden");

        HttpResponse<String> malformed = api().send("GET", "/api/public", "Origin", "http://a b");
        assertThat(malformed.statusCode()).isEqualTo(403);
        assertCleanErrorBody(malformed, "forbidden");
    }

    /**
     * The RFC 9728 metadata Spring Security serves for a resource server describes this
     * API: its issuer, header tokens, DPoP, and no certificate-bound tokens.
     */
    @Test
    void resourceMetadataNamesTheIssuerAndDPoPAndNoCertificateBinding() {
        HttpResponse<String> response = api().get("/.well-known/oauth-protected-resource");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("\"authorization_servers\":[\"" + issuer.issuer() + "\"]")
            .contains("\"bearer_methods_supported\":[\"header\"]")
            .contains("\"dpop_signing_alg_values_supported\":[\"ES256\"")
            .contains("\"dpop_bound_access_tokens_required\":false")
            .doesNotContain("tls_client_certificate_bound_access_tokens");
    }

    @Test
    void tokenWhen64KilobytesThen431Json() {
        String huge = "eyJ" + "a".repeat(64 * 1024);
        HttpResponse<String> response = api().get("/api/private", huge);
        assertThat(response.statusCode()).isEqualTo(431);
        assertCleanErrorBody(response, "request_too_large");
    }

    @Test
    void everyMappedApiPathExceptPublicRequiresAToken() {
        Set<String> paths = new java.util.TreeSet<>();
        for (RequestMappingInfo info : this.mappings.getHandlerMethods().keySet()) {
            paths.addAll(info.getPatternValues());
        }
        assertThat(paths).contains("/api/external", "/api/private", "/api/private-scoped", "/api/public");
        for (String path : paths) {
            if (path.startsWith("/api/") && !path.equals("/api/public")) {
                assertThat(api().get(path).statusCode()).as(path).isEqualTo(401);
            }
        }
    }

}
