package dev.gatehouse.authserver.authorize;

import java.io.IOException;

import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.authentication.logout.SecurityContextLogoutHandler;
import org.springframework.web.filter.OncePerRequestFilter;

import dev.gatehouse.authserver.web.EndpointPaths;
import dev.gatehouse.authserver.user.UserDirectory;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Ends the SSO session of a user who was removed from the tenant or blocked since they
 * signed in, before {@code /authorize} would issue a code for them: the request then
 * continues as anonymous (the login page, or {@code login_required} for
 * {@code prompt=none}). A session outlives a tenant change, so it is checked on each
 * authorization request, the one place it turns into tokens.
 */
public class ActiveUserSessionFilter extends OncePerRequestFilter {

    private final EndpointPaths authorizationEndpoint;

    private final UserDirectory users;

    public ActiveUserSessionFilter(String authorizationEndpoint, UserDirectory users) {
        this.authorizationEndpoint = EndpointPaths.of(authorizationEndpoint);
        this.users = users;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !this.authorizationEndpoint.matches(request);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        if (authentication instanceof UsernamePasswordAuthenticationToken && authentication.isAuthenticated()
                && this.users.findById(authentication.getName()).isEmpty()) {
            new SecurityContextLogoutHandler().logout(request, response, authentication);
        }
        chain.doFilter(request, response);
    }

}
