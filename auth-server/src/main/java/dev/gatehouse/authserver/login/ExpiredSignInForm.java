package dev.gatehouse.authserver.login;

import java.io.IOException;
import java.util.Map;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.authentication.AuthenticationTrustResolver;
import org.springframework.security.authentication.AuthenticationTrustResolverImpl;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.access.AccessDeniedHandlerImpl;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.OrRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;

import dev.gatehouse.authserver.authorize.AuthorizationResponses;
import tools.jackson.databind.json.JsonMapper;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;

/**
 * The pages' CSRF check, for a form posted after its session ended
 * ({@link SignInSessionLifetime}: a login page left open too long): the answer says so
 * and what to do, instead of "This request is not allowed." The form's CSRF token
 * belonged to the ended session, so the post is still refused (403). A page's script (the
 * passkey sign-in, which posts JSON) gets the same as a JSON error object it can show.
 * The request to return to ended with the session, so the user starts again from the
 * application.
 *
 * <p>
 * A sign-in form of a session that has signed in since the page was shown (a second tab
 * of the same login, used after the first) is answered the same way: a sign-in replaces
 * the session's CSRF token, so that page has expired too, and the application continues
 * from the live session. Any other CSRF refusal is answered as Spring's handler answers
 * it.
 */
public final class ExpiredSignInForm implements AccessDeniedHandler {

    static final String ERROR = "session_expired";

    static final String DESCRIPTION = "This page has expired. Go back to the application and sign in again.";

    private static final String JSON_ANSWER = JsonMapper.builder()
        .build()
        .writeValueAsString(Map.of("error", ERROR, "error_description", DESCRIPTION));

    /**
     * The password form, and the passkey sign-in's two posts (its challenge, its answer).
     */
    private static final RequestMatcher SIGN_IN_FORMS = new OrRequestMatcher(
            PathPatternRequestMatcher.withDefaults().matcher(HttpMethod.POST, "/login"),
            PathPatternRequestMatcher.withDefaults().matcher(HttpMethod.POST, "/webauthn/authenticate/options"),
            PathPatternRequestMatcher.withDefaults().matcher(HttpMethod.POST, "/login/webauthn"));

    private static final AuthenticationTrustResolver TRUST = new AuthenticationTrustResolverImpl();

    private final AccessDeniedHandler otherwise = new AccessDeniedHandlerImpl();

    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response, AccessDeniedException denied)
            throws IOException, ServletException {
        if (!sessionEnded(request) && !(signedIn() && SIGN_IN_FORMS.matches(request))) {
            this.otherwise.handle(request, response, denied);
            return;
        }
        if (isJson(request)) {
            response.setStatus(HttpStatus.FORBIDDEN.value());
            response.setContentType(MediaType.APPLICATION_JSON_VALUE);
            response.setCharacterEncoding("UTF-8");
            response.setHeader(HttpHeaders.CACHE_CONTROL, "no-store");
            response.getWriter().write(JSON_ANSWER);
            return;
        }
        request.setAttribute(AuthorizationResponses.ERROR_CODE, ERROR);
        request.setAttribute(AuthorizationResponses.ERROR_DESCRIPTION, DESCRIPTION);
        response.sendError(HttpStatus.FORBIDDEN.value());
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

    /**
     * Whether the request's session holds a sign-in (the CSRF check runs after it is
     * read).
     */
    private static boolean signedIn() {
        return TRUST.isAuthenticated(SecurityContextHolder.getContext().getAuthentication());
    }

    private static boolean isJson(HttpServletRequest request) {
        String type = request.getContentType();
        try {
            return type != null && MediaType.APPLICATION_JSON.isCompatibleWith(MediaType.parseMediaType(type));
        }
        catch (InvalidMediaTypeException ex) {
            return false;
        }
    }

}
