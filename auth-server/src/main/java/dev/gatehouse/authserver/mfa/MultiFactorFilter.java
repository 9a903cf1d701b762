package dev.gatehouse.authserver.mfa;

import java.io.IOException;

import org.springframework.security.authentication.AuthenticationTrustResolver;
import org.springframework.security.authentication.AuthenticationTrustResolverImpl;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.web.savedrequest.HttpSessionRequestCache;
import org.springframework.web.filter.OncePerRequestFilter;

import dev.gatehouse.authserver.web.EndpointPaths;
import dev.gatehouse.authserver.authorize.PromptNoneEntryPoint;
import dev.gatehouse.authserver.authorize.PromptValues;
import dev.gatehouse.authserver.login.MultiFactorPolicy;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * The second factor at {@code /authorize}: a signed-in user whose login does not meet
 * what the tenant's policy or the request's {@code acr_values} needs is sent to the
 * second-factor page, and comes back to the same request afterwards. A silent request
 * ({@code prompt=none}) is answered {@code interaction_required} instead: silent
 * authentication never skips a required factor. A request for a second factor that no
 * enabled factor can give is answered {@code unmet_authentication_requirements}
 * (auth0-compatibility P-4, P-6).
 *
 * <p>
 * Hand-written rather than Spring Security's factor authorization rules: what is required
 * depends on the tenant and on each request's parameters, and a silent request must get
 * an OAuth error in its response mode, not a redirect.
 */
public class MultiFactorFilter extends OncePerRequestFilter {

    /** The second-factor page. */
    public static final String PAGE = "/mfa";

    private final EndpointPaths authorizationEndpoint;

    private final MultiFactorPolicy policy;

    private final PromptNoneEntryPoint answers;

    private final HttpSessionRequestCache requests = new HttpSessionRequestCache();

    private final AuthenticationTrustResolver trust = new AuthenticationTrustResolverImpl();

    public MultiFactorFilter(String authorizationEndpoint, MultiFactorPolicy policy, PromptNoneEntryPoint answers) {
        this.authorizationEndpoint = EndpointPaths.of(authorizationEndpoint);
        this.policy = policy;
        this.answers = answers;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !"GET".equals(request.getMethod()) || !this.authorizationEndpoint.matches(request);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        String acr = request.getParameter("acr_values");
        // An anonymous visitor signs in first; the second factor comes after.
        if (!this.trust.isAuthenticated(authentication) || this.policy.satisfied(authentication, acr)) {
            chain.doFilter(request, response);
            return;
        }
        if (!this.policy.guardian().anyFactor()) {
            this.answers.answer(request, response, new OAuth2Error("unmet_authentication_requirements",
                    "A second factor was requested, but none is enabled for this tenant.", null));
            return;
        }
        if (PromptValues.of(request.getParameter("prompt")).contains("none")) {
            this.answers.answer(request, response,
                    new OAuth2Error("interaction_required", "Multifactor authentication required", null));
            return;
        }
        this.requests.saveRequest(request, response);
        response.sendRedirect(request.getContextPath() + PAGE);
    }

}
