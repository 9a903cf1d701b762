package dev.gatehouse.authserver.protocol;

import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import dev.gatehouse.authserver.login.Factors;
import dev.gatehouse.authserver.mfa.TotpTestCodes;
import dev.gatehouse.authserver.passkey.SoftwareAuthenticator;
import tools.jackson.databind.JsonNode;

import static dev.gatehouse.authserver.protocol.OAuthTestClient.jwt;
import static dev.gatehouse.authserver.protocol.OAuthTestClient.location;
import static dev.gatehouse.authserver.protocol.OAuthTestClient.query;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A second factor asked for by the request ({@code acr_values}, Auth0's step-up) on a
 * tenant whose policy is "Never": enrollment of an authenticator app with its QR code and
 * recovery codes, codes accepted once, guessing throttled, silent requests answered
 * {@code interaction_required}, and a password alone unable to add a passkey once a
 * second factor exists.
 */
class MultiFactorTests extends ProtocolTestSupport {

    static final String PASSWORD = "Test-Passw0rd";

    @Test
    void authenticatorAppEnrolledOnStepUpThenCodesAndRecoveryCodesSignIn() {
        OAuthTestClient.Authorize stepUp = stepUp();
        // Password first, the second factor after: the request is kept through both.
        assertThat(location(this.browser.get(stepUp.url()))).endsWith("/login");
        HttpResponse<String> choice = this.browser.follow(this.browser.login("totp-enroll@example.com", PASSWORD));
        assertThat(choice.body()).contains("data-testid=\"mfa-enroll-otp\"");

        HttpResponse<String> enroll = this.browser.get("/mfa/enroll/otp");
        String secret = PageSteps.secret(enroll.body());
        assertThat(enroll.body()).contains("data-testid=\"mfa-qr\"");
        assertThat(enroll.body().split("<rect ").length).isGreaterThan(100);
        // Drawn by the page itself: no image is fetched from anywhere.
        assertThat(enroll.body()).doesNotContain("<img").doesNotContain("src=\"http");

        HttpResponse<String> wrong = PageSteps.postCode(this.browser, "/mfa/enroll/otp", enroll.body(), "000000");
        assertThat(wrong.statusCode()).isEqualTo(200);
        assertThat(wrong.body()).contains("data-testid=\"mfa-error\"");

        HttpResponse<String> codesPage = PageSteps.postCode(this.browser, "/mfa/enroll/otp", wrong.body(),
                TotpTestCodes.code(secret, Instant.now()));
        List<String> recoveryCodes = recoveryCodes(codesPage.body());
        assertThat(recoveryCodes).hasSize(10).doesNotHaveDuplicates();

        Map<String, String> response = codeResponse(finish(this.browser, continueLink(codesPage.body())));
        JsonNode id = jwt(exchange(stepUp, response.get("code")).get("id_token").asString())[1];
        assertThat(strings(id.get("amr"))).containsExactly("pwd", "otp", "mfa");
        assertThat(id.get("acr").asString()).isEqualTo(Factors.MFA_ACR);

        // A recovery code signs in once.
        assertThat(recoveryLogin("totp-enroll@example.com", recoveryCodes.get(3).toLowerCase()).statusCode())
            .isEqualTo(302);
        HttpResponse<String> again = recoveryLogin("totp-enroll@example.com", recoveryCodes.get(3));
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(again.body()).contains("data-testid=\"mfa-error\"");
    }

    @Test
    void codeIsAcceptedOnceWithinItsWindow() {
        String secret = enroll("totp-reuse@example.com");
        String used = TotpTestCodes.code(secret, Instant.now());

        OAuthTestClient second = loginToSecondFactor("totp-reuse@example.com");
        HttpResponse<String> reused = PageSteps.postCode(second, "/mfa/otp", second.get("/mfa").body(), used);
        assertThat(reused.statusCode()).isEqualTo(200);
        assertThat(reused.body()).contains("That code is not right");

        String next = TotpTestCodes.code(secret, Instant.now().plusSeconds(30));
        HttpResponse<String> accepted = PageSteps.postCode(second, "/mfa/otp", reused.body(), next);
        assertThat(accepted.statusCode()).isEqualTo(302);
        assertThat(location(accepted)).contains("/authorize?");

        OAuthTestClient third = loginToSecondFactor("totp-reuse@example.com");
        HttpResponse<String> replay = PageSteps.postCode(third, "/mfa/otp", third.get("/mfa").body(), next);
        assertThat(replay.body()).contains("That code is not right");
    }

    @Test
    void guessingCodesIsThrottledLikePasswords() {
        String secret = enroll("totp-brute@example.com");
        OAuthTestClient guesser = loginToSecondFactor("totp-brute@example.com");
        String page = guesser.get("/mfa").body();
        for (int i = 0; i < 5; i++) {
            HttpResponse<String> wrong = PageSteps.postCode(guesser, "/mfa/otp", page, String.format("%06d", i));
            assertThat(wrong.statusCode()).isEqualTo(200);
            page = wrong.body();
        }
        HttpResponse<String> blocked = PageSteps.postCode(guesser, "/mfa/otp", page,
                TotpTestCodes.code(secret, Instant.now().plusSeconds(30)));
        assertThat(blocked.statusCode()).isEqualTo(200);
        assertThat(blocked.body()).contains("Too many attempts");
    }

    @Test
    void silentRequestWithoutTheRequiredFactorGetsInteractionRequired() {
        this.browser.login("silent-mfa@example.com", PASSWORD);
        HttpResponse<String> silent = this.browser.get(stepUp().with("prompt", "none").url());
        assertThat(silent.statusCode()).isEqualTo(302);
        assertThat(query(location(silent))).containsEntry("error", "interaction_required");
        // The same endpoint at a percent-encoded path is held to the same factor
        HttpResponse<String> encoded = this.browser
            .get(stepUp().with("prompt", "none").url().replace("/authorize?", "/%61uthorize?"));
        assertThat(query(location(encoded))).containsEntry("error", "interaction_required").doesNotContainKey("code");
        // Without the step-up the same session is not asked for a second factor (here:
        // for the consent it never gave).
        HttpResponse<String> plain = this.browser.get(new OAuthTestClient.Authorize().with("prompt", "none").url());
        assertThat(query(location(plain))).containsEntry("error", "consent_required");
    }

    @Test
    void passwordAloneCannotAddAPasskeyOnceASecondFactorExists() {
        enroll("totp-gate@example.com");
        OAuthTestClient passwordOnly = new OAuthTestClient(this.port);
        passwordOnly.login("totp-gate@example.com", PASSWORD);
        HttpResponse<String> refused = PageSteps.register(passwordOnly, new SoftwareAuthenticator(), "Thief");
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(passwordOnly.get("/passkeys").body()).contains("data-testid=\"passkey-refusal\"")
            .doesNotContain("data-testid=\"passkey-delete\"");
    }

    /**
     * Enrolls an authenticator app for {@code email} in a browser of its own; returns the
     * secret.
     */
    String enroll(String email) {
        OAuthTestClient browser = new OAuthTestClient(this.port);
        browser.get(stepUp().url());
        browser.follow(browser.login(email, PASSWORD));
        HttpResponse<String> enroll = browser.get("/mfa/enroll/otp");
        String secret = PageSteps.secret(enroll.body());
        HttpResponse<String> codes = PageSteps.postCode(browser, "/mfa/enroll/otp", enroll.body(),
                TotpTestCodes.code(secret, Instant.now()));
        assertThat(codes.body()).contains("data-testid=\"mfa-recovery-codes\"");
        return secret;
    }

    OAuthTestClient loginToSecondFactor(String email) {
        OAuthTestClient browser = new OAuthTestClient(this.port);
        browser.get(stepUp().url());
        HttpResponse<String> mfa = browser.follow(browser.login(email, PASSWORD));
        assertThat(mfa.body()).contains("data-testid=\"mfa-code\"");
        return browser;
    }

    HttpResponse<String> recoveryLogin(String email, String code) {
        OAuthTestClient browser = loginToSecondFactor(email);
        return PageSteps.postCode(browser, "/mfa/recovery", browser.get("/mfa").body(), code);
    }

    HttpResponse<String> finish(OAuthTestClient browser, String next) {
        HttpResponse<String> result = browser.follow(browser.get(next));
        if (result.statusCode() == 200 && result.body().contains("consent-accept")) {
            result = browser.accept(result);
        }
        return result;
    }

    static OAuthTestClient.Authorize stepUp() {
        return new OAuthTestClient.Authorize().with("acr_values", Factors.MFA_ACR);
    }

    static List<String> recoveryCodes(String html) {
        List<String> codes = new ArrayList<>();
        Matcher m = Pattern.compile("data-testid=\"mfa-recovery-code-value\">([A-Z0-9-]+)<").matcher(html);
        while (m.find()) {
            codes.add(m.group(1));
        }
        return codes;
    }

    static String continueLink(String html) {
        Matcher m = Pattern.compile("href=\"([^\"]+)\" data-testid=\"mfa-continue\"").matcher(html);
        assertThat(m.find()).as(html).isTrue();
        return m.group(1).replace("&amp;", "&");
    }

}
