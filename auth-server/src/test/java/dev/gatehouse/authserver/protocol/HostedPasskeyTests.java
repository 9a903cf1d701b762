package dev.gatehouse.authserver.protocol;

import java.net.http.HttpResponse;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.gatehouse.authserver.login.Factors;
import dev.gatehouse.authserver.passkey.SoftwareAuthenticator;
import tools.jackson.databind.JsonNode;

import static dev.gatehouse.authserver.protocol.OAuthTestClient.json;
import static dev.gatehouse.authserver.protocol.OAuthTestClient.jwt;
import static dev.gatehouse.authserver.protocol.OAuthTestClient.location;
import static dev.gatehouse.authserver.protocol.OAuthTestClient.query;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Passkeys on the hosted pages, over HTTP: registered after a password login, then used
 * to sign in to an authorization request; as second factor only with the user's own
 * passkey; each challenge answered once.
 */
class HostedPasskeyTests extends ProtocolTestSupport {

    @Test
    void passkeyAddedAfterPasswordLoginSignsInToTheAuthorizationRequest() {
        SoftwareAuthenticator authenticator = new SoftwareAuthenticator();
        this.browser.login("passkey-hosted@example.com", "Test-Passw0rd");
        HttpResponse<String> registered = PageSteps.register(this.browser, authenticator, "Laptop");
        assertThat(registered.statusCode()).as(registered.body()).isEqualTo(200);
        assertThat(this.browser.get("/passkeys").body()).contains("Laptop");

        OAuthTestClient fresh = new OAuthTestClient(this.port);
        OAuthTestClient.Authorize authorize = new OAuthTestClient.Authorize();
        assertThat(location(fresh.get(authorize.url()))).endsWith("/login");
        String next = PageSteps.redirectUrl(PageSteps.passkey(fresh, authenticator, "/login"));
        assertThat(next).contains("/authorize?");
        HttpResponse<String> result = fresh.follow(fresh.get(next));
        if (result.statusCode() == 200 && result.body().contains("consent-accept")) {
            result = fresh.accept(result);
        }
        Map<String, String> response = codeResponse(result);
        this.browser = fresh;
        JsonNode tokens = exchange(authorize, response.get("code"));
        JsonNode id = jwt(tokens.get("id_token").asString())[1];
        assertThat(strings(id.get("amr"))).containsExactly("hwk", "mfa");
        assertThat(id.has("acr")).isFalse();
    }

    @Test
    void answerSentTwiceIsRefusedTheSecondTime() {
        SoftwareAuthenticator authenticator = new SoftwareAuthenticator();
        this.browser.login("passkey-other@example.com", "Test-Passw0rd");
        assertThat(PageSteps.register(this.browser, authenticator, "Key").statusCode()).isEqualTo(200);

        OAuthTestClient fresh = new OAuthTestClient(this.port);
        String[] assertion = PageSteps.assertion(fresh, authenticator, "/login");
        HttpResponse<String> first = fresh.postJson("/login/webauthn", assertion[1], "X-CSRF-TOKEN", assertion[0]);
        assertThat(first.statusCode()).isEqualTo(200);

        OAuthTestClient attacker = new OAuthTestClient(this.port);
        String csrf = PageSteps.metaCsrf(attacker.get("/login").body());
        attacker.postJson("/webauthn/authenticate/options", "", "X-CSRF-TOKEN", csrf);
        HttpResponse<String> replay = attacker.postJson("/login/webauthn", assertion[1], "X-CSRF-TOKEN", csrf);
        assertThat(replay.statusCode()).isEqualTo(401);
    }

    @Test
    void passkeySignInAndPasskeyAsSecondFactorEachStartANewSessionId() {
        SoftwareAuthenticator authenticator = new SoftwareAuthenticator();
        this.browser.login("passkey-fixation@example.com", "Test-Passw0rd");
        assertThat(PageSteps.register(this.browser, authenticator, "Key").statusCode()).isEqualTo(200);

        // Sign-in with the passkey alone: a copy of the session cookie taken before it
        // stays anonymous
        OAuthTestClient fresh = new OAuthTestClient(this.port);
        OAuthTestClient.Authorize authorize = new OAuthTestClient.Authorize();
        fresh.get(authorize.url());
        String anonymous = fresh.sessionCookie().getValue();
        String[] assertion = PageSteps.assertion(fresh, authenticator, "/login");
        assertThat(fresh.postJson("/login/webauthn", assertion[1], "X-CSRF-TOKEN", assertion[0]).statusCode())
            .isEqualTo(200);
        assertThat(fresh.sessionCookie().getValue()).isNotEqualTo(anonymous);
        assertThat(
                location(new OAuthTestClient(this.port).get(authorize.url(), "Cookie", "GATEHOUSE_SSO=" + anonymous)))
            .endsWith("/login");

        // The passkey as second factor: the single-factor copy is not made multi-factor
        OAuthTestClient stepUp = new OAuthTestClient(this.port);
        OAuthTestClient.Authorize mfa = new OAuthTestClient.Authorize().with("acr_values", Factors.MFA_ACR);
        stepUp.get(mfa.url());
        assertThat(stepUp.follow(stepUp.login("passkey-fixation@example.com", "Test-Passw0rd")).body())
            .contains("data-testid=\"mfa-passkey\"");
        String singleFactor = stepUp.sessionCookie().getValue();
        assertThat(PageSteps.passkey(stepUp, authenticator, "/mfa").statusCode()).isEqualTo(200);
        assertThat(stepUp.sessionCookie().getValue()).isNotEqualTo(singleFactor);
        assertThat(location(new OAuthTestClient(this.port).get(mfa.url(), "Cookie", "GATEHOUSE_SSO=" + singleFactor)))
            .endsWith("/login");
    }

    @Test
    void secondFactorWithAnotherUsersPasskeyIsRefused() {
        SoftwareAuthenticator mine = new SoftwareAuthenticator();
        this.browser.login("passkey-mfa@example.com", "Test-Passw0rd");
        assertThat(PageSteps.register(this.browser, mine, "Mine").statusCode()).isEqualTo(200);
        SoftwareAuthenticator theirs = new SoftwareAuthenticator();
        OAuthTestClient other = new OAuthTestClient(this.port);
        other.login("stepup@example.com", "Test-Passw0rd");
        assertThat(PageSteps.register(other, theirs, "Theirs").statusCode()).isEqualTo(200);

        OAuthTestClient fresh = new OAuthTestClient(this.port);
        OAuthTestClient.Authorize stepUp = new OAuthTestClient.Authorize().with("acr_values", Factors.MFA_ACR);
        fresh.get(stepUp.url());
        HttpResponse<String> afterLogin = fresh.follow(fresh.login("passkey-mfa@example.com", "Test-Passw0rd"));
        assertThat(afterLogin.body()).contains("data-testid=\"mfa-passkey\"");

        HttpResponse<String> refused = PageSteps.passkey(fresh, theirs, "/mfa");
        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(location(fresh.get(stepUp.url()))).endsWith("/mfa");

        String next = PageSteps.redirectUrl(PageSteps.passkey(fresh, mine, "/mfa"));
        HttpResponse<String> result = fresh.follow(fresh.get(next));
        if (result.statusCode() == 200 && result.body().contains("consent-accept")) {
            result = fresh.accept(result);
        }
        this.browser = fresh;
        JsonNode id = jwt(exchange(stepUp, codeResponse(result).get("code")).get("id_token").asString())[1];
        assertThat(strings(id.get("amr"))).contains("pwd", "hwk", "mfa");
        assertThat(id.get("acr").asString()).isEqualTo(Factors.MFA_ACR);
        assertThat(query(OAuthTestClient.location(result))).containsKey("code");
    }

    @Test
    void signInWhenTheAnswerNamesAnotherUserThanThePasskeysOwnerIsRefusedWithAJsonReason() {
        SoftwareAuthenticator mine = new SoftwareAuthenticator();
        this.browser.login("passkey-handle@example.com", "Test-Passw0rd");
        assertThat(PageSteps.register(this.browser, mine, "Mine").statusCode()).isEqualTo(200);
        SoftwareAuthenticator theirs = new SoftwareAuthenticator();
        OAuthTestClient other = new OAuthTestClient(this.port);
        other.login("passkey-handle-other@example.com", "Test-Passw0rd");
        assertThat(PageSteps.register(other, theirs, "Theirs").statusCode()).isEqualTo(200);

        OAuthTestClient fresh = new OAuthTestClient(this.port);
        OAuthTestClient.Authorize authorize = new OAuthTestClient.Authorize();
        assertThat(location(fresh.get(authorize.url()))).endsWith("/login");
        for (String userHandle : java.util.Arrays.asList(theirs.userHandle(), null, "")) {
            HttpResponse<String> refused = signIn(fresh, mine, "/login", userHandle);
            assertThat(refused.statusCode()).as(refused.body()).isEqualTo(401);
            assertThat(refused.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
            assertThat(json(refused).get("authenticated").asBoolean()).isFalse();
            assertThat(json(refused).get("error_description").asString()).contains("userHandle");
        }
        assertThat(location(fresh.get(authorize.url()))).as("still signed out").endsWith("/login");

        // As a second factor the passkeys asked for are the user's own
        // (allowCredentials):
        // the answer may name no user, but not another one.
        OAuthTestClient stepUp = new OAuthTestClient(this.port);
        stepUp.get(new OAuthTestClient.Authorize().with("acr_values", Factors.MFA_ACR).url());
        assertThat(stepUp.follow(stepUp.login("passkey-handle@example.com", "Test-Passw0rd")).body())
            .contains("data-testid=\"mfa-passkey\"");
        assertThat(signIn(stepUp, mine, "/mfa", theirs.userHandle()).statusCode()).isEqualTo(401);
        HttpResponse<String> withoutHandle = signIn(stepUp, mine, "/mfa", null);
        assertThat(PageSteps.redirectUrl(withoutHandle)).startsWith("/authorize?");
        // an empty handle, as some authenticators send for a credential that keeps none,
        // is no handle
        OAuthTestClient emptyHandle = new OAuthTestClient(this.port);
        emptyHandle.get(new OAuthTestClient.Authorize().with("acr_values", Factors.MFA_ACR).url());
        emptyHandle.follow(emptyHandle.login("passkey-handle@example.com", "Test-Passw0rd"));
        assertThat(PageSteps.redirectUrl(signIn(emptyHandle, mine, "/mfa", ""))).startsWith("/authorize?");
    }

    /** A passkey answer from {@code page} naming {@code userHandle} as its user. */
    private static HttpResponse<String> signIn(OAuthTestClient browser, SoftwareAuthenticator authenticator,
            String page, String userHandle) {
        String csrf = PageSteps.metaCsrf(browser.get(page).body());
        HttpResponse<String> options = browser.postJson("/webauthn/authenticate/options", "", "X-CSRF-TOKEN", csrf);
        assertThat(options.statusCode()).as(options.body()).isEqualTo(200);
        String answer = authenticator.getNaming("localhost", PageSteps.SERVER_ORIGIN,
                json(options).get("challenge").asString(), userHandle);
        return browser.postJson("/login/webauthn", answer, "X-CSRF-TOKEN", csrf);
    }

    @Test
    void refusedRegistrationIsAnsweredAlikeAtAPercentEncodedPath() {
        SoftwareAuthenticator authenticator = new SoftwareAuthenticator();
        OAuthTestClient browser = new OAuthTestClient(this.port);
        // A user with no passkey yet, so the options are given and only the answer is
        // refused (it comes from another origin); a refused answer registers nothing.
        browser.login("rupert@example.com", "Test-Passw0rd");
        HttpResponse<String> plain = PageSteps.register(browser, authenticator, "Key", "http://evil.example");
        assertThat(plain.statusCode()).as(plain.body()).isBetween(400, 403);

        String csrf = PageSteps.metaCsrf(browser.get("/passkeys").body());
        HttpResponse<String> asked = browser.postJson("/webauthn/register/options", "", "X-CSRF-TOKEN", csrf);
        assertThat(asked.statusCode()).as(asked.body()).isEqualTo(200);
        JsonNode options = json(asked);
        String credential = authenticator.create("localhost", "http://evil.example",
                options.get("challenge").asString(), options.get("user").get("id").asString());
        HttpResponse<String> encoded = browser.postJson("/%77ebauthn/register",
                "{\"publicKey\":{\"label\":\"Key\",\"credential\":" + credential + "}}", "X-CSRF-TOKEN", csrf);
        assertThat(encoded.statusCode()).as(encoded.body()).isEqualTo(plain.statusCode());
        assertThat(encoded.body()).isEqualTo(plain.body());
    }

}
