package dev.gatehouse.authserver.authorize;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.StringJoiner;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.endpoint.OAuth2ParameterNames;
import org.springframework.web.filter.OncePerRequestFilter;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import dev.gatehouse.authserver.web.EndpointPaths;

/**
 * Answers an authorization request sent by POST (OIDC Core 3.1.2.1 lets a client send one
 * either way) with {@code 303 See Other} to the same request by GET. Everything that
 * guards {@code /authorize} acts on the GET: the removed-user, re-authentication
 * ({@code prompt=login}, {@code max_age}) and second-factor checks, and the saved request
 * that brings the user back after the login page, which keeps GETs only. SAS serves the
 * POST directly, so a POST skipped all of them: a password alone got a code where the
 * tenant or the request required a second factor. The consent form, posted back to
 * {@code /authorize} without a {@code response_type}, passes on untouched.
 *
 * <p>
 * The parameters travel in the query, form-encoded as a GET's are read ({@code +} is a
 * space, so a {@code +} in {@code state} is escaped); the {@code Location} is relative,
 * never built from the request's {@code Host}. A request too large to travel in a URL is
 * refused with the error page ({@code invalid_request}).
 */
public class PostedAuthorizationRequestFilter extends OncePerRequestFilter {

    /**
     * The longest query sent on: with the path and the browser's other request headers it
     * still fits the 8 KB Tomcat allows a request's and a response's headers.
     */
    static final int MAX_QUERY_LENGTH = 6 * 1024;

    private final EndpointPaths authorizationEndpoint;

    private final String authorizationPath;

    public PostedAuthorizationRequestFilter(String authorizationPath) {
        this.authorizationEndpoint = EndpointPaths.of(authorizationPath);
        this.authorizationPath = authorizationPath;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !HttpMethod.POST.matches(request.getMethod()) || !this.authorizationEndpoint.matches(request)
                || request.getParameter(OAuth2ParameterNames.RESPONSE_TYPE) == null;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        StringJoiner query = new StringJoiner("&");
        for (Map.Entry<String, String[]> parameter : request.getParameterMap().entrySet()) {
            for (String value : parameter.getValue()) {
                query.add(URLEncoder.encode(parameter.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(value, StandardCharsets.UTF_8));
            }
        }
        if (query.length() > MAX_QUERY_LENGTH) {
            // Tomcat could not send such a Location (its response headers are limited to
            // 8 KB), nor take the GET that follows; and no redirect URI is validated yet
            AuthorizationResponses.errorPage(request, response,
                    new OAuth2Error(OAuth2ErrorCodes.INVALID_REQUEST,
                            "The authorization request is too large: its parameters must fit in " + MAX_QUERY_LENGTH
                                    + " characters of a URL.",
                            null));
            return;
        }
        response.setStatus(HttpStatus.SEE_OTHER.value());
        response.setHeader(HttpHeaders.LOCATION, request.getContextPath() + this.authorizationPath + "?" + query);
        response.setHeader(HttpHeaders.CACHE_CONTROL, "no-store");
    }

}
