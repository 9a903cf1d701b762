package dev.gatehouse.api.error;

import java.io.IOException;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.server.resource.BearerTokenError;
import org.springframework.security.oauth2.server.resource.BearerTokenErrorCodes;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;

/**
 * The RFC 6750 answers to a missing, bad or insufficient bearer token: a
 * {@code WWW-Authenticate: Bearer ...} header and the same facts as a small JSON body.
 * <p>
 * Spring's own {@code BearerTokenAuthenticationEntryPoint} and
 * {@code BearerTokenAccessDeniedHandler} write the header only, and the latter cannot
 * name the scope the resource needs; these two do both, and they pass on only
 * descriptions written by us ({@link dev.gatehouse.api.token.StrictJwtDecoder} makes sure
 * of that for tokens).
 */
public final class BearerTokenErrorHandlers {

    private BearerTokenErrorHandlers() {
    }

    /** 401 (or 400 for a malformed request) with {@code WWW-Authenticate}. */
    public static AuthenticationEntryPoint entryPoint() {
        return BearerTokenErrorHandlers::commence;
    }

    /** 403 {@code insufficient_scope}, naming the scope the resource needs. */
    public static AccessDeniedHandler accessDenied(String requiredScope) {
        String header = "Bearer error=\"insufficient_scope\", scope=\"" + ErrorResponses.headerValue(requiredScope)
                + "\"";
        String description = "The access token lacks the " + requiredScope + " scope";
        return (request, response, denied) -> deny(response, header, description);
    }

    private static void commence(HttpServletRequest request, HttpServletResponse response,
            AuthenticationException failure) throws IOException {
        if (failure instanceof OAuth2AuthenticationException oauth2) {
            OAuth2Error error = oauth2.getError();
            HttpStatus status = (error instanceof BearerTokenError bearer) ? bearer.getHttpStatus()
                    : HttpStatus.UNAUTHORIZED;
            String code = (error.getErrorCode() != null) ? error.getErrorCode() : BearerTokenErrorCodes.INVALID_TOKEN;
            String description = (error.getDescription() != null) ? error.getDescription()
                    : "The access token is invalid";
            response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer error=\"" + ErrorResponses.headerValue(code)
                    + "\", error_description=\"" + ErrorResponses.headerValue(description) + "\"");
            ErrorResponses.write(response, status.value(), code, description);
            return;
        }
        // No credentials at all: RFC 6750 §3.1 says the challenge then carries no error
        // code.
        response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
        ErrorResponses.write(response, HttpServletResponse.SC_UNAUTHORIZED, "unauthorized",
                "This resource requires a bearer access token");
    }

    private static void deny(HttpServletResponse response, String header, String description) throws IOException {
        response.setHeader(HttpHeaders.WWW_AUTHENTICATE, header);
        ErrorResponses.write(response, HttpServletResponse.SC_FORBIDDEN, BearerTokenErrorCodes.INSUFFICIENT_SCOPE,
                description);
    }

}
