package dev.gatehouse.authserver.authorize;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.security.authentication.AuthenticationTrustResolver;
import org.springframework.security.authentication.AuthenticationTrustResolverImpl;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.core.endpoint.OAuth2ParameterNames;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.security.web.csrf.CsrfTokenRepository;
import org.springframework.security.web.csrf.CsrfTokenRequestHandler;
import org.springframework.security.web.csrf.HttpSessionCsrfTokenRepository;
import org.springframework.web.filter.OncePerRequestFilter;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import dev.gatehouse.authserver.web.EndpointPaths;
import dev.gatehouse.authserver.web.MaskedCsrfTokens;

/**
 * Requires the session's CSRF token on the consent form's Accept, posted back to
 * {@code /authorize} (a POST without {@code response_type}), as on every other form of
 * the pages. SAS exempts its endpoints from Spring Security's CSRF filter, and the
 * consent {@code state} it checks instead cannot be read from another site; the token
 * makes Accept as strict as Decline, which posts to a page and always needed it.
 *
 * <p>
 * Written as a filter of its own because Spring Security's {@code CsrfFilter} runs once
 * per request and has already run, exempting the endpoint, in this chain; the token
 * repository and the masking are Spring's, the same the pages use.
 */
public class ConsentFormCsrfCheck extends OncePerRequestFilter {

    private final EndpointPaths authorizationEndpoint;

    private final CsrfTokenRepository tokens = new HttpSessionCsrfTokenRepository();

    private final CsrfTokenRequestHandler masking = new MaskedCsrfTokens();

    private final AuthenticationTrustResolver signedIn = new AuthenticationTrustResolverImpl();

    public ConsentFormCsrfCheck(String authorizationPath) {
        this.authorizationEndpoint = EndpointPaths.of(authorizationPath);
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !HttpMethod.POST.matches(request.getMethod()) || !this.authorizationEndpoint.matches(request)
                || request.getParameter(OAuth2ParameterNames.RESPONSE_TYPE) != null;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        CsrfToken expected = this.tokens.loadToken(request);
        if (expected == null
                && !this.signedIn.isAuthenticated(SecurityContextHolder.getContext().getAuthentication())) {
            // No session, or one that expired while the page was open: nobody is signed
            // in to approve anything, and SAS sends the browser to the login page.
            chain.doFilter(request, response);
            return;
        }
        // A signed-in session without a token has shown no consent page since the login
        // (which clears the token), so this post did not come from one.
        String sent = (expected != null) ? this.masking.resolveCsrfTokenValue(request, expected) : null;
        if (expected == null || sent == null || !MessageDigest
            .isEqual(expected.getToken().getBytes(StandardCharsets.UTF_8), sent.getBytes(StandardCharsets.UTF_8))) {
            response.sendError(HttpStatus.FORBIDDEN.value(), "Invalid CSRF token");
            return;
        }
        chain.doFilter(request, response);
    }

}
