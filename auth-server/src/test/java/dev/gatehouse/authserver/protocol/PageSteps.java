package dev.gatehouse.authserver.protocol;

import java.net.http.HttpResponse;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.gatehouse.authserver.passkey.SoftwareAuthenticator;
import tools.jackson.databind.JsonNode;

import static dev.gatehouse.authserver.protocol.OAuthTestClient.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the hosted pages' script does, done over HTTP by the tests: Spring Security's
 * WebAuthn endpoints with the page's CSRF token, answered by a
 * {@link SoftwareAuthenticator}; and the second-factor forms.
 */
final class PageSteps {

    /** The server's own origin as the browser sees it: the issuer's. */
    static final String SERVER_ORIGIN = "http://localhost:9000";

    private PageSteps() {
    }

    static String metaCsrf(String html) {
        Matcher m = Pattern.compile("name=\"_csrf\" content=\"([^\"]+)\"").matcher(html);
        if (!m.find()) {
            throw new AssertionError("no CSRF meta tag in page: " + html);
        }
        return m.group(1);
    }

    /** Registers a passkey from the passkey page; returns the registration's response. */
    static HttpResponse<String> register(OAuthTestClient browser, SoftwareAuthenticator authenticator, String label) {
        return register(browser, authenticator, label, SERVER_ORIGIN);
    }

    static HttpResponse<String> register(OAuthTestClient browser, SoftwareAuthenticator authenticator, String label,
            String origin) {
        String csrf = metaCsrf(browser.get("/passkeys").body());
        HttpResponse<String> options = browser.postJson("/webauthn/register/options", "", "X-CSRF-TOKEN", csrf);
        if (options.statusCode() != 200) {
            return options;
        }
        JsonNode body = json(options);
        String credential = authenticator.create("localhost", origin, body.get("challenge").asString(),
                body.get("user").get("id").asString());
        return browser.postJson("/webauthn/register",
                "{\"publicKey\":{\"label\":\"" + label + "\",\"credential\":" + credential + "}}", "X-CSRF-TOKEN",
                csrf);
    }

    /** The options and answer of a passkey sign-in started from {@code page}. */
    static String[] assertion(OAuthTestClient browser, SoftwareAuthenticator authenticator, String page) {
        return assertion(browser, authenticator, page, SERVER_ORIGIN);
    }

    static String[] assertion(OAuthTestClient browser, SoftwareAuthenticator authenticator, String page,
            String origin) {
        String csrf = metaCsrf(browser.get(page).body());
        HttpResponse<String> options = browser.postJson("/webauthn/authenticate/options", "", "X-CSRF-TOKEN", csrf);
        assertThat(options.statusCode()).as(options.body()).isEqualTo(200);
        String answer = authenticator.get("localhost", origin, json(options).get("challenge").asString());
        return new String[] { csrf, answer, options.body() };
    }

    /**
     * Signs in (or proves the second factor) with a passkey; the response to the answer.
     */
    static HttpResponse<String> passkey(OAuthTestClient browser, SoftwareAuthenticator authenticator, String page) {
        String[] assertion = assertion(browser, authenticator, page);
        return browser.postJson("/login/webauthn", assertion[1], "X-CSRF-TOKEN", assertion[0]);
    }

    static String redirectUrl(HttpResponse<String> webauthnLogin) {
        assertThat(webauthnLogin.statusCode()).as(webauthnLogin.body()).isEqualTo(200);
        JsonNode body = json(webauthnLogin);
        assertThat(body.get("authenticated").asBoolean()).isTrue();
        return body.get("redirectUrl").asString();
    }

    /** The secret shown on the authenticator-app enrollment page. */
    static String secret(String html) {
        Matcher m = Pattern.compile("data-testid=\"mfa-secret\">([A-Z2-7]+)<").matcher(html);
        if (!m.find()) {
            throw new AssertionError("no secret on page: " + html);
        }
        return m.group(1);
    }

    static HttpResponse<String> postCode(OAuthTestClient browser, String path, String page, String code) {
        return browser.postForm(path, Map.of("code", code, "_csrf", OAuthTestClient.csrf(page)));
    }

}
