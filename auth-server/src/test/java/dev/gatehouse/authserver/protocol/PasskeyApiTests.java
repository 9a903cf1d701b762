package dev.gatehouse.authserver.protocol;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import dev.gatehouse.authserver.passkey.SoftwareAuthenticator;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static dev.gatehouse.authserver.protocol.OAuthTestClient.API;
import static dev.gatehouse.authserver.protocol.OAuthTestClient.SPA;
import static dev.gatehouse.authserver.protocol.OAuthTestClient.SPA_ORIGIN;
import static dev.gatehouse.authserver.protocol.OAuthTestClient.json;
import static dev.gatehouse.authserver.protocol.OAuthTestClient.jwt;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The SDK's passkey API as spa-js calls it: JSON to {@code /passkey/register} and
 * {@code /passkey/challenge} from the SPA's origin with its {@code Auth0-Client} header,
 * then the webauthn grant as JSON at {@code /oauth/token}; and every abuse refused
 * without a 5xx.
 */
class PasskeyApiTests extends ProtocolTestSupport {

    static final String GRANT = "urn:okta:params:oauth:grant-type:webauthn";

    static final String AUTH0_CLIENT = "eyJuYW1lIjoiYXV0aDAtc3BhLWpzIn0=";

    static final AtomicInteger USERS = new AtomicInteger();

    static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void signupThenLoginIssueTokensForTheApi() {
        SoftwareAuthenticator authenticator = new SoftwareAuthenticator();
        String email = newEmail();

        JsonNode signup = signup(authenticator, email);

        assertThat(signup.get("token_type").asString()).isEqualTo("Bearer");
        JsonNode access = jwt(signup.get("access_token").asString())[1];
        assertThat(strings(access.get("aud"))).contains(API);
        JsonNode id = jwt(signup.get("id_token").asString())[1];
        assertThat(id.get("email").asString()).isEqualTo(email);
        assertThat(id.get("aud").asString()).isEqualTo(SPA);
        assertThat(strings(id.get("amr"))).contains("hwk", "mfa");
        assertThat(id.has("auth_time")).isTrue();
        assertThat(signup.get("refresh_token")).isNotNull();

        JsonNode login = login(authenticator);
        assertThat(jwt(login.get("id_token").asString())[1].get("sub").asString()).isEqualTo(id.get("sub").asString());

        // The refresh token of a passkey login rotates like any other.
        HttpResponse<String> refreshed = this.browser.postForm("/oauth/token", Map.of("grant_type", "refresh_token",
                "client_id", SPA, "refresh_token", login.get("refresh_token").asString()), "Origin", SPA_ORIGIN);
        assertThat(refreshed.statusCode()).as(refreshed.body()).isEqualTo(200);
        assertThat(strings(jwt(json(refreshed).get("id_token").asString())[1].get("amr"))).contains("hwk");
    }

    @Test
    void passkeyGrantWithADPoPProofIssuesABoundAccessTokenAndRefreshToken() {
        SoftwareAuthenticator authenticator = new SoftwareAuthenticator();
        signup(authenticator, newEmail());
        DPoPKey key = DPoPKey.ec();
        String tokenUrl = "http://localhost:" + this.port + "/oauth/token";

        // A bad proof is refused before the auth_session is spent, so the login can go
        // on.
        JsonNode challenge = json(post("/passkey/challenge", Map.of("client_id", SPA)));
        String session = challenge.get("auth_session").asString();
        String answer = authenticator.get("localhost", SPA_ORIGIN,
                challenge.get("authn_params_public_key").get("challenge").asString());
        HttpResponse<String> badProof = token(session, answer, "DPoP", key.proof("GET", tokenUrl));
        assertThat(badProof.statusCode()).as(badProof.body()).isEqualTo(400);
        assertThat(json(badProof).get("error").asString()).isEqualTo("invalid_dpop_proof");
        HttpResponse<String> twoProofs = token(session, answer, "DPoP", key.proof("POST", tokenUrl), "DPoP",
                key.proof("POST", tokenUrl));
        assertThat(twoProofs.statusCode()).as(twoProofs.body()).isEqualTo(400);
        assertThat(json(twoProofs).get("error").asString()).isEqualTo("invalid_request");

        HttpResponse<String> bound = token(session, answer, "DPoP", key.proof("POST", tokenUrl));
        assertThat(bound.statusCode()).as(bound.body()).isEqualTo(200);
        assertThat(json(bound).get("token_type").asString()).isEqualTo("DPoP");
        assertThat(jwt(json(bound).get("access_token").asString())[1].get("cnf").get("jkt").asString())
            .isEqualTo(key.thumbprint());

        // The refresh token is bound to the key too.
        Map<String, String> refresh = Map.of("grant_type", "refresh_token", "client_id", SPA, "refresh_token",
                json(bound).get("refresh_token").asString());
        HttpResponse<String> asBearer = this.browser.postForm("/oauth/token", refresh, "Origin", SPA_ORIGIN);
        assertThat(asBearer.statusCode()).as(asBearer.body()).isEqualTo(400);
        assertThat(json(asBearer).get("error").asString()).isEqualTo("invalid_dpop_proof");
        HttpResponse<String> otherKey = this.browser.postForm("/oauth/token", refresh, "Origin", SPA_ORIGIN, "DPoP",
                DPoPKey.ec().proof("POST", tokenUrl));
        assertThat(otherKey.statusCode()).as(otherKey.body()).isEqualTo(400);
        HttpResponse<String> rotated = this.browser.postForm("/oauth/token", refresh, "Origin", SPA_ORIGIN, "DPoP",
                key.proof("POST", tokenUrl));
        assertThat(rotated.statusCode()).as(rotated.body()).isEqualTo(200);
        assertThat(json(rotated).get("token_type").asString()).isEqualTo("DPoP");
    }

    @Test
    void challengeEndpointsAnswerTheSdksPreflightAndCarryCors() {
        for (String path : List.of("/passkey/register", "/passkey/challenge")) {
            HttpResponse<String> preflight = this.browser.options(path, "Origin", SPA_ORIGIN,
                    "Access-Control-Request-Method", "POST", "Access-Control-Request-Headers",
                    "auth0-client,content-type");
            assertThat(preflight.statusCode()).as(path).isEqualTo(200);
            assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin")).contains(SPA_ORIGIN);
            assertThat(preflight.headers().firstValue("Access-Control-Allow-Headers").orElse("").toLowerCase())
                .contains("auth0-client");
        }
        HttpResponse<String> challenge = post("/passkey/challenge", Map.of("client_id", SPA));
        assertThat(challenge.statusCode()).isEqualTo(200);
        assertThat(challenge.headers().firstValue("Access-Control-Allow-Origin")).contains(SPA_ORIGIN);
        JsonNode body = json(challenge);
        assertThat(body.get("auth_session").asString()).isNotBlank();
        assertThat(body.get("authn_params_public_key").get("rpId").asString()).isEqualTo("localhost");
        assertThat(body.get("authn_params_public_key").get("userVerification").asString()).isEqualTo("required");
        assertThat(challenge.headers().firstValue("Set-Cookie")).isEmpty();
    }

    @Test
    void authSessionIsGoodForOneTokenRequest() {
        SoftwareAuthenticator authenticator = new SoftwareAuthenticator();
        signup(authenticator, newEmail());
        JsonNode challenge = json(post("/passkey/challenge", Map.of("client_id", SPA)));
        String session = challenge.get("auth_session").asString();
        String answer = authenticator.get("localhost", SPA_ORIGIN,
                challenge.get("authn_params_public_key").get("challenge").asString());

        assertThat(token(session, answer).statusCode()).isEqualTo(200);
        HttpResponse<String> replay = token(session, answer);
        assertThat(replay.statusCode()).isEqualTo(400);
        assertThat(json(replay).get("error").asString()).isEqualTo("invalid_grant");
    }

    @Test
    void assertionSentAgainWithANewChallengeIsRefused() {
        SoftwareAuthenticator authenticator = new SoftwareAuthenticator();
        signup(authenticator, newEmail());
        JsonNode first = json(post("/passkey/challenge", Map.of("client_id", SPA)));
        String answer = authenticator.get("localhost", SPA_ORIGIN,
                first.get("authn_params_public_key").get("challenge").asString());
        assertThat(token(first.get("auth_session").asString(), answer).statusCode()).isEqualTo(200);

        JsonNode second = json(post("/passkey/challenge", Map.of("client_id", SPA)));
        HttpResponse<String> replay = token(second.get("auth_session").asString(), answer);
        assertThat(replay.statusCode()).isEqualTo(400);
        assertThat(json(replay).get("error").asString()).isEqualTo("invalid_grant");
    }

    @Test
    void counterThatGoesBackwardsIsRefused() {
        SoftwareAuthenticator authenticator = new SoftwareAuthenticator();
        signup(authenticator, newEmail());
        authenticator.counter(10);
        login(authenticator);

        JsonNode challenge = json(post("/passkey/challenge", Map.of("client_id", SPA)));
        String cloned = authenticator.assertion("localhost", SPA_ORIGIN,
                challenge.get("authn_params_public_key").get("challenge").asString(), 5);
        HttpResponse<String> refused = token(challenge.get("auth_session").asString(), cloned);
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(json(refused).get("error").asString()).isEqualTo("invalid_grant");

        // The same counter again is a replay too.
        JsonNode again = json(post("/passkey/challenge", Map.of("client_id", SPA)));
        String same = authenticator.assertion("localhost", SPA_ORIGIN,
                again.get("authn_params_public_key").get("challenge").asString(), authenticator.counter());
        assertThat(token(again.get("auth_session").asString(), same).statusCode()).isEqualTo(400);
    }

    @Test
    void loginWhenTheAnswerNamesAnotherUserThanThePasskeysOwnerThenInvalidGrant() {
        SoftwareAuthenticator mine = new SoftwareAuthenticator();
        String mySubject = jwt(signup(mine, newEmail()).get("id_token").asString())[1].get("sub").asString();
        SoftwareAuthenticator theirs = new SoftwareAuthenticator();
        signup(theirs, newEmail());

        // My passkey's valid signature, with a userHandle naming the other user (WebAuthn
        // Level 2 section 7.2, step 6), and with none at all on a ceremony that named no
        // credentials.
        for (String userHandle : java.util.Arrays.asList(theirs.userHandle(), null)) {
            JsonNode challenge = json(post("/passkey/challenge", Map.of("client_id", SPA)));
            String forged = mine.getNaming("localhost", SPA_ORIGIN,
                    challenge.get("authn_params_public_key").get("challenge").asString(), userHandle);
            HttpResponse<String> refused = token(challenge.get("auth_session").asString(), forged);
            assertThat(refused.statusCode()).as(refused.body()).isEqualTo(400);
            assertThat(json(refused).get("error").asString()).isEqualTo("invalid_grant");
            assertThat(json(refused).get("error_description").asString()).contains("userHandle");
        }

        // The refusals changed nothing, not even the stored counter: the next answer of
        // my
        // passkey counting from its signup still signs me in.
        JsonNode challenge = json(post("/passkey/challenge", Map.of("client_id", SPA)));
        String answer = mine.assertion("localhost", SPA_ORIGIN,
                challenge.get("authn_params_public_key").get("challenge").asString(), 1);
        HttpResponse<String> login = token(challenge.get("auth_session").asString(), answer);
        assertThat(login.statusCode()).as(login.body()).isEqualTo(200);
        assertThat(jwt(json(login).get("id_token").asString())[1].get("sub").asString()).isEqualTo(mySubject);
    }

    @Test
    void wrongOriginOrRpIdIsRefused() {
        SoftwareAuthenticator authenticator = new SoftwareAuthenticator();
        signup(authenticator, newEmail());
        for (String[] place : List.of(new String[] { "localhost", "https://evil.example" },
                new String[] { "localhost", "http://localhost:4300" }, new String[] { "evil.example", SPA_ORIGIN })) {
            JsonNode challenge = json(post("/passkey/challenge", Map.of("client_id", SPA)));
            String answer = authenticator.get(place[0], place[1],
                    challenge.get("authn_params_public_key").get("challenge").asString());
            HttpResponse<String> refused = token(challenge.get("auth_session").asString(), answer);
            assertThat(refused.statusCode()).as(String.join(" ", place)).isEqualTo(400);
            assertThat(json(refused).get("error").asString()).isEqualTo("invalid_grant");
        }
        // A signup from another origin does not create the user.
        SoftwareAuthenticator other = new SoftwareAuthenticator();
        String email = newEmail();
        JsonNode register = json(
                post("/passkey/register", Map.of("client_id", SPA, "user_profile", Map.of("email", email))));
        JsonNode options = register.get("authn_params_public_key");
        String answer = other.create("localhost", "https://evil.example", options.get("challenge").asString(),
                options.get("user").get("id").asString());
        assertThat(token(register.get("auth_session").asString(), answer).statusCode()).isEqualTo(400);
        assertThat(post("/passkey/register", Map.of("client_id", SPA, "user_profile", Map.of("email", email)))
            .statusCode()).isEqualTo(200);
    }

    @Test
    void signupForAnExistingEmailIsRefused() {
        HttpResponse<String> refused = post("/passkey/register",
                Map.of("client_id", SPA, "user_profile", Map.of("email", "demo@example.com")));
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(json(refused).get("error").asString()).isEqualTo("user_exists");
    }

    @Test
    void clientsWithoutThePasskeyGrantAreRefused() {
        HttpResponse<String> thirdParty = this.browser.postJson("/passkey/challenge",
                "{\"client_id\":\"third-party-spa\"}", "Origin", "http://localhost:4400");
        assertThat(thirdParty.statusCode()).isEqualTo(403);
        assertThat(json(thirdParty).get("error").asString()).isEqualTo("unauthorized_client");
        HttpResponse<String> unknown = post("/passkey/challenge", Map.of("client_id", "nobody"));
        assertThat(unknown.statusCode()).isEqualTo(401);
        assertThat(json(unknown).get("error").asString()).isEqualTo("invalid_client");
        HttpResponse<String> realm = post("/passkey/challenge", Map.of("client_id", SPA, "realm", "other-db"));
        assertThat(realm.statusCode()).isEqualTo(400);
    }

    @Test
    void hostileBodiesAreClientErrorsNeverServerErrors() {
        List<String> bodies = List.of("", "[]", "{", "{\"client_id\":5}", "{\"client_id\":\"gatehouse-spa\"}",
                "{\"client_id\":\"gatehouse-spa\",\"user_profile\":\"x\"}",
                "{\"client_id\":\"gatehouse-spa\",\"user_profile\":{\"email\":\"not-an-email\"}}",
                "{\"client_id\":\"gatehouse-spa\",\"user_profile\":{\"email\":[1]}}");
        for (String body : bodies) {
            HttpResponse<String> response = this.browser.postJson("/passkey/register", body, "Origin", SPA_ORIGIN);
            assertThat(response.statusCode()).as(body).isBetween(400, 499);
        }
        SoftwareAuthenticator authenticator = new SoftwareAuthenticator();
        signup(authenticator, newEmail());
        JsonNode challenge = json(post("/passkey/challenge", Map.of("client_id", SPA)));
        String session = challenge.get("auth_session").asString();
        for (String answer : List.of("\"text\"", "{}", "{\"id\":\"x\",\"response\":{}}",
                "{\"id\":\"AA\",\"rawId\":\"AA\",\"type\":\"public-key\",\"response\":{\"clientDataJSON\":\"AA\","
                        + "\"authenticatorData\":\"AA\",\"signature\":\"AA\"}}")) {
            HttpResponse<String> response = this.browser.postJson(
                    "/oauth/token", "{\"grant_type\":\"" + GRANT + "\",\"client_id\":\"" + SPA
                            + "\",\"auth_session\":\"" + session + "\",\"authn_response\":" + answer + "}",
                    "Origin", SPA_ORIGIN);
            assertThat(response.statusCode()).as(answer).isEqualTo(400);
            session = json(post("/passkey/challenge", Map.of("client_id", SPA))).get("auth_session").asString();
        }
        HttpResponse<String> noSession = this.browser.postJson("/oauth/token",
                "{\"grant_type\":\"" + GRANT + "\",\"client_id\":\"" + SPA + "\"}", "Origin", SPA_ORIGIN);
        assertThat(noSession.statusCode()).isEqualTo(400);
    }

    @Test
    void challengeWhenAcceptExcludesJsonThenStillJson() {
        for (String accept : List.of("text/html", "text/plain", "application/xml", "image/png")) {
            HttpResponse<String> challenge = post("/passkey/challenge", Map.of("client_id", SPA), "Accept", accept);
            assertThat(challenge.statusCode()).as(accept).isEqualTo(200);
            assertThat(challenge.headers().firstValue("Content-Type").orElse("")).as(accept)
                .startsWith("application/json");
            assertThat(json(challenge).get("auth_session").asString()).as(accept).isNotBlank();

            HttpResponse<String> register = post("/passkey/register",
                    Map.of("client_id", SPA, "user_profile", Map.of("email", newEmail())), "Accept", accept);
            assertThat(register.statusCode()).as(accept).isEqualTo(200);
            assertThat(register.headers().firstValue("Content-Type").orElse("")).as(accept)
                .startsWith("application/json");
            assertThat(json(register).get("authn_params_public_key").get("challenge").asString()).as(accept)
                .isNotBlank();
        }
    }

    @Test
    void challengeWhenRefusedAndAcceptExcludesJsonThenJsonError() {
        for (String accept : List.of("text/html", "text/plain", "application/xml")) {
            for (String path : List.of("/passkey/challenge", "/passkey/register")) {
                HttpResponse<String> refused = post(path, Map.of(), "Accept", accept);
                assertThat(refused.statusCode()).as(path + " " + accept).isEqualTo(400);
                assertThat(refused.headers().firstValue("Content-Type").orElse("")).as(path + " " + accept)
                    .startsWith("application/json");
                assertThat(json(refused).get("error").asString()).isEqualTo("invalid_request");
                assertThat(json(refused).get("error_description").asString())
                    .isEqualTo("Missing required parameter: client_id");
            }
            HttpResponse<String> unknown = post("/passkey/challenge", Map.of("client_id", "nobody"), "Accept", accept);
            assertThat(unknown.statusCode()).as(accept).isEqualTo(401);
            assertThat(json(unknown).get("error").asString()).isEqualTo("invalid_client");
        }
    }

    @Test
    void registerWhenEmailHasControlCharacterThenInvalidRequest() {
        String unique = System.nanoTime() + "-" + USERS.incrementAndGet();
        for (String email : List.of("nul\u0000" + unique + "@example.com", unique + "@exa\u0000mple.com",
                "a" + unique + "@example.com\u0000", "bel\u0007" + unique + "@example.com",
                "del\u007f" + unique + "@example.com", "nel\u0085" + unique + "@example.com",
                "nbsp\u00a0" + unique + "@example.com", "ls\u2028" + unique + "@example.com",
                "zwsp\u200b" + unique + "@example.com", "bidi\u202e" + unique + "@example.com",
                "a<b>" + unique + "@example.com", "a,b" + unique + "@example.com", unique + "@exa;mple.com")) {
            HttpResponse<String> refused = post("/passkey/register",
                    Map.of("client_id", SPA, "user_profile", Map.of("email", email)));
            String shown = JSON.writeValueAsString(email);
            assertThat(refused.statusCode()).as(shown).isEqualTo(400);
            assertThat(json(refused).get("error").asString()).as(shown).isEqualTo("invalid_request");
            assertThat(json(refused).get("error_description").asString()).as(shown)
                .isEqualTo("user_profile.email must be an email address.");
        }
        // A lone surrogate can only come as a JSON escape.
        HttpResponse<String> surrogate = this.browser.postJson("/passkey/register", "{\"client_id\":\"" + SPA
                + "\",\"user_profile\":{\"email\":\"lone\\ud800" + unique + "@example.com\"}}", "Origin", SPA_ORIGIN);
        assertThat(surrogate.statusCode()).as(surrogate.body()).isEqualTo(400);
        assertThat(json(surrogate).get("error").asString()).isEqualTo("invalid_request");
        // International addresses are still email addresses.
        HttpResponse<String> international = post("/passkey/register", Map.of("client_id", SPA, "user_profile",
                Map.of("email", "jos\u00e9." + unique + "@b\u00fccher.example")));
        assertThat(international.statusCode()).as(international.body()).isEqualTo(200);
    }

    @Test
    void registerWhenNameHasControlBidiOrNonTextCharactersThenInvalidRequest() {
        for (String name : List.of("New\u0000User", "New\u001bUser", "New\u0085User", "New User\n", "Admin\u202e resU",
                "\u2067Admin\u2069", "New\u200fUser", "New\ufffeUser", "New\ufdd0User", "New\u200bUser",
                "New\ufeffUser", "New\u2028User")) {
            HttpResponse<String> refused = post("/passkey/register",
                    Map.of("client_id", SPA, "user_profile", Map.of("email", newEmail(), "name", name)));
            String shown = JSON.writeValueAsString(name);
            assertThat(refused.statusCode()).as(shown).isEqualTo(400);
            assertThat(json(refused).get("error").asString()).as(shown).isEqualTo("invalid_request");
        }
        // A lone surrogate can only come as a JSON escape.
        HttpResponse<String> surrogate = this.browser.postJson("/passkey/register", "{\"client_id\":\"" + SPA
                + "\",\"user_profile\":{\"email\":\"" + newEmail() + "\",\"name\":\"New\\udc00User\"}}", "Origin",
                SPA_ORIGIN);
        assertThat(surrogate.statusCode()).as(surrogate.body()).isEqualTo(400);
        // Emoji sequences (zero-width joiner, variation selector) and right-to-left
        // scripts are names
        for (String name : List.of("Ada \ud83d\udc69\u200d\ud83d\udcbb", "Ada \u2764\ufe0f",
                "\u05d3\u05e0\u05d9\u05d0\u05dc")) {
            HttpResponse<String> accepted = post("/passkey/register",
                    Map.of("client_id", SPA, "user_profile", Map.of("email", newEmail(), "name", name)));
            assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(200);
        }
    }

    JsonNode signup(SoftwareAuthenticator authenticator, String email) {
        HttpResponse<String> register = post("/passkey/register",
                Map.of("client_id", SPA, "user_profile", Map.of("email", email, "name", "New User")));
        assertThat(register.statusCode()).as(register.body()).isEqualTo(200);
        JsonNode body = json(register);
        JsonNode options = body.get("authn_params_public_key");
        assertThat(options.get("rp").get("id").asString()).isEqualTo("localhost");
        assertThat(options.get("user").get("name").asString()).isEqualTo(email);
        String answer = authenticator.create("localhost", SPA_ORIGIN, options.get("challenge").asString(),
                options.get("user").get("id").asString());
        HttpResponse<String> token = token(body.get("auth_session").asString(), answer);
        assertThat(token.statusCode()).as(token.body()).isEqualTo(200);
        return json(token);
    }

    JsonNode login(SoftwareAuthenticator authenticator) {
        JsonNode challenge = json(post("/passkey/challenge", Map.of("client_id", SPA)));
        String answer = authenticator.get("localhost", SPA_ORIGIN,
                challenge.get("authn_params_public_key").get("challenge").asString());
        HttpResponse<String> token = token(challenge.get("auth_session").asString(), answer);
        assertThat(token.statusCode()).as(token.body()).isEqualTo(200);
        return json(token);
    }

    HttpResponse<String> token(String authSession, String answer, String... headers) {
        String body = "{\"client_id\":\"" + SPA + "\",\"grant_type\":\"" + GRANT + "\",\"auth_session\":\""
                + authSession + "\",\"authn_response\":" + answer + ",\"audience\":\"" + API
                + "\",\"scope\":\"openid profile email offline_access\"}";
        List<String> all = new ArrayList<>(List.of("Origin", SPA_ORIGIN, "Auth0-Client", AUTH0_CLIENT));
        all.addAll(List.of(headers));
        return this.browser.postJson("/oauth/token", body, all.toArray(String[]::new));
    }

    HttpResponse<String> post(String path, Map<String, Object> body, String... headers) {
        List<String> all = new ArrayList<>(List.of("Origin", SPA_ORIGIN, "Auth0-Client", AUTH0_CLIENT));
        all.addAll(List.of(headers));
        return this.browser.postJson(path, JSON.writeValueAsString(body), all.toArray(String[]::new));
    }

    static String newEmail() {
        return "passkey-signup-" + System.nanoTime() + "-" + USERS.incrementAndGet() + "@example.com";
    }

}
