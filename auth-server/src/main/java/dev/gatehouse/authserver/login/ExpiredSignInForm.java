package dev.gatehouse.authserver.login;

import java.io.IOException;

import org.springframework.http.HttpStatus;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.access.AccessDeniedHandlerImpl;
import org.springframework.security.web.csrf.CsrfException;

import dev.gatehouse.authserver.authorize.AuthorizationResponses;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;

/**
 * A sign-in form posted after its session ended ({@link SignInSessionLifetime}: a login
 * page left open too long) says so and what to do, instead of "This request is not
 * allowed." The form's CSRF token belonged to the ended session, so the post is still
 * refused (403); so is every other refused request, as before. The request to return to
 * ended with the session, so the user starts again from the application.
 */
public final class ExpiredSignInForm implements AccessDeniedHandler {

    static final String ERROR = "session_expired";

    static final String DESCRIPTION = "This sign-in page has expired. "
            + "Go back to the application and sign in again.";

    private final AccessDeniedHandler otherwise = new AccessDeniedHandlerImpl();

    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response, AccessDeniedException denied)
            throws IOException, ServletException {
        if (denied instanceof CsrfException && sessionEnded(request)) {
            request.setAttribute(AuthorizationResponses.ERROR_CODE, ERROR);
            request.setAttribute(AuthorizationResponses.ERROR_DESCRIPTION, DESCRIPTION);
            response.sendError(HttpStatus.FORBIDDEN.value());
            return;
        }
        this.otherwise.handle(request, response, denied);
    }

    /**
     * Whether the form came without a live session: its cookie named one that has ended,
     * or it had none (the CSRF check has just started a new one).
     */
    private static boolean sessionEnded(HttpServletRequest request) {
        if (request.getRequestedSessionId() != null && !request.isRequestedSessionIdValid()) {
            return true;
        }
        HttpSession session = request.getSession(false);
        return session == null || session.isNew();
    }

}
