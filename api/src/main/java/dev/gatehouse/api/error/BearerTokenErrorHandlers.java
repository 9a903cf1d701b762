package dev.gatehouse.api.error;

import java.io.IOException;
import java.util.List;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.jwt.JwtValidationException;
import org.springframework.security.oauth2.server.resource.BearerTokenError;
import org.springframework.security.oauth2.server.resource.BearerTokenErrorCodes;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.authentication.AuthenticationFailureHandler;

import dev.gatehouse.api.token.DPoPTokenRejection;
import dev.gatehouse.api.token.TokenRejection;

/**
 * The RFC 6750 and RFC 9449 answers to a missing, bad or insufficient access token: a
 * {@code WWW-Authenticate: Bearer ...} or {@code DPoP ... algs="..."} challenge and the
 * same facts as a small JSON body.
 * <p>
 * Spring's own {@code BearerTokenAuthenticationEntryPoint},
 * {@code BearerTokenAccessDeniedHandler} and DPoP entry point write the header only (the
 * DPoP one with every algorithm Spring knows, whatever this API accepts), and the access
 * denied handler cannot name the scope the resource needs; these do all of it, and they
 * pass on only descriptions written by us
 * ({@link dev.gatehouse.api.token.StrictJwtDecoder} and
 * {@link dev.gatehouse.api.token.DPoPProofChecks} make sure of that).
 * <p>
 * The challenge is {@code DPoP} when the API requires DPoP, when the request used the
 * DPoP scheme, and when a bearer request was refused for want of DPoP; otherwise
 * {@code Bearer}.
 */
public final class BearerTokenErrorHandlers {

    /**
     * Request attribute set once a request authenticated with a DPoP-bound token, so a
     * 403 is challenged in the same scheme.
     */
    public static final String DPOP_AUTHENTICATED = BearerTokenErrorHandlers.class.getName() + ".DPOP";

    private final boolean dpopRequired;

    private final String algs;

    /**
     * @param dpopRequired whether every challenge is a DPoP one
     * @param dpopAlgorithms the algorithms a DPoP proof may use, named in DPoP challenges
     */
    public BearerTokenErrorHandlers(boolean dpopRequired, List<String> dpopAlgorithms) {
        this.dpopRequired = dpopRequired;
        this.algs = "algs=\"" + ErrorResponses.headerValue(String.join(" ", dpopAlgorithms)) + "\"";
    }

    /** 401 (or 400 for a malformed request) with {@code WWW-Authenticate}. */
    public AuthenticationEntryPoint entryPoint() {
        return this::commence;
    }

    /** What a failed DPoP authentication answers: always a DPoP challenge. */
    public AuthenticationFailureHandler dpopFailure() {
        return (request, response, failure) -> challenge(response, true, failure);
    }

    /** 403 {@code insufficient_scope}, naming the scope the resource needs. */
    public AccessDeniedHandler accessDenied(String requiredScope) {
        String params = "error=\"insufficient_scope\", scope=\"" + ErrorResponses.headerValue(requiredScope) + "\"";
        String description = "The access token lacks the " + requiredScope + " scope";
        return (request, response, denied) -> {
            boolean dpop = this.dpopRequired || request.getAttribute(DPOP_AUTHENTICATED) != null;
            response.setHeader(HttpHeaders.WWW_AUTHENTICATE,
                    dpop ? "DPoP " + params + ", " + this.algs : "Bearer " + params);
            ErrorResponses.write(response, HttpServletResponse.SC_FORBIDDEN, BearerTokenErrorCodes.INSUFFICIENT_SCOPE,
                    description);
        };
    }

    private void commence(HttpServletRequest request, HttpServletResponse response, AuthenticationException failure)
            throws IOException {
        challenge(response, this.dpopRequired || failure instanceof DPoPTokenRejection, failure);
    }

    private void challenge(HttpServletResponse response, boolean dpop, AuthenticationException failure)
            throws IOException {
        if (failure instanceof OAuth2AuthenticationException oauth2) {
            OAuth2Error error = oauth2.getError();
            HttpStatus status = (error instanceof BearerTokenError bearer) ? bearer.getHttpStatus()
                    : OAuth2ErrorCodes.INVALID_REQUEST.equals(error.getErrorCode()) ? HttpStatus.BAD_REQUEST
                            : HttpStatus.UNAUTHORIZED;
            String code = (error.getErrorCode() != null) ? error.getErrorCode() : BearerTokenErrorCodes.INVALID_TOKEN;
            String description = description(oauth2);
            String params = "error=\"" + ErrorResponses.headerValue(code) + "\", error_description=\""
                    + ErrorResponses.headerValue(description) + "\"";
            response.setHeader(HttpHeaders.WWW_AUTHENTICATE,
                    dpop ? "DPoP " + params + ", " + this.algs : "Bearer " + params);
            ErrorResponses.write(response, status.value(), code, description);
            return;
        }
        // No credentials at all: RFC 6750 §3.1 says the challenge then carries no error
        // code.
        response.setHeader(HttpHeaders.WWW_AUTHENTICATE, dpop ? "DPoP " + this.algs : "Bearer");
        ErrorResponses.write(response, HttpServletResponse.SC_UNAUTHORIZED, "unauthorized",
                dpop ? "This resource requires a DPoP-bound access token and a DPoP proof"
                        : "This resource requires a bearer access token");
    }

    /**
     * Ours: the error's own, or (Spring's DPoP provider keeps them only in the cause) the
     * first of the proof checks' or the reason {@code UndecodableProof} gave, or a fixed
     * one.
     */
    private static String description(OAuth2AuthenticationException failure) {
        String description = failure.getError().getDescription();
        if (description != null) {
            return description;
        }
        for (Throwable cause = failure.getCause(); cause != null; cause = cause.getCause()) {
            if (cause instanceof JwtValidationException invalid && !invalid.getErrors().isEmpty()
                    && invalid.getErrors().iterator().next().getDescription() != null) {
                return invalid.getErrors().iterator().next().getDescription();
            }
            if (cause instanceof TokenRejection rejection) {
                return rejection.getMessage();
            }
        }
        if (OAuth2ErrorCodes.INVALID_DPOP_PROOF.equals(failure.getError().getErrorCode())) {
            return "The DPoP proof is invalid";
        }
        return "The access token is invalid";
    }

}
