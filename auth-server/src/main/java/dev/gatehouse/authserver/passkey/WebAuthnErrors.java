package dev.gatehouse.authserver.passkey;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.http.MediaType;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.authentication.AuthenticationFailureHandler;
import org.springframework.web.filter.OncePerRequestFilter;

import dev.gatehouse.authserver.web.EndpointPaths;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import tools.jackson.databind.json.JsonMapper;

/**
 * Answers for Spring Security's WebAuthn endpoints when a ceremony is refused: its
 * registration filter lets a failed verification (a wrong origin, a credential already
 * registered, a malformed answer) escape as an exception, which would become a 500. Here
 * it is a 400 with a short JSON reason; a refused enrollment is a 403; a refused sign-in
 * a 401 with a JSON reason ({@link #signInRefused()}).
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

    /**
     * The answer to a refused passkey sign-in or second factor ({@code /login/webauthn}):
     * 401, as Spring Security answers it, with a JSON reason instead of an empty body.
     * The reason is generic, except for an answer that named another user than the
     * passkey's owner ({@link UserHandleCheck}).
     */
    static AuthenticationFailureHandler signInRefused() {
        JsonMapper json = JsonMapper.builder().build();
        return (request, response, exception) -> {
            String description = (exception.getCause() instanceof UserHandleCheck.Mismatch mismatch)
                    ? mismatch.getMessage() : PasskeyLoginProvider.NOT_ACCEPTED;
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("authenticated", false);
            body.put("error", "access_denied");
            body.put("error_description", description);
            response.setStatus(HttpServletResponse.SC_UNAUTHORIZED);
            response.setContentType(MediaType.APPLICATION_JSON_VALUE);
            response.getWriter().write(json.writeValueAsString(body));
        };
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
