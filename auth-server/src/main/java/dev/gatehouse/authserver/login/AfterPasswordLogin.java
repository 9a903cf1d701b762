package dev.gatehouse.authserver.login;

import java.io.IOException;

import org.springframework.security.core.Authentication;
import org.springframework.security.web.authentication.AuthenticationSuccessHandler;
import org.springframework.security.web.authentication.SavedRequestAwareAuthenticationSuccessHandler;
import org.springframework.security.web.savedrequest.SavedRequest;

import dev.gatehouse.authserver.tenant.DatabaseConnection;
import dev.gatehouse.authserver.tenant.LoginSettings;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Where a password login goes next: back to the authorization request it interrupted, as
 * Spring Security's saved-request handler does; but first, once per login, to the offer
 * to add a passkey (Auth0's progressive enrollment) when the user database allows it, the
 * user has none, the browser said it can keep one, and no second factor is about to be
 * asked (that step offers passkeys itself). The way back is a path
 * ({@link SavedRequests}).
 */
public class AfterPasswordLogin implements AuthenticationSuccessHandler {

    /** The page offering to add a passkey. */
    public static final String ENROLL_PAGE = "/passkeys/enroll";

    private final SavedRequests requests = new SavedRequests();

    private final SavedRequestAwareAuthenticationSuccessHandler saved = new SavedRequestAwareAuthenticationSuccessHandler();

    private final LoginSettings settings;

    private final SecondFactors factors;

    public AfterPasswordLogin(LoginSettings settings, SecondFactors factors) {
        this.settings = settings;
        this.factors = factors;
        this.saved.setRequestCache(this.requests);
    }

    @Override
    public void onAuthenticationSuccess(HttpServletRequest request, HttpServletResponse response,
            Authentication authentication) throws IOException, ServletException {
        DatabaseConnection database = this.settings.database();
        if (database.passkeyEnabled() && database.progressiveEnrollment()
                && "true".equals(request.getParameter("passkey_capable")) && !secondFactorAhead(request)
                && !this.factors.hasPasskey(authentication.getName())) {
            response.sendRedirect(request.getContextPath() + ENROLL_PAGE);
            return;
        }
        this.saved.onAuthenticationSuccess(request, response, authentication);
    }

    private boolean secondFactorAhead(HttpServletRequest request) {
        if (this.settings.guardian().alwaysRequired()) {
            return true;
        }
        SavedRequest saved = this.requests.getRequest(request, null);
        String[] acr = (saved != null) ? saved.getParameterValues("acr_values") : null;
        return acr != null && MultiFactorPolicy.requestsMultiFactor(acr[0]);
    }

}
