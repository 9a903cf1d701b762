package dev.gatehouse.authserver.web;

import java.io.IOException;
import java.util.Map;
import java.util.Set;

import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.web.filter.OncePerRequestFilter;

import dev.gatehouse.authserver.authorize.AuthorizationResponses;
import dev.gatehouse.authserver.dpop.TokenEndpointProofs;
import dev.gatehouse.authserver.token.TokenErrorResponseHandler;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Refuses a protocol request that names a parameter twice (RFC 6749 section 3.1: request
 * parameters must not be included more than once). SAS checks a few parameters itself and
 * hands the others on as arrays, so a second {@code response_mode} was served as
 * {@code web_message} to a client that may not use it while the check looked at the
 * first. An authorization request gets the error page (its redirect URI is not validated
 * yet, so nothing is sent there); a token or revocation request a JSON
 * {@code invalid_request}. Exceptions: {@code resource} (RFC 8707 allows several) and
 * {@code scope} in the consent form posted back to {@code /authorize}.
 *
 * <p>
 * A token or revocation request may not name {@code dpop_proof}, {@code dpop_method} or
 * {@code dpop_target_uri} either: SAS puts the {@code DPoP} header, the method and the
 * URL under those names among the request's parameters and reads them back from there, so
 * a request without the header that sent them itself would have a proof made for another
 * method or URL (an API call's, say) checked against the method and URL it chose.
 */
public class RepeatedParameterFilter extends OncePerRequestFilter {

    /**
     * Matched as SAS matches its endpoints: a percent-encoded path
     * ({@code /oauth/%74oken}) reaches the endpoint, so it must meet these checks too.
     */
    private final RequestMatcher authorizationEndpoint;

    private final RequestMatcher tokenEndpoints;

    private final TokenErrorResponseHandler tokenErrors;

    public RepeatedParameterFilter(String authorizationEndpoint, Set<String> tokenEndpoints,
            TokenErrorResponseHandler tokenErrors) {
        this.authorizationEndpoint = EndpointPaths.of(authorizationEndpoint);
        this.tokenEndpoints = EndpointPaths.of(tokenEndpoints);
        this.tokenErrors = tokenErrors;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !this.authorizationEndpoint.matches(request) && !this.tokenEndpoints.matches(request);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        boolean tokenEndpoint = this.tokenEndpoints.matches(request);
        if (tokenEndpoint) {
            for (String reserved : TokenEndpointProofs.REQUEST_PARAMETERS) {
                if (request.getParameter(reserved) != null) {
                    this.tokenErrors.onAuthenticationFailure(request, response,
                            new OAuth2AuthenticationException(
                                    new OAuth2Error(OAuth2ErrorCodes.INVALID_REQUEST,
                                            "Parameter '" + reserved
                                                    + "' is not accepted: send a DPoP proof in the DPoP header.",
                                            null)));
                    return;
                }
            }
        }
        boolean consentForm = "POST".equals(request.getMethod()) && this.authorizationEndpoint.matches(request);
        for (Map.Entry<String, String[]> parameter : request.getParameterMap().entrySet()) {
            String name = parameter.getKey();
            if (parameter.getValue().length > 1 && !name.equals("resource") && !(consentForm && name.equals("scope"))) {
                OAuth2Error error = new OAuth2Error(OAuth2ErrorCodes.INVALID_REQUEST,
                        "Parameter '" + name + "' must not be given more than once.", null);
                if (tokenEndpoint) {
                    this.tokenErrors.onAuthenticationFailure(request, response,
                            new OAuth2AuthenticationException(error));
                }
                else {
                    AuthorizationResponses.errorPage(request, response, error);
                }
                return;
            }
        }
        chain.doFilter(request, response);
    }

}
