package dev.gatehouse.testkit;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * The authorization code flow with PKCE, driven headlessly over HTTP through the server's
 * real pages: the authorization request an Auth0 SDK sends ({@code audience},
 * {@code state}, {@code nonce}, S256 challenge), the login form (with its CSRF field),
 * the consent page (accepted, or declined), the redirect to the client's callback, and
 * the code exchange at the token endpoint. Each flow is a new browser: no session is
 * shared.
 *
 * <p>
 * Defaults: the tenant's only application that logs users in, its first callback, the
 * tenant's only API as audience, and scope {@code openid profile email}, plus
 * {@code offline_access} where the API allows refresh tokens and the client may use them,
 * plus every scope of the API.
 */
public final class AuthorizationCodeFlow {

    private final Function<Map<String, Object>, Map<String, Object>> runner;

    private final Map<String, Object> request = new LinkedHashMap<>();

    private final Map<String, String> parameters = new LinkedHashMap<>();

    AuthorizationCodeFlow(String email, String password, Function<Map<String, Object>, Map<String, Object>> runner) {
        this.runner = runner;
        this.request.put("email", email);
        this.request.put("password", password);
    }

    /** The application ({@code client_id}). */
    public AuthorizationCodeFlow client(String clientId) {
        this.request.put("clientId", clientId);
        return this;
    }

    /** A confidential client's secret (a {@code regular_web} application). */
    public AuthorizationCodeFlow clientSecret(String clientSecret) {
        this.request.put("clientSecret", clientSecret);
        return this;
    }

    /** {@code redirect_uri}; it must be one of the client's callbacks. */
    public AuthorizationCodeFlow redirectUri(String redirectUri) {
        this.request.put("redirectUri", redirectUri);
        return this;
    }

    /** The API the access token is for ({@code audience}). */
    public AuthorizationCodeFlow audience(String audience) {
        this.request.put("audience", audience);
        return this;
    }

    /** No {@code audience}: a login for the user's profile only. */
    public AuthorizationCodeFlow noAudience() {
        this.request.put("audience", "");
        return this;
    }

    /** The scopes asked for, replacing the default. */
    public AuthorizationCodeFlow scope(String... scopes) {
        this.request.put("scope", String.join(" ", scopes));
        return this;
    }

    /**
     * Any other authorization request parameter (e.g. {@code prompt}, {@code max_age}).
     */
    public AuthorizationCodeFlow parameter(String name, String value) {
        this.parameters.put(name, value);
        return this;
    }

    /**
     * Clicks "Decline" on the consent page; {@link #tokens()} then throws
     * {@code access_denied}.
     */
    public AuthorizationCodeFlow declineConsent() {
        this.request.put("consent", "decline");
        return this;
    }

    /**
     * Runs the flow and returns the token endpoint's answer.
     * @throws GatehouseFlowException when the flow does not end with tokens: a failed
     * login ({@code login_failed}, with the login page's message), an error sent to the
     * callback ({@code access_denied}, {@code invalid_request}...), or a refused code
     * exchange
     */
    public TokenResponse tokens() {
        Map<String, Object> call = new LinkedHashMap<>(this.request);
        if (!this.parameters.isEmpty()) {
            call.put("parameters", new LinkedHashMap<>(this.parameters));
        }
        return TokenResponse.from(this.runner.apply(call));
    }

}
