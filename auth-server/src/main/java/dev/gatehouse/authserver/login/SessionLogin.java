package dev.gatehouse.authserver.login;

import java.time.Clock;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.security.web.context.SecurityContextRepository;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Adds a proved factor to the signed-in session (a second factor after the password), the
 * way a login changes it: new session id (no fixation of the stronger session), the
 * principal stored back where Spring Security's filters read it.
 */
public class SessionLogin {

    private final SecurityContextRepository contexts = new HttpSessionSecurityContextRepository();

    private final Clock clock;

    public SessionLogin(Clock clock) {
        this.clock = clock;
    }

    /**
     * Records {@code factor} for the current session's user; returns the new principal.
     */
    public Authentication addFactor(HttpServletRequest request, HttpServletResponse response, Authentication current,
            String factor) {
        Authentication updated = Factors.withFactor(current, factor, this.clock.instant());
        request.changeSessionId();
        SecurityContext context = SecurityContextHolder.createEmptyContext();
        context.setAuthentication(updated);
        SecurityContextHolder.setContext(context);
        this.contexts.saveContext(context, request, response);
        return updated;
    }

}
