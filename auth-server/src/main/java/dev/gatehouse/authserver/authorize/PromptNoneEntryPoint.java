package dev.gatehouse.authserver.authorize;

import java.io.IOException;

import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.util.matcher.RequestMatcher;

import dev.gatehouse.authserver.web.EndpointPaths;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Answers an anonymous {@code /authorize?prompt=none} with {@code login_required} at
 * once, in the request's response mode, instead of the login page. Needed because SAS 7's
 * authorization filter sits behind the authorization rules, so an anonymous silent
 * request never reaches SAS's own {@code login_required} check and would otherwise load
 * the login page into spa-js's hidden iframe (a 60 s timeout; auth0-compatibility S-4,
 * G-2).
 *
 * <p>
 * The request has already passed SAS's validating filter (client, redirect URI, PKCE),
 * which leaves the validated request as a request attribute; without it, nothing trusted
 * to answer to exists and the error page is shown.
 */
public class PromptNoneEntryPoint implements AuthenticationEntryPoint {

    private final AuthorizationResponses responses;

    private final RegisteredClientRepository clients;

    public PromptNoneEntryPoint(AuthorizationResponses responses, RegisteredClientRepository clients) {
        this.responses = responses;
        this.clients = clients;
    }

    /** Matches authorization requests whose {@code prompt} includes {@code none}. */
    public static RequestMatcher matcher(String authorizationEndpoint) {
        EndpointPaths endpoint = EndpointPaths.of(authorizationEndpoint);
        return request -> endpoint.matches(request) && PromptValues.of(request.getParameter("prompt")).contains("none");
    }

    @Override
    public void commence(HttpServletRequest request, HttpServletResponse response,
            AuthenticationException authException) throws IOException {
        answer(request, response, new OAuth2Error("login_required", "Login required", null));
    }

    /**
     * Answers the validated authorization request with {@code error}, in its response
     * mode (also {@code interaction_required} when a silent request lacks a second
     * factor).
     */
    public void answer(HttpServletRequest request, HttpServletResponse response, OAuth2Error error) throws IOException {
        Object validated = request.getAttribute(OAuth2AuthorizationCodeRequestAuthenticationToken.class.getName());
        if (!(validated instanceof OAuth2AuthorizationCodeRequestAuthenticationToken token)) {
            AuthorizationResponses.errorPage(request, response, error);
            return;
        }
        RegisteredClient client = this.clients.findByClientId(token.getClientId());
        if (client == null) {
            AuthorizationResponses.errorPage(request, response, error);
            return;
        }
        this.responses.onAuthenticationFailure(request, response, AuthorizeRequestValidator.error(error.getErrorCode(),
                error.getDescription(), token, AuthorizationResponses.redirectUri(token, client)));
    }

}
