package dev.gatehouse.authserver.login;

import java.time.Duration;

import org.jspecify.annotations.Nullable;
import org.springframework.security.authentication.AuthenticationTrustResolver;
import org.springframework.security.authentication.AuthenticationTrustResolverImpl;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;

/**
 * Gives a session nobody has signed in to yet a short life
 * ({@code gatehouse.sign-in-timeout}), and the SSO session's timeout once somebody has.
 *
 * <p>
 * Every login page, authorization request and form post without a cookie creates a
 * session (it holds the CSRF token and the request to return to), and sessions live in
 * the database. At the SSO timeout (8 h) an anonymous client could grow the session table
 * by hours of its requests. Spring Session gives every new session the same timeout, so
 * the lifetime is set here, between Spring Session's filter and the rest: short for a new
 * session without a signed-in user, long as soon as one is stored in it. The check runs
 * before the response is committed (a login ends in a redirect, and Spring Session saves
 * the session when the response commits), so the saved row has the right expiry at once.
 * Any login path counts, since each stores the signed-in user in the session.
 */
public final class SignInSessionLifetime extends BeforeSessionSave {

    private static final AuthenticationTrustResolver TRUST = new AuthenticationTrustResolverImpl();

    private final int signInSeconds;

    private final int signedInSeconds;

    /**
     * @param signIn positive (checked where it is bound, {@code GatehouseProperties})
     * @param signedIn the SSO timeout; zero or negative: signed-in sessions never expire
     * (Spring Session's meaning)
     */
    public SignInSessionLifetime(Duration signIn, @Nullable Duration signedIn) {
        int signInSeconds = seconds(signIn);
        if (signedIn == null || signedIn.isNegative() || signedIn.isZero()) {
            this.signedInSeconds = -1;
            this.signInSeconds = signInSeconds;
        }
        else {
            this.signedInSeconds = seconds(signedIn);
            // never longer than the signed-in session's
            this.signInSeconds = Math.min(signInSeconds, this.signedInSeconds);
        }
    }

    /** Spring Session's unit; at least one second. */
    private static int seconds(Duration duration) {
        return (int) Math.min(Integer.MAX_VALUE, Math.max(1, duration.toSeconds()));
    }

    @Override
    void beforeSave(HttpServletRequest request) {
        HttpSession session = request.getSession(false);
        if (session == null) {
            return;
        }
        try {
            int current = session.getMaxInactiveInterval();
            if (current == this.signedInSeconds && !session.isNew()) {
                return;
            }
            boolean signedIn = signedIn(session);
            int wanted = signedIn ? this.signedInSeconds : this.signInSeconds;
            // A new session gets its lifetime; a sign-in lengthens it; nothing shortens
            // it.
            if (current != wanted && (session.isNew() || signedIn)) {
                session.setMaxInactiveInterval(wanted);
            }
        }
        catch (IllegalStateException ex) {
            // invalidated during the request (a logout): nothing to keep
        }
    }

    private static boolean signedIn(HttpSession session) {
        Object context = session.getAttribute(HttpSessionSecurityContextRepository.SPRING_SECURITY_CONTEXT_KEY);
        if (!(context instanceof SecurityContext securityContext)) {
            return false;
        }
        return TRUST.isAuthenticated(securityContext.getAuthentication());
    }

}
