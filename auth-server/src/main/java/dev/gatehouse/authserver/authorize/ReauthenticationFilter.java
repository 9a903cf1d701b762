package dev.gatehouse.authserver.authorize;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.FactorGrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.authentication.logout.SecurityContextLogoutHandler;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.UriComponentsBuilder;
import org.springframework.web.util.UriUtils;

import dev.gatehouse.authserver.web.EndpointPaths;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * {@code prompt=login} and {@code max_age} at {@code /authorize} (OIDC Core 3.1.2.1,
 * auth0-compatibility A-9), which SAS accepts but does not act on. When a signed-in user
 * must sign in again (prompt=login, max_age=0, or a login older than max_age), the
 * session is ended and the browser sent back to the same request without the forcing
 * parameter, so after the fresh login the flow continues. With {@code prompt=none}, a too
 * old login is treated as no login: the answer is {@code login_required}.
 */
public class ReauthenticationFilter extends OncePerRequestFilter {

    private final EndpointPaths authorizationEndpoint;

    private final Clock clock;

    public ReauthenticationFilter(String authorizationEndpoint, Clock clock) {
        this.authorizationEndpoint = EndpointPaths.of(authorizationEndpoint);
        this.clock = clock;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !"GET".equals(request.getMethod()) || !this.authorizationEndpoint.matches(request)
                || (request.getParameter("prompt") == null && request.getParameter("max_age") == null);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        Instant authTime = authTime(authentication);
        List<String> prompt = PromptValues.of(request.getParameter("prompt"));
        Long maxAge = maxAge(request.getParameter("max_age"));
        boolean forced = prompt.contains("login") || (maxAge != null && maxAge == 0);
        if (authTime == null) {
            if (forced && !prompt.contains("none")) {
                // No one is signed in, so the login that follows is the fresh one asked
                // for. Saved with the forcing parameters, the request would end that
                // login's session when it came back, and the user sign in twice.
                sendAgainWithout(request, response, prompt, maxAge);
                return;
            }
            chain.doFilter(request, response);
            return;
        }
        // Compared as an age, not as authTime + max_age: any max_age up to Long.MAX_VALUE
        // is valid and must not overflow an Instant.
        boolean tooOld = maxAge != null && Duration.between(authTime, this.clock.instant()).getSeconds() > maxAge;
        if (prompt.contains("none")) {
            if (tooOld || forced) {
                // Only for this request: the session stays, SAS sees no user and the
                // answer is login_required.
                SecurityContextHolder.clearContext();
            }
            chain.doFilter(request, response);
            return;
        }
        if (!forced && !tooOld) {
            chain.doFilter(request, response);
            return;
        }
        new SecurityContextLogoutHandler().logout(request, response, authentication);
        sendAgainWithout(request, response, prompt, maxAge);
    }

    /**
     * Sends the browser to the same request again without what forces a login, so the
     * next pass goes on after one; other {@code prompt} values ({@code consent}) stay.
     * The location is relative, set as a header so the container does not make it
     * absolute from the {@code Host} header.
     */
    private static void sendAgainWithout(HttpServletRequest request, HttpServletResponse response, List<String> prompt,
            @Nullable Long maxAge) {
        UriComponentsBuilder again = UriComponentsBuilder.fromUriString(request.getRequestURI())
            .query(request.getQueryString())
            .replaceQueryParam("prompt");
        List<String> rest = prompt.stream().filter((value) -> !value.isEmpty() && !value.equals("login")).toList();
        if (!rest.isEmpty()) {
            again.queryParam("prompt", UriUtils.encodeQueryParam(String.join(" ", rest), StandardCharsets.UTF_8));
        }
        if (maxAge != null && maxAge == 0) {
            again.replaceQueryParam("max_age");
        }
        response.setStatus(HttpStatus.FOUND.value());
        response.setHeader(HttpHeaders.LOCATION, again.build(true).toUriString());
    }

    private static @Nullable Instant authTime(@Nullable Authentication authentication) {
        if (authentication == null || !authentication.isAuthenticated()) {
            return null;
        }
        Instant latest = null;
        for (GrantedAuthority authority : authentication.getAuthorities()) {
            if (authority instanceof FactorGrantedAuthority factor
                    && (latest == null || factor.getIssuedAt().isAfter(latest))) {
                latest = factor.getIssuedAt();
            }
        }
        return latest;
    }

    private static @Nullable Long maxAge(@Nullable String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            long parsed = Long.parseLong(value.trim());
            return parsed < 0 ? null : parsed;
        }
        catch (NumberFormatException ex) {
            return null;
        }
    }

}
