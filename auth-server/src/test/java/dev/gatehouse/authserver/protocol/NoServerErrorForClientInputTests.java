package dev.gatehouse.authserver.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.junit.jupiter.api.Test;

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
        requests.forEach((name, request) -> {
            HttpResponse<String> response = request.apply(this.browser);
            if (response.statusCode() >= 500) {
                failures.add(who + ": " + name + " -> " + response.statusCode() + " " + abbreviate(response.body()));
            }
        });
    }

    private static String abbreviate(String value) {
        return (value.length() > 60) ? value.substring(0, 60) + "..." : value;
    }

}
