package dev.gatehouse.authserver.protocol;

import static dev.gatehouse.authserver.protocol.OAuthTestClient.API;
import static dev.gatehouse.authserver.protocol.OAuthTestClient.SPA;
import static dev.gatehouse.authserver.protocol.OAuthTestClient.SPA_ORIGIN;
import static dev.gatehouse.authserver.protocol.OAuthTestClient.json;
import static dev.gatehouse.authserver.protocol.OAuthTestClient.jwt;
import static dev.gatehouse.authserver.protocol.OAuthTestClient.location;
import static dev.gatehouse.authserver.protocol.OAuthTestClient.query;
import static dev.gatehouse.authserver.protocol.OAuthTestClient.webMessage;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.SignedJWT;

import dev.gatehouse.authserver.config.GatehouseProperties;
import tools.jackson.databind.JsonNode;

/**
 * The authorization-code flow (docs/auth0-compatibility.md) over real HTTP against the
 * real application (real store beans, H2 file database in a temporary directory): login,
 * consent, PKCE, tokens, silent authentication, refresh rotation, logout and the negative
 * cases. Contract item IDs are named in each test.
 */
class AuthorizationCodeFlowTests extends ProtocolTestSupport {

    @Test
    void codeFlowWithPkceIssuesAuth0ShapedTokensAndEchoesStateByteExactly() throws Exception {
        OAuthTestClient.Authorize authorize = apiRequest().with("scope",
                "openid profile email offline_access read:messages unknown:scope");
        HttpResponse<String> first = this.browser.get(authorize.url());
        assertThat(location(first)).endsWith("/login");
        HttpResponse<String> consent = this.browser.follow(this.browser.login("alice@example.com", "Test-Passw0rd"));
        assertThat(consent.statusCode()).isEqualTo(200);
        // Consent names the application, the API and each scope (issue item 5); unknown
        // scopes were dropped.
        assertThat(consent.body())
            .contains("Gatehouse SPA", "Gatehouse API", API, "read:messages", "Read messages", "profile", "email",
                    "offline_access", ">Accept<", ">Decline<")
            .doesNotContain("unknown:scope");
        // The user sees who they are signed in as by email, never the internal subject.
        assertThat(consent.body()).contains("Signed in as <span>alice@example.com</span>").doesNotContain("auth0|");
        assertThat(consent.headers().firstValue("X-Frame-Options")).contains("DENY");

        Map<String, String> callback = codeResponse(this.browser.accept(consent));
        // auth0-compatibility A-5, T-1: state comes back byte-exact through
        // URLSearchParams-style decoding
        assertThat(callback.get("state")).isEqualTo("c3Rh+dGU/x==");
        assertThat(callback).containsKey("code");

        JsonNode tokens = exchange(authorize, callback.get("code"));
        // auth0-compatibility R-1: field set and a numeric expires_in
        assertThat(tokens.get("expires_in").isNumber()).isTrue();
        assertThat(tokens.get("token_type").asString()).isEqualTo("Bearer");
        assertThat(tokens.has("refresh_token")).isTrue();
        assertThat(tokens.get("scope").asString().split(" ")).contains("openid", "read:messages", "offline_access")
            .doesNotContain("unknown:scope");

        // Tokens are RS256 with the kid of a key in the JWKS (auth0-compatibility V-4,
        // V-11), verified for
        // real
        JWKSet jwks = JWKSet.parse(this.browser.get("/.well-known/jwks.json").body());
        for (String token : List.of(tokens.get("access_token").asString(), tokens.get("id_token").asString())) {
            SignedJWT jwt = SignedJWT.parse(token);
            assertThat(jwt.getHeader().getAlgorithm().getName()).isEqualTo("RS256");
            RSAKey key = (RSAKey) jwks.getKeyByKeyId(jwt.getHeader().getKeyID());
            assertThat(key).as("kid in JWKS").isNotNull();
            JWSVerifier verifier = new RSASSAVerifier(key);
            assertThat(jwt.verify(verifier)).isTrue();
        }

        // auth0-compatibility R-2, access token in Auth0's default profile: typ JWT, iss
        // sub aud azp iat exp scope + permissions
        JsonNode[] at = jwt(tokens.get("access_token").asString());
        assertThat(at[0].get("typ").asString()).isEqualTo("JWT");
        assertThat(at[1].get("iss").asString()).isEqualTo(ISSUER);
        assertThat(at[1].get("sub").asString()).startsWith("auth0|");
        assertThat(strings(at[1].get("aud"))).containsExactly(API, ISSUER + "userinfo");
        assertThat(at[1].get("azp").asString()).isEqualTo(SPA);
        assertThat(at[1].get("scope").isString()).isTrue();
        assertThat(at[1].get("jti").asString()).isNotBlank();
        assertThat(strings(at[1].get("permissions"))).containsExactly("read:messages");
        assertThat(at[1].get("exp").asLong() - at[1].get("iat").asLong()).isEqualTo(86400);

        // auth0-compatibility V-2..V-7, U-1: ID token
        JsonNode[] id = jwt(tokens.get("id_token").asString());
        assertThat(id[1].get("iss").asString()).isEqualTo(ISSUER);
        assertThat(id[1].get("aud").isString() ? id[1].get("aud").asString() : id[1].get("aud").get(0).asString())
            .isEqualTo(SPA);
        assertThat(id[1].get("nonce").asString()).isEqualTo("bm9u+Y2U=");
        assertThat(id[1].get("sid").asString()).isNotEmpty();
        assertThat(id[1].get("auth_time").isNumber()).isTrue();
        assertThat(id[1].get("sub").asString()).isEqualTo(at[1].get("sub").asString());
        assertThat(id[1].get("name").asString()).isEqualTo("Alice Tester");
        assertThat(id[1].get("email").asString()).isEqualTo("alice@example.com");
        assertThat(id[1].get("email_verified").isBoolean()).isTrue();
        assertThat(id[1].has("session_expiry")).isFalse();

        // auth0-compatibility U-3: /userinfo accepts our at+jwt access token
        HttpResponse<String> userinfo = this.browser.get("/userinfo", "Authorization",
                "Bearer " + tokens.get("access_token").asString());
        assertThat(userinfo.statusCode()).as(userinfo.body()).isEqualTo(200);
        assertThat(json(userinfo).get("email").asString()).isEqualTo("alice@example.com");
        assertThat(json(userinfo).get("sub").asString()).isEqualTo(id[1].get("sub").asString());
    }

    @Test
    void sessionCookieHasItsOwnNameAndIsHttpOnlyAndLax() {
        HttpResponse<String> page = this.browser.get("/login");
        String setCookie = page.headers()
            .allValues("Set-Cookie")
            .stream()
            .filter(c -> c.startsWith("GATEHOUSE_SSO="))
            .findFirst()
            .orElseThrow();
        assertThat(setCookie).contains("HttpOnly").containsIgnoringCase("SameSite=Lax");
        assertThat(page.headers().firstValue("X-Frame-Options")).contains("DENY");
    }

    @Test
    void loginWithWrongPasswordShowsOneGenericMessage() {
        HttpResponse<String> wrongPassword = this.browser.follow(this.browser.login("demo@example.com", "nope"));
        HttpResponse<String> unknownUser = this.browser.follow(this.browser.login("nobody@example.com", "nope"));
        assertThat(wrongPassword.body()).contains("Wrong email or password.");
        assertThat(unknownUser.body()).contains("Wrong email or password.");
        assertThat(this.browser.get("/userinfo").statusCode()).isEqualTo(401);
    }

    @Test
    void loginPostedSeveralTimesAtOnceInOneSessionIsNeverA5xx() {
        new LoginRaces(this.port).loginPostedSeveralTimesAtOnceInOneSessionIsNeverA5xx("demo@example.com",
                "Demo-Passw0rd", 4);
    }

    @Test
    void loginWithoutCsrfTokenIsRefused() {
        this.browser.get("/login");
        HttpResponse<String> post = this.browser.postForm("/login",
                Map.of("email", "demo@example.com", "password", "Demo-Passw0rd"));
        assertThat(post.statusCode()).isEqualTo(403);
        // A token of the right length that cannot be unmasked is refused alike, not a 500
        HttpResponse<String> undecodable = this.browser.postForm("/login",
                Map.of("email", "demo@example.com", "password", "Demo-Passw0rd", "_csrf", UNDECODABLE_CSRF_TOKEN));
        assertThat(undecodable.statusCode()).isEqualTo(403);
    }

    /** 36 zero bytes and 36 0xFF bytes: unmasked, no UTF-8. */
    private static final String UNDECODABLE_CSRF_TOKEN = "A".repeat(48) + "_".repeat(48);

    @Test
    void consentIsRememberedPerUserClientAndApiAndSilentAuthThenReturnsACode() {
        Map<String, String> callback = codeResponse(
                loginAndAuthorize(apiRequest(), "bob@example.com", "Test-Passw0rd"));
        assertThat(callback).containsKey("code");

        // Same user, client and API: no consent page this time, straight back with a code
        HttpResponse<String> again = this.browser.get(apiRequest().url());
        assertThat(codeResponse(again)).containsKey("code");

        // auth0-compatibility S-2..S-6: hidden-iframe silent auth with session and
        // consent: 200 page posting
        // the code, frameable
        OAuthTestClient.Authorize silent = apiRequest().with("prompt", "none").with("response_mode", "web_message");
        HttpResponse<String> page = this.browser.get(silent.url());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("X-Frame-Options")).isEmpty();
        assertThat(page.headers().firstValue("Content-Security-Policy").orElseThrow())
            .contains("frame-ancestors " + SPA_ORIGIN);
        // The target origin is the redirect URI's (as a JavaScript string, where "\/" is
        // "/")
        assertThat(page.body().replace("\\/", "/")).containsPattern("postMessage\\(d,\\s*\"" + SPA_ORIGIN + "\"\\)");
        JsonNode message = webMessage(page.body());
        assertThat(message.get("type").asString()).isEqualTo("authorization_response");
        assertThat(message.get("response").get("state").asString()).isEqualTo("c3Rh+dGU/x==");
        JsonNode tokens = exchange(silent, message.get("response").get("code").asString());
        assertThat(jwt(tokens.get("id_token").asString())[1].get("nonce").asString()).isEqualTo("bm9u+Y2U=");
    }

    @Test
    void promptNoneWithoutSessionAnswersLoginRequiredInUnderOneSecond() {
        OAuthTestClient.Authorize silent = apiRequest().with("prompt", "none").with("response_mode", "web_message");
        this.browser.get(silent.url()); // warm-up: the first request of a JVM pays class
                                        // loading
        long start = System.nanoTime();
        HttpResponse<String> page = new OAuthTestClient(this.port).get(silent.url());
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(millis).isLessThan(1000);
        JsonNode response = webMessage(page.body()).get("response");
        assertThat(response.get("error").asString()).isEqualTo("login_required");
        assertThat(response.get("state").asString()).isEqualTo("c3Rh+dGU/x==");
        assertThat(page.body()).doesNotContain("Continue");

        // response_mode=query: a redirect with the error and state, never the login page
        HttpResponse<String> query = new OAuthTestClient(this.port).get(apiRequest().with("prompt", "none").url());
        assertThat(query(location(query))).containsEntry("error", "login_required")
            .containsEntry("state", "c3Rh+dGU/x==");
        // and no session: a new cookie would replace the browser's session on another
        // instance
        assertThat(page.headers().allValues("Set-Cookie")).isEmpty();
        assertThat(query.headers().allValues("Set-Cookie")).isEmpty();
    }

    @Test
    void promptNoneWithSessionButNoConsentAnswersConsentRequired() {
        this.browser.login("carol@example.com", "Test-Passw0rd");
        HttpResponse<String> page = this.browser
            .get(apiRequest().with("prompt", "none").with("response_mode", "web_message").url());
        assertThat(webMessage(page.body()).get("response").get("error").asString()).isEqualTo("consent_required");
    }

    @Test
    void promptConsentAsksAgainAfterConsentWasGivenAndDeclineThenAnswersAccessDenied() {
        assertThat(codeResponse(loginAndAuthorize(apiRequest(), "yvonne@example.com", "Test-Passw0rd")))
            .containsKey("code");
        // remembered: no page without prompt=consent
        assertThat(codeResponse(this.browser.get(apiRequest().url()))).containsKey("code");

        // auth0-compatibility A-2: prompt=consent shows the page again
        OAuthTestClient.Authorize again = apiRequest().with("prompt", "consent");
        HttpResponse<String> page = this.browser.follow(this.browser.get(again.url()));
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("consent-accept", "read:messages");
        Map<String, String> accepted = codeResponse(this.browser.accept(page));
        assertThat(exchange(again, accepted.get("code")).get("access_token").asString()).isNotEmpty();

        HttpResponse<String> declinePage = this.browser
            .follow(this.browser.get(apiRequest().with("prompt", "consent").url()));
        assertThat(codeResponse(this.browser.decline(declinePage))).containsEntry("error", "access_denied")
            .containsEntry("state", "c3Rh+dGU/x==");

        // prompt=none cannot be combined with consent (OIDC Core 3.1.2.1)
        assertThat(codeResponse(this.browser.get(apiRequest().with("prompt", "none consent").url())))
            .containsEntry("error", "invalid_request");
    }

    @Test
    void authorizationRequestByPostIsAnsweredWithTheSameRequestByGet() {
        OAuthTestClient.Authorize authorize = apiRequest();
        HttpResponse<String> posted = this.browser.postForm("/authorize", authorize.params);
        assertThat(posted.statusCode()).isEqualTo(303);
        assertThat(location(posted)).startsWith("/authorize?");
        // state and nonce byte-exact, every parameter as sent
        assertThat(query(location(posted))).isEqualTo(authorize.params);
        assertThat(location(this.browser.get(location(posted)))).endsWith("/login");
        // The consent form, posted back without response_type, is not an authorization
        // request
        HttpResponse<String> consentShape = this.browser.postForm("/authorize",
                Map.of("client_id", SPA, "state", "unknown", "scope", "openid"));
        assertThat(consentShape.statusCode()).isEqualTo(302);
        assertThat(location(consentShape)).as("a consent by nobody signed in").endsWith("/login");
        // Signed in, but no page shown since the login (which clears the session's
        // token): a consent post without a token did not come from a consent page
        OAuthTestClient signedIn = new OAuthTestClient(this.port);
        signedIn.login("demo@example.com", "Demo-Passw0rd");
        assertThat(signedIn.postForm("/authorize", Map.of("client_id", SPA, "state", "unknown", "scope", "openid"))
            .statusCode()).isEqualTo(403);
        // Too large to travel as a GET: the error page, not a Location Tomcat cannot send
        HttpResponse<String> tooLarge = this.browser.postForm("/authorize",
                apiRequest().with("state", "s".repeat(7000)).params);
        assertThat(tooLarge.statusCode()).isEqualTo(400);
        assertThat(tooLarge.body()).contains("too large");
    }

    @Test
    void promptLoginFromASignedOutBrowserNeedsOneLogin() {
        HttpResponse<String> first = this.browser.get(apiRequest().with("prompt", "login").with("max_age", "0").url());
        assertThat(location(first)).startsWith("/authorize?");
        assertThat(query(location(first))).doesNotContainKeys("prompt", "max_age");
        assertThat(location(this.browser.get(location(first)))).endsWith("/login");

        HttpResponse<String> after = this.browser.follow(this.browser.login("demo@example.com", "Demo-Passw0rd"));
        if (after.statusCode() == 200 && after.body().contains("consent-accept")) {
            after = this.browser.accept(after);
        }
        assertThat(codeResponse(after)).as("no second login").containsKey("code");
    }

    @Test
    void promptLoginConsentByPostSignsInAgainThenAsksForConsentAgain() {
        assertThat(codeResponse(loginAndAuthorize(apiRequest(), "zoe@example.com", "Test-Passw0rd")))
            .containsKey("code");

        HttpResponse<String> posted = this.browser.postForm("/authorize",
                apiRequest().with("prompt", "login consent").params);
        HttpResponse<String> reauthenticate = this.browser.get(location(posted));
        // the same request again, relative, without what forced the login, with the rest
        assertThat(location(reauthenticate)).startsWith("/authorize?");
        assertThat(query(location(reauthenticate))).containsEntry("prompt", "consent");
        assertThat(location(this.browser.get(location(reauthenticate)))).as("the session ended").endsWith("/login");

        HttpResponse<String> consent = this.browser.follow(this.browser.login("zoe@example.com", "Test-Passw0rd"));
        assertThat(consent.statusCode()).isEqualTo(200);
        assertThat(consent.body()).contains("consent-accept");
        assertThat(codeResponse(this.browser.accept(consent))).containsKey("code");

        // max_age=0 by POST: signed in again too
        HttpResponse<String> maxAge = this.browser
            .get(location(this.browser.postForm("/authorize", apiRequest().with("max_age", "0").params)));
        assertThat(query(location(maxAge))).doesNotContainKey("max_age");
        assertThat(location(this.browser.get(location(maxAge)))).endsWith("/login");
    }

    @Test
    void fragmentAndFormPostResponseModesCarryTheCodeWhereTheClientLooks() {
        OAuthTestClient.Authorize fragment = apiRequest().with("response_mode", "fragment");
        HttpResponse<String> redirect = loginAndAuthorize(fragment, "demo@example.com", "Demo-Passw0rd");
        assertThat(redirect.statusCode()).isEqualTo(302);
        String location = location(redirect);
        assertThat(location).startsWith(SPA_ORIGIN + "#").doesNotContain("?");
        Map<String, String> inFragment = query(SPA_ORIGIN + "?" + location.substring(location.indexOf('#') + 1));
        assertThat(inFragment).containsEntry("state", "c3Rh+dGU/x==");
        assertThat(exchange(fragment, inFragment.get("code")).get("access_token").asString()).isNotEmpty();

        OAuthTestClient.Authorize formPost = apiRequest().with("response_mode", "form_post");
        HttpResponse<String> page = this.browser.get(formPost.url());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Security-Policy").orElseThrow())
            .contains("form-action " + SPA_ORIGIN, "frame-ancestors 'none'");
        assertThat(page.body()).contains("action=\"" + SPA_ORIGIN + "\"").doesNotContain("_csrf");
        Map<String, String> fields = new LinkedHashMap<>();
        Matcher hidden = Pattern.compile("name=\"([^\"]+)\" value=\"([^\"]*)\"").matcher(page.body());
        while (hidden.find()) {
            fields.put(hidden.group(1), hidden.group(2));
        }
        assertThat(fields).containsOnlyKeys("code", "state").containsEntry("state", "c3Rh+dGU/x==");
        assertThat(exchange(formPost, fields.get("code")).get("access_token").asString()).isNotEmpty();

        // errors go the same way
        HttpResponse<String> error = new OAuthTestClient(this.port)
            .get(apiRequest().with("response_mode", "fragment").with("prompt", "none").url());
        assertThat(location(error)).startsWith(SPA_ORIGIN + "#error=login_required");
    }

    @Test
    void authorizeWhenResponseModeUnsupportedThenInvalidRequestInTheQuery() {
        for (String mode : List.of("jwt", "query.jwt", "form_post.jwt", "web_message ", "QUERY")) {
            HttpResponse<String> answer = new OAuthTestClient(this.port)
                .get(apiRequest().with("response_mode", mode).url());
            assertThat(codeResponse(answer)).as(mode)
                .containsEntry("error", "invalid_request")
                .containsEntry("state", "c3Rh+dGU/x==")
                .doesNotContainKey("code");
            assertThat(query(location(answer)).get("error_description")).contains("response_mode");
        }
        // an empty parameter counts as absent (RFC 6749 section 3.1): the login page
        assertThat(location(new OAuthTestClient(this.port).get(apiRequest().with("response_mode", "").url())))
            .endsWith("/login");
    }

    @Test
    void consentAcceptWithoutTheSessionsCsrfTokenIsRefusedAndTheRequestStaysUsable() {
        assertThat(location(this.browser.get(apiRequest().url()))).endsWith("/login");
        HttpResponse<String> consent = this.browser.follow(this.browser.login("xavier@example.com", "Test-Passw0rd"));
        assertThat(consent.body()).contains("consent-accept");

        HttpResponse<String> withoutToken = this.browser.accept(consent,
                (fields) -> fields.stream().filter((field) -> !field.getKey().equals("_csrf")).toList());
        assertThat(withoutToken.statusCode()).isEqualTo(403);
        HttpResponse<String> otherToken = this.browser.accept(consent,
                (fields) -> fields.stream()
                    .map((field) -> field.getKey().equals("_csrf") ? Map.entry("_csrf", "bm90LXRoZS10b2tlbg") : field)
                    .toList());
        assertThat(otherToken.statusCode()).isEqualTo(403);
        HttpResponse<String> undecodable = this.browser.accept(consent,
                (fields) -> fields.stream()
                    .map((field) -> field.getKey().equals("_csrf") ? Map.entry("_csrf", UNDECODABLE_CSRF_TOKEN) : field)
                    .toList());
        assertThat(undecodable.statusCode()).isEqualTo(403);

        // A page left open past its session leads to the login page, not to a 403
        HttpResponse<String> expired = new OAuthTestClient(this.port).accept(consent);
        assertThat(location(expired)).endsWith("/login");

        assertThat(codeResponse(this.browser.accept(consent))).containsKey("code");
    }

    @Test
    void declinedConsentReturnsAccessDeniedWithState() {
        HttpResponse<String> first = this.browser.get(apiRequest().url());
        assertThat(location(first)).endsWith("/login");
        HttpResponse<String> consent = this.browser.follow(this.browser.login("dave@example.com", "Test-Passw0rd"));
        assertThat(consent.body()).contains("consent-decline");
        Map<String, String> callback = codeResponse(this.browser.decline(consent));
        assertThat(callback).containsEntry("error", "access_denied")
            .containsEntry("state", "c3Rh+dGU/x==")
            .doesNotContainKey("code");
    }

    @Test
    void userWithoutRolesGetsNoPermissionsAndNoApiScope() {
        Map<String, String> callback = codeResponse(
                loginAndAuthorize(apiRequest(), "viewer@example.com", "Viewer-Passw0rd"));
        OAuthTestClient.Authorize authorize = apiRequest();
        // the verifier belongs to the request that produced the code: redo with a fresh
        // one
        HttpResponse<String> again = this.browser.get(authorize.url());
        JsonNode tokens = exchange(authorize, codeResponse(again).get("code"));
        JsonNode claims = jwt(tokens.get("access_token").asString())[1];
        assertThat(strings(claims.get("permissions"))).isEmpty();
        assertThat(claims.get("scope").asString().split(" ")).doesNotContain("read:messages");
        // The response says what the token carries (RFC 6749 section 5.1), on refresh too
        assertThat(tokens.get("scope").asString()).isEqualTo(claims.get("scope").asString());
        JsonNode refreshed = refresh(tokens.get("refresh_token").asString(), 200);
        assertThat(refreshed.get("scope").asString())
            .isEqualTo(jwt(refreshed.get("access_token").asString())[1].get("scope").asString());
        // Asking for the API scope alone gives a token without scope, and says so
        HttpResponse<String> apiOnly = this.browser.postForm("/oauth/token", Map.of("client_id", SPA, "grant_type",
                "refresh_token", "refresh_token", refreshed.get("refresh_token").asString(), "scope", "read:messages"));
        assertThat(apiOnly.statusCode()).as(apiOnly.body()).isEqualTo(200);
        assertThat(jwt(json(apiOnly).get("access_token").asString())[1].has("scope")).isFalse();
        assertThat(json(apiOnly).get("scope").asString()).isEmpty();
        assertThat(callback).containsKey("code");
    }

    @Test
    void codeUsedTwiceIsInvalidGrantAndRevokesTheTokensItIssued() {
        OAuthTestClient.Authorize authorize = apiRequest();
        String code = codeResponse(loginAndAuthorize(authorize, "demo@example.com", "Demo-Passw0rd")).get("code");
        JsonNode tokens = exchange(authorize, code);

        HttpResponse<String> replay = this.browser.postForm("/oauth/token", authorize.tokenRequest(code), "Origin",
                SPA_ORIGIN);
        assertThat(replay.statusCode()).isEqualTo(400);
        assertThat(json(replay).get("error").asString()).isEqualTo("invalid_grant");
        assertThat(json(replay).has("error_description")).isTrue();

        // auth0-compatibility T-7: the first exchange's refresh token and access token
        // are revoked
        refresh(tokens.get("refresh_token").asString(), 400);
        assertThat(this.browser.get("/userinfo", "Authorization", "Bearer " + tokens.get("access_token").asString())
            .statusCode()).isEqualTo(401);
    }

    @Test
    void pkceMissingWrongOrPlainIsRefused() {
        OAuthTestClient.Authorize authorize = apiRequest();
        String code = codeResponse(loginAndAuthorize(authorize, "demo@example.com", "Demo-Passw0rd")).get("code");

        Map<String, String> noVerifier = new java.util.LinkedHashMap<>(authorize.tokenRequest(code));
        noVerifier.remove("code_verifier");
        assertInvalidGrant(this.browser.postForm("/oauth/token", noVerifier, "Origin", SPA_ORIGIN));

        Map<String, String> wrong = new java.util.LinkedHashMap<>(authorize.tokenRequest(code));
        wrong.put("code_verifier", OAuthTestClient.random(32));
        assertInvalidGrant(this.browser.postForm("/oauth/token", wrong, "Origin", SPA_ORIGIN));

        // "plain" semantics: the challenge itself as verifier
        Map<String, String> plainVerifier = new java.util.LinkedHashMap<>(authorize.tokenRequest(code));
        plainVerifier.put("code_verifier", authorize.params.get("code_challenge"));
        assertInvalidGrant(this.browser.postForm("/oauth/token", plainVerifier, "Origin", SPA_ORIGIN));

        // code_challenge_method=plain is refused at /authorize, answered at the redirect
        // URI with state
        Map<String, String> plain = query(
                location(this.browser.get(apiRequest().with("code_challenge_method", "plain").url())));
        assertThat(plain).containsEntry("error", "invalid_request").containsEntry("state", "c3Rh+dGU/x==");
        // and so is a request without PKCE
        Map<String, String> none = query(location(
                this.browser.get(apiRequest().with("code_challenge", null).with("code_challenge_method", null).url())));
        assertThat(none).containsEntry("error", "invalid_request");
    }

    @Test
    void authorizeWithoutRedirectUriAnswersAtTheFirstCallbackAndTheCodeExchangeNeedsNone() {
        // auth0-compatibility A-8: spa-js omits redirect_uri from a redirect login when
        // the app configures
        // none, and from the exchange
        OAuthTestClient.Authorize authorize = apiRequest().with("redirect_uri", null);
        Map<String, String> callback = codeResponse(loginAndAuthorize(authorize, "demo@example.com", "Demo-Passw0rd"));
        assertThat(callback.get("state")).isEqualTo("c3Rh+dGU/x==");
        assertThat(authorize.tokenRequest(callback.get("code")).get("redirect_uri")).as("not sent").isNull();

        JsonNode tokens = exchange(authorize, callback.get("code"));
        assertThat(jwt(tokens.get("access_token").asString())[1].get("aud").get(0).asString()).isEqualTo(API);
        assertThat(tokens.has("id_token")).isTrue();
    }

    @Test
    void codeIssuedForAnExplicitRedirectUriNeedsItAgainAtTheTokenEndpointWhateverTheClientClaims() {
        // The client cannot mark its own request as "defaulted" to skip the redirect_uri
        // check (RFC 6749 §4.1.3)
        OAuthTestClient.Authorize authorize = apiRequest().with("gatehouse:default_redirect_uri", "true");
        String code = codeResponse(loginAndAuthorize(authorize, "demo@example.com", "Demo-Passw0rd")).get("code");

        Map<String, String> withoutRedirect = new java.util.LinkedHashMap<>(authorize.tokenRequest(code));
        withoutRedirect.remove("redirect_uri");
        assertInvalidGrant(this.browser.postForm("/oauth/token", withoutRedirect, "Origin", SPA_ORIGIN));
        Map<String, String> otherRedirect = new java.util.LinkedHashMap<>(authorize.tokenRequest(code));
        otherRedirect.put("redirect_uri", SPA_ORIGIN + "/elsewhere");
        assertInvalidGrant(this.browser.postForm("/oauth/token", otherRedirect, "Origin", SPA_ORIGIN));

        // The code itself was fine: with its redirect_uri it is exchanged
        exchange(authorize, code);
    }

    private static void assertInvalidGrant(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        assertThat(json(response).get("error").asString()).isEqualTo("invalid_grant");
        assertThat(json(response).get("error_description").asString()).isNotBlank();
        assertThat(response.headers().firstValue("Access-Control-Allow-Origin")).contains(SPA_ORIGIN);
    }

    @Test
    void unregisteredRedirectUriOrUnknownClientGetsAnErrorPageNeverARedirect() {
        this.browser.login("demo@example.com", "Demo-Passw0rd");
        HttpResponse<String> badRedirect = this.browser
            .get(apiRequest().with("redirect_uri", "https://evil.example/cb").url());
        assertThat(badRedirect.statusCode()).isEqualTo(400);
        assertThat(badRedirect.headers().firstValue("Location")).isEmpty();
        assertThat(badRedirect.body()).contains("redirect_uri").doesNotContain("evil.example/cb?");

        HttpResponse<String> unknownClient = this.browser.get(apiRequest().with("client_id", "no-such-client").url());
        assertThat(unknownClient.statusCode()).isEqualTo(400);
        assertThat(unknownClient.headers().firstValue("Location")).isEmpty();
        assertThat(unknownClient.body()).contains("Unknown client");
        // auth0-compatibility S-3: the error page is never framed, by either header
        assertThat(unknownClient.headers().firstValue("X-Frame-Options")).contains("DENY");
        assertThat(unknownClient.headers().firstValue("Content-Security-Policy").orElse(""))
            .contains("frame-ancestors 'none'");

        // silent auth to a bad redirect URI: still no message to anybody
        HttpResponse<String> silent = new OAuthTestClient(this.port).get(apiRequest().with("prompt", "none")
            .with("response_mode", "web_message")
            .with("redirect_uri", "https://evil.example")
            .url());
        assertThat(silent.statusCode()).isEqualTo(400);
        assertThat(silent.body()).doesNotContain("postMessage");
    }

    @Test
    void unknownAudienceIsAccessDeniedAtTheRedirectUri() {
        this.browser.login("demo@example.com", "Demo-Passw0rd");
        HttpResponse<String> response = this.browser.get(apiRequest().with("audience", "https://nope.example").url());
        assertThat(query(location(response))).containsEntry("error", "access_denied")
            .containsEntry("error_description", "Service not found: https://nope.example")
            .containsEntry("state", "c3Rh+dGU/x==");
    }

    @Test
    void withoutAudienceTheAccessTokenIsForUserinfoOnly() {
        OAuthTestClient.Authorize authorize = new OAuthTestClient.Authorize();
        String code = codeResponse(loginAndAuthorize(authorize, "demo@example.com", "Demo-Passw0rd")).get("code");
        JsonNode tokens = exchange(authorize, code);
        JsonNode claims = jwt(tokens.get("access_token").asString())[1];
        assertThat(strings(claims.get("aud"))).containsExactly(ISSUER + "userinfo");
        assertThat(this.browser.get("/userinfo", "Authorization", "Bearer " + tokens.get("access_token").asString())
            .statusCode()).isEqualTo(200);
    }

    @Test
    void refreshTokensRotateOnEveryUseAndReuseRevokesTheFamily() {
        OAuthTestClient.Authorize authorize = apiRequest();
        String code = codeResponse(loginAndAuthorize(authorize, "demo@example.com", "Demo-Passw0rd")).get("code");
        JsonNode tokens = exchange(authorize, code);
        String first = tokens.get("refresh_token").asString();

        // auth0-compatibility S-11, S-12, S-16: a new refresh token and an id_token in
        // every refresh response
        JsonNode second = refresh(first, 200);
        assertThat(second.get("refresh_token").asString()).isNotEqualTo(first);
        assertThat(second.has("id_token")).isTrue();
        // Within the same second as the code exchange, the refreshed access token is
        // still a new token (own jti)
        assertThat(second.get("access_token").asString()).isNotEqualTo(tokens.get("access_token").asString());
        assertThat(jwt(second.get("access_token").asString())[1].get("jti").asString())
            .isNotEqualTo(jwt(tokens.get("access_token").asString())[1].get("jti").asString());
        assertThat(jwt(second.get("access_token").asString())[1].get("aud").get(0).asString()).isEqualTo(API);
        JsonNode third = refresh(second.get("refresh_token").asString(), 200);
        assertThat(third.has("id_token")).isTrue();

        // Reuse of a rotated token: refused, and the whole family goes with it
        JsonNode reuse = refresh(first, 400);
        assertThat(reuse.get("error").asString()).isEqualTo("invalid_grant");
        assertThat(reuse.get("error_description").asString()).isEqualTo("Unknown or invalid refresh token.");
        refresh(third.get("refresh_token").asString(), 400);
        assertThat(this.browser.get("/userinfo", "Authorization", "Bearer " + third.get("access_token").asString())
            .statusCode()).isEqualTo(401);
    }

    @Test
    void refreshWithANarrowerScopeWithoutOfflineAccessStillRotatesTheFamily() {
        OAuthTestClient.Authorize authorize = apiRequest();
        JsonNode tokens = exchange(authorize,
                codeResponse(loginAndAuthorize(authorize, "demo@example.com", "Demo-Passw0rd")).get("code"));

        HttpResponse<String> narrowed = this.browser.postForm("/oauth/token", Map.of("client_id", SPA, "grant_type",
                "refresh_token", "refresh_token", tokens.get("refresh_token").asString(), "scope", "openid"));
        assertThat(narrowed.statusCode()).as(narrowed.body()).isEqualTo(200);
        assertThat(json(narrowed).get("scope").asString()).isEqualTo("openid");
        assertThat(jwt(json(narrowed).get("access_token").asString())[1].get("scope").asString()).isEqualTo("openid");

        // The family keeps what the login granted
        JsonNode next = refresh(json(narrowed).get("refresh_token").asString(), 200);
        assertThat(jwt(next.get("access_token").asString())[1].get("scope").asString()).contains("read:messages");
        refresh(tokens.get("refresh_token").asString(), 400);
    }

    @Test
    void noRefreshTokenWithoutOfflineAccess() {
        OAuthTestClient.Authorize authorize = apiRequest().with("scope", "openid profile read:messages");
        JsonNode tokens = exchange(authorize,
                codeResponse(loginAndAuthorize(authorize, "demo@example.com", "Demo-Passw0rd")).get("code"));
        assertThat(tokens.has("refresh_token")).isFalse();
    }

    @Test
    void tokenEndpointAcceptsJsonBodies() {
        OAuthTestClient.Authorize authorize = apiRequest();
        String code = codeResponse(loginAndAuthorize(authorize, "demo@example.com", "Demo-Passw0rd")).get("code");
        String body = OAuthTestClient.JSON.writeValueAsString(authorize.tokenRequest(code));
        HttpResponse<String> response = this.browser.postJson("/oauth/token", body, "Origin", SPA_ORIGIN);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        String refreshToken = json(response).get("refresh_token").asString();
        HttpResponse<String> refreshed = this.browser.postJson("/oauth/token", "{\"client_id\":\"" + SPA
                + "\",\"grant_type\":\"refresh_token\",\"refresh_token\":\"" + refreshToken + "\",\"max_age\":3600}");
        assertThat(refreshed.statusCode()).as(refreshed.body()).isEqualTo(200);

        // A percent-encoded path reaches the token endpoint too, so its body is read and
        // its answer readable by the browser there as well.
        HttpResponse<String> encoded = this.browser.postJson("/oauth/%74oken",
                "{\"client_id\":\"" + SPA + "\",\"grant_type\":\"refresh_token\",\"refresh_token\":\""
                        + json(refreshed).get("refresh_token").asString() + "\"}",
                "Origin", SPA_ORIGIN);
        assertThat(encoded.statusCode()).as(encoded.body()).isEqualTo(200);
        assertThat(encoded.headers().firstValue("Access-Control-Allow-Origin")).contains(SPA_ORIGIN);
    }

    @Test
    void revokedRefreshTokenNoLongerRefreshes() {
        OAuthTestClient.Authorize authorize = apiRequest();
        JsonNode tokens = exchange(authorize,
                codeResponse(loginAndAuthorize(authorize, "demo@example.com", "Demo-Passw0rd")).get("code"));
        HttpResponse<String> revoke = this.browser.postForm("/oauth/revoke", Map.of("client_id", SPA, "token",
                tokens.get("refresh_token").asString(), "token_type_hint", "refresh_token"), "Origin", SPA_ORIGIN);
        assertThat(revoke.statusCode()).isEqualTo(200);
        assertThat(revoke.headers().firstValue("Access-Control-Allow-Origin")).contains(SPA_ORIGIN);
        refresh(tokens.get("refresh_token").asString(), 400);
    }

    @Test
    void logoutEndsTheSessionAndRedirectsOnlyToAllowedUrls() {
        codeResponse(loginAndAuthorize(apiRequest(), "demo@example.com", "Demo-Passw0rd"));

        // auth0-compatibility L-1: value-less federated and auth0Client are tolerated
        HttpResponse<String> logout = this.browser.get("/v2/logout?client_id=" + SPA + "&returnTo="
                + OAuthTestClient.enc(SPA_ORIGIN) + "&auth0Client=eyJ9&federated");
        assertThat(logout.statusCode()).isEqualTo(302);
        assertThat(location(logout)).isEqualTo(SPA_ORIGIN);

        // auth0-compatibility L-3: the SSO session is gone; silent auth now answers
        // login_required
        HttpResponse<String> silent = this.browser
            .get(apiRequest().with("prompt", "none").with("response_mode", "web_message").url());
        assertThat(webMessage(silent.body()).get("response").get("error").asString()).isEqualTo("login_required");

        HttpResponse<String> notAllowed = this.browser
            .get("/v2/logout?client_id=" + SPA + "&returnTo=" + OAuthTestClient.enc("https://evil.example/"));
        assertThat(notAllowed.statusCode()).isEqualTo(400);
        assertThat(notAllowed.headers().firstValue("Location")).isEmpty();

        HttpResponse<String> bare = this.browser.follow(this.browser.get("/v2/logout"));
        assertThat(bare.statusCode()).isEqualTo(200);
        assertThat(bare.body()).contains("You are signed out");
    }

    @Test
    void firstPartyClientSkipsConsentForAnApiThatAllowsItButNotOnLocalhost() {
        OAuthTestClient.Authorize web = new OAuthTestClient.Authorize().with("client_id", "first-party-spa")
            .with("redirect_uri", "https://app.example.test/callback")
            .with("audience", "https://first.example.test/api")
            .with("scope", "openid profile read:things");
        HttpResponse<String> first = this.browser.get(web.url());
        assertThat(location(first)).endsWith("/login");
        HttpResponse<String> result = this.browser.follow(this.browser.login("erin@example.com", "Test-Passw0rd"));
        assertThat(result.statusCode()).isEqualTo(302);
        assertThat(location(result)).startsWith("https://app.example.test/callback?code=");

        HttpResponse<String> local = this.browser
            .get(new OAuthTestClient.Authorize().with("client_id", "first-party-spa")
                .with("redirect_uri", "http://localhost:4300/callback")
                .with("audience", "https://first.example.test/api")
                .with("scope", "openid profile read:things")
                .url());
        HttpResponse<String> consent = this.browser.follow(local);
        assertThat(consent.statusCode()).isEqualTo(200);
        assertThat(consent.body()).contains("First Party Web", "First Party API", "read:things");
    }

    @Test
    void popupLoginThroughConsentAnswersWithAWebMessage() {
        // auth0-compatibility S-10: popup = web_message without prompt=none: login page,
        // consent page, then
        // the message page
        OAuthTestClient.Authorize popup = apiRequest().with("response_mode", "web_message");
        HttpResponse<String> first = this.browser.get(popup.url());
        assertThat(location(first)).endsWith("/login");
        HttpResponse<String> consent = this.browser.follow(this.browser.login("frank@example.com", "Test-Passw0rd"));
        assertThat(consent.body()).contains("consent-accept");
        HttpResponse<String> page = this.browser.accept(consent);
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("X-Frame-Options")).isEmpty();
        JsonNode response = webMessage(page.body()).get("response");
        assertThat(response.get("state").asString()).isEqualTo("c3Rh+dGU/x==");
        JsonNode tokens = exchange(popup, response.get("code").asString());
        assertThat(tokens.has("id_token")).isTrue();
    }

    @Test
    void promptLoginAndMaxAgeForceAFreshLogin() {
        codeResponse(loginAndAuthorize(apiRequest(), "demo@example.com", "Demo-Passw0rd"));

        // with a session and a recent login, a generous max_age is satisfied silently
        HttpResponse<String> recent = this.browser
            .get(apiRequest().with("prompt", "none").with("max_age", "3600").url());
        assertThat(query(location(recent))).containsKey("code");
        // max_age=0 cannot be satisfied without interaction: login_required, and the
        // session is kept
        HttpResponse<String> zero = this.browser.get(apiRequest().with("prompt", "none").with("max_age", "0").url());
        assertThat(query(location(zero))).containsEntry("error", "login_required");

        // prompt=login: the session ends and the same request continues after a fresh
        // login
        HttpResponse<String> forced = this.browser.get(apiRequest().with("prompt", "login").url());
        assertThat(location(forced)).contains("/authorize?").doesNotContain("prompt=login");
        HttpResponse<String> login = this.browser.get(location(forced));
        assertThat(location(login)).endsWith("/login");
        HttpResponse<String> done = this.browser.follow(this.browser.login("demo@example.com", "Demo-Passw0rd"));
        assertThat(codeResponse(done)).containsKey("code");
    }

    @Test
    void authorizeAtAPercentEncodedPathMeetsTheSameChecks() {
        codeResponse(loginAndAuthorize(apiRequest(), "demo@example.com", "Demo-Passw0rd"));
        String encoded = "/%61uthorize?";

        HttpResponse<String> recent = this.browser
            .get(apiRequest().with("prompt", "none").with("max_age", "3600").url().replace("/authorize?", encoded));
        assertThat(query(location(recent))).containsKey("code");
        HttpResponse<String> zero = this.browser
            .get(apiRequest().with("prompt", "none").with("max_age", "0").url().replace("/authorize?", encoded));
        assertThat(query(location(zero))).containsEntry("error", "login_required").doesNotContainKey("code");

        OAuthTestClient stranger = new OAuthTestClient(this.browser.base);
        HttpResponse<String> silent = stranger
            .get(apiRequest().with("prompt", "none").url().replace("/authorize?", encoded));
        assertThat(query(location(silent))).containsEntry("error", "login_required");
    }

}
