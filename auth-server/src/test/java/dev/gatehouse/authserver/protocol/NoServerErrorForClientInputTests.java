package dev.gatehouse.authserver.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

import org.junit.jupiter.api.Test;
import org.springframework.boot.logging.LogLevel;
import org.springframework.boot.logging.LoggingSystem;

/**
 * Whatever a client sends, the answer is a client error or a success, never a 5xx: a
 * sweep of malformed, oversized and contradictory requests over every endpoint, with and
 * without a signed-in session.
 */
class NoServerErrorForClientInputTests extends ProtocolTestSupport {

    private static final String BIG = "x".repeat(20_000);

    private static final String BASIC = "Basic Z2F0ZWhvdXNlLW0ybTpnYXRlaG91c2UtbTJtLXNlY3JldA==";

    @Test
    void noRequestAnswersWithAServerErrorAnonymouslyOrSignedIn() {
        List<String> failures = new ArrayList<>();
        sweep(failures, "anonymous");
        new GrantRaces(this.browser).tokens("olivia@example.com", "Test-Passw0rd");
        sweep(failures, "signed in");
        assertThat(failures).isEmpty();
    }

    private void sweep(List<String> failures, String who) {
        Map<String, Function<OAuthTestClient, HttpResponse<String>>> requests = new LinkedHashMap<>();
        String authorize = new OAuthTestClient.Authorize().url();
        for (String extra : List.of("", "&client_id=unknown", "&redirect_uri=http://%5B::1", "&response_type=token",
                "&response_type=code%20id_token", "&code_challenge_method=plain", "&code_challenge=short",
                "&scope=" + BIG, "&prompt=garbage", "&prompt=none%20login", "&prompt=consent", "&max_age=1e400",
                "&max_age=", "&audience=https://unknown.example", "&audience=", "&state=%00%01%FF", "&nonce=" + BIG,
                "&response_mode=form_post", "&response_mode=fragment", "&request_uri=urn:x",
                "&request=eyJhbGciOiJub25lIn0.e30.", "&id_token_hint=garbage", "&login_hint=" + BIG,
                "&ui_locales=%E0%A4", "&client_id=gatehouse-m2m", "&scope=openid%20offline_access%20read:messages")) {
            requests.put("GET /authorize" + abbreviate(extra), (c) -> c.get(authorize + extra));
        }
        requests.put("GET /authorize bare", (c) -> c.get("/authorize"));
        requests.put("POST /authorize consent without state",
                (c) -> c.postForm("/authorize", Map.of("client_id", "gatehouse-spa", "scope", "openid")));
        for (Map<String, String> form : List.<Map<String, String>>of(Map.of(), Map.of("grant_type", "magic"),
                Map.of("grant_type", "authorization_code", "client_id", "gatehouse-spa"),
                Map.of("grant_type", "authorization_code", "client_id", "gatehouse-spa", "code", BIG, "code_verifier",
                        "v"),
                Map.of("grant_type", "refresh_token", "client_id", "unknown", "refresh_token", "x"),
                Map.of("grant_type", "refresh_token", "client_id", "gatehouse-spa", "refresh_token", BIG),
                Map.of("grant_type", "refresh_token", "client_id", "gatehouse-spa", "refresh_token", "x", "scope",
                        "admin"),
                Map.of("grant_type", "client_credentials", "client_id", "gatehouse-m2m", "client_secret", "x"),
                Map.of("grant_type", "client_credentials", "client_id", "gatehouse-spa"),
                Map.of("grant_type", "urn:ietf:params:oauth:grant-type:device_code", "client_id", "gatehouse-spa"),
                Map.of("grant_type", "password", "username", "demo@example.com", "password", "Demo-Passw0rd",
                        "client_id", "gatehouse-spa"))) {
            requests.put("POST /oauth/token " + abbreviate(form.toString()),
                    (c) -> c.postForm("/oauth/token", form, "Origin", "http://evil.example"));
        }
        requests.put("POST /oauth/token client_credentials no audience",
                (c) -> c.postForm("/oauth/token", Map.of("grant_type", "client_credentials"), "Authorization", BASIC));
        requests.put("POST /oauth/token client_credentials unknown audience",
                (c) -> c.postForm("/oauth/token",
                        Map.of("grant_type", "client_credentials", "audience", "https://x", "scope", "nope"),
                        "Authorization", BASIC));
        for (String basic : List.of("Basic !!!", "Basic ", "Basic Zm9v", "Basic Og==", "Bearer x", "Basic " + BIG)) {
            requests.put("POST /oauth/token auth " + abbreviate(basic),
                    (c) -> c.postForm("/oauth/token",
                            Map.of("grant_type", "client_credentials", "audience", OAuthTestClient.API),
                            "Authorization", basic));
        }
        for (String json : List.of("", "{", "[]", "\"x\"", "null", "{\"grant_type\":{\"a\":1}}",
                "{\"grant_type\":[\"a\",\"b\"]}", "{\"x\":\"" + BIG.repeat(4) + "\"}")) {
            requests.put("POST /oauth/token json " + abbreviate(json), (c) -> c.postJson("/oauth/token", json));
        }
        requests.put("POST /oauth/token text", (c) -> c.postJson("/oauth/token", "a=b", "Content-Type", "text/plain"));
        requests.put("POST /oauth/token DPoP garbage",
                (c) -> c.postForm("/oauth/token",
                        Map.of("grant_type", "refresh_token", "client_id", "gatehouse-spa", "refresh_token", "x"),
                        "DPoP", "garbage"));
        requests.put("POST /oauth/revoke garbage", (c) -> c.postForm("/oauth/revoke",
                Map.of("client_id", "gatehouse-spa", "token", BIG, "token_type_hint", "nonsense")));
        requests.put("POST /oauth/revoke no client", (c) -> c.postForm("/oauth/revoke", Map.of("token", "x")));
        requests.put("POST /oauth/introspect no client", (c) -> c.postForm("/oauth/introspect", Map.of("token", "x")));
        for (String bearer : List.of("Bearer garbage", "Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.", "Bearer a.b.c",
                "Bearer " + BIG, "Basic x", "Bearer")) {
            requests.put("GET /userinfo " + abbreviate(bearer), (c) -> c.get("/userinfo", "Authorization", bearer));
        }
        requests.put("POST /userinfo no token", (c) -> c.postForm("/userinfo", Map.of()));
        requests.put("GET /v2/logout javascript", (c) -> c.get("/v2/logout?returnTo=javascript:alert(1)"));
        requests.put("GET /v2/logout unknown client", (c) -> c.get("/v2/logout?client_id=x&returnTo=%00"));
        requests.put("GET /oidc/logout garbage hint", (c) -> c.get("/oidc/logout?id_token_hint=garbage"));
        requests.put("GET /consent garbage", (c) -> c.get("/consent?state=" + BIG));
        requests.put("POST /consent/deny no csrf", (c) -> c.postForm("/consent/deny", Map.of("state", "x")));
        requests.put("POST /login empty", (c) -> c.postForm("/login", Map.of()));
        requests.put("GET /login?error", (c) -> c.get("/login?error"));
        requests.put("GET /.well-known/jwks.json?x", (c) -> c.get("/.well-known/jwks.json?kid=" + BIG));
        requests.put("GET /nothing", (c) -> c.get("/nothing/here"));
        requests.put("OPTIONS /oauth/token", (c) -> c.options("/oauth/token", "Origin", "http://evil.example",
                "Access-Control-Request-Method", "DELETE"));
        for (String origin : List.of("http://a b", "http://localhost:4200%00", "http://%zz", "http://localhost:4200:x",
                "http://localhost:4200 ,http://evil.example")) {
            requests.put("POST /oauth/token Origin " + origin,
                    (c) -> c.postForm("/oauth/token",
                            Map.of("grant_type", "client_credentials", "audience", OAuthTestClient.API),
                            "Authorization", BASIC, "Origin", origin));
            requests.put("OPTIONS /oauth/token Origin " + origin,
                    (c) -> c.options("/oauth/token", "Origin", origin, "Access-Control-Request-Method", "POST"));
            requests.put("POST /oauth/revoke Origin " + origin, (c) -> c.postForm("/oauth/revoke",
                    Map.of("client_id", "gatehouse-spa", "token", "x"), "Origin", origin));
            requests.put("POST /passkey/challenge Origin " + origin,
                    (c) -> c.postJson("/passkey/challenge", "{\"client_id\":\"gatehouse-spa\"}", "Origin", origin));
        }
        requests.put("GET /error", (c) -> c.get("/error"));
        requests.forEach((name, request) -> {
            HttpResponse<String> response = request.apply(this.browser);
            if (name.contains(" Origin ") && (response.statusCode() != 403
                    || response.headers().firstValue("Access-Control-Allow-Origin").isPresent())) {
                failures.add(who + ": " + name + " -> " + response.statusCode() + " " + response.headers().map());
            }
            if (response.statusCode() >= 500) {
                failures.add(who + ": " + name + " -> " + response.statusCode() + " " + abbreviate(response.body()));
            }
        });
    }

    /**
     * Spring's CORS logging at DEBUG (what a user turns on to find out why a browser's
     * call is refused) changes no answer: an {@code Origin} that is no URL, at paths with
     * and without a CORS configuration (our endpoints, pages, static files, a preflight
     * of the login form), is answered as at the default level, never with a 500.
     */
    @Test
    void originThatIsNoUrlIsAnsweredAlikeWithCorsLoggingAtDebug() {
        List<String> paths = List.of(new OAuthTestClient.Authorize().url(), "/login", "/consent?state=x",
                "/oauth/token", "/userinfo", "/.well-known/jwks.json", "/nothing/here", "/favicon.ico",
                "/css/gatehouse.css", "/js/passkeys.js", "OPTIONS /login", "OPTIONS /css/gatehouse.css");
        for (String origin : List.of("http://%zz", "http://x y")) {
            Map<String, Integer> atDefault = answers(paths, origin);
            LoggingSystem logging = LoggingSystem.get(getClass().getClassLoader());
            logging.setLogLevel("org.springframework.web.cors", LogLevel.DEBUG);
            try {
                Map<String, Integer> atDebug = answers(paths, origin);
                assertThat(atDebug).as(origin).isEqualTo(atDefault);
                assertThat(atDebug.values()).as(origin).allMatch((status) -> status < 500);
            }
            finally {
                logging.setLogLevel("org.springframework.web.cors", null);
            }
        }
    }

    private Map<String, Integer> answers(List<String> paths, String origin) {
        Map<String, Integer> answers = new LinkedHashMap<>();
        for (String path : paths) {
            HttpResponse<String> answer = path.startsWith("OPTIONS ") ? this.browser.request("OPTIONS",
                    path.substring(8), "", "Origin", origin, "Access-Control-Request-Method", "POST")
                    : this.browser.get(path, "Origin", origin);
            answers.put(path, answer.statusCode());
        }
        return answers;
    }

    /**
     * Path parameters with escapes that cannot be decoded: Tomcat passes them on
     * undecoded, and they reached code that parses the path (a 500, on every path).
     */
    @Test
    void anUndecodablePathParameterIsABadRequestEverywhereAndJsonAtJsonEndpoints() throws IOException {
        for (String path : List.of("/;x=%zz", "/login;x=%zz", "/authorize;a=%zz", "/.well-known/jwks.json;a=%",
                "/nothing;a=%2", "/oauth/revoke;a=%g0")) {
            RawAnswer answer = raw("GET " + path, "");
            assertThat(answer.status()).as(path).isEqualTo(400);
        }
        for (String path : List.of("/oauth/token;x=%zz", "/oauth/%74oken;jsessionid=%zz", "/userinfo;a=%zz")) {
            RawAnswer answer = raw("POST " + path, "grant_type=client_credentials");
            assertThat(answer.status()).as(path).isEqualTo(400);
            assertThat(answer.contentType()).as(path).startsWith("application/json");
            assertThat(OAuthTestClient.JSON.readTree(answer.body()).get("error").asString()).as(path)
                .isEqualTo("invalid_request");
        }
    }

    /**
     * What the container or a filter refuses before a JSON endpoint can answer still
     * reaches its client as an OAuth error object.
     */
    @Test
    void jsonEndpointsAnswerJsonForWhatIsRefusedBeforeThem() {
        Map<String, HttpResponse<String>> answers = new LinkedHashMap<>();
        String form = "application/x-www-form-urlencoded";
        answers.put("undecodable form value",
                this.browser.request("POST", "/oauth/token", "grant_type=%zz", "Content-Type", form));
        answers.put("revoke, undecodable form value", this.browser.request("POST", "/oauth/revoke",
                "token=%zz&client_id=gatehouse-spa", "Content-Type", form));
        answers.put("PUT",
                this.browser.request("PUT", "/oauth/token", "grant_type=client_credentials", "Content-Type", form));
        answers.forEach((name, answer) -> {
            assertThat(answer.statusCode()).as(name).isBetween(400, 499);
            assertThat(answer.headers().firstValue("Content-Type").orElse("")).as(name).startsWith("application/json");
            assertThat(OAuthTestClient.json(answer).get("error").asString()).as(name).isNotBlank();
        });
    }

    /**
     * One request over a plain socket: java.net.URI refuses the paths these tests send.
     */
    private RawAnswer raw(String requestLine, String body) throws IOException {
        try (Socket socket = new Socket("localhost", this.port)) {
            socket.setSoTimeout(10_000);
            String request = requestLine + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n"
                    + "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: " + body.length() + "\r\n\r\n"
                    + body;
            socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            // Headers are ASCII; ISO-8859-1 keeps one char per byte, so chunk sizes hold.
            String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            int headersEnd = response.indexOf("\r\n\r\n");
            String head = response.substring(0, headersEnd);
            String contentType = head.lines()
                .filter((line) -> line.regionMatches(true, 0, "Content-Type:", 0, 13))
                .map((line) -> line.substring(13).trim())
                .findFirst()
                .orElse("");
            String rest = response.substring(headersEnd + 4);
            String content = head.toLowerCase(Locale.ROOT).contains("transfer-encoding: chunked") ? unchunk(rest)
                    : rest;
            return new RawAnswer(Integer.parseInt(head.substring(9, 12)), contentType,
                    new String(content.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8));
        }
    }

    private static String unchunk(String chunked) {
        StringBuilder body = new StringBuilder();
        int at = 0;
        while (true) {
            int lineEnd = chunked.indexOf("\r\n", at);
            int size = Integer.parseInt(chunked.substring(at, lineEnd).trim(), 16);
            if (size == 0) {
                return body.toString();
            }
            body.append(chunked, lineEnd + 2, lineEnd + 2 + size);
            at = lineEnd + 2 + size + 2;
        }
    }

    private record RawAnswer(int status, String contentType, String body) {
    }

    private static String abbreviate(String value) {
        return (value.length() > 60) ? value.substring(0, 60) + "..." : value;
    }

}
