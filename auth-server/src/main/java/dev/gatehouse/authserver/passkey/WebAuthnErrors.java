package dev.gatehouse.authserver.passkey;

import java.io.IOException;

import org.springframework.http.MediaType;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.web.filter.OncePerRequestFilter;

import dev.gatehouse.authserver.web.EndpointPaths;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Answers for Spring Security's WebAuthn endpoints when a ceremony is refused: its
 * registration filter lets a failed verification (a wrong origin, a credential already
 * registered, a malformed answer) escape as an exception, which would become a 500. Here
 * it is a 400 with a short JSON reason; a refused enrollment is a 403.
 */
class WebAuthnErrors extends OncePerRequestFilter {

    private final EndpointPaths ceremonies = EndpointPaths.under("/webauthn/");

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !this.ceremonies.matches(request);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        try {
            chain.doFilter(request, response);
        }
        catch (AccessDeniedException ex) {
            answer(response, HttpServletResponse.SC_FORBIDDEN, "access_denied");
        }
        catch (AuthenticationException ex) {
            throw ex;
        }
        catch (RuntimeException ex) {
            logger.debug("WebAuthn ceremony refused", ex);
            answer(response, HttpServletResponse.SC_BAD_REQUEST, "invalid_request");
        }
    }

    private static void answer(HttpServletResponse response, int status, String error) throws IOException {
        if (response.isCommitted()) {
            return;
        }
        response.resetBuffer();
        response.setStatus(status);
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        response.getWriter().write("{\"success\":false,\"error\":\"" + error + "\"}");
    }

}
