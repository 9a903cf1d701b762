package dev.gatehouse.authserver.web;

import java.io.IOException;
import java.util.Optional;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.web.authentication.logout.CookieClearingLogoutHandler;
import org.springframework.security.web.authentication.logout.SecurityContextLogoutHandler;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

import dev.gatehouse.authserver.authorize.AuthorizationResponses;
import dev.gatehouse.authserver.tenant.TenantClient;
import dev.gatehouse.authserver.tenant.TenantDirectory;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Auth0's {@code /v2/logout} (auth0-compatibility L-1..L-3): ends the SSO session, then
 * redirects to {@code returnTo} if the client lists it in {@code allowed_logout_urls}
 * (without {@code client_id}: if any client lists it), otherwise shows an error page;
 * with no {@code returnTo}, shows the signed-out page. {@code federated} and
 * {@code auth0Client} are accepted and ignored (there is no upstream identity provider
 * offline).
 */
@Controller
class LogoutController {

    private final TenantDirectory tenants;

    private final CookieClearingLogoutHandler cookies;

    LogoutController(TenantDirectory tenants,
            @org.springframework.beans.factory.annotation.Value("${server.servlet.session.cookie.name:JSESSIONID}") String sessionCookie) {
        this.tenants = tenants;
        this.cookies = new CookieClearingLogoutHandler(sessionCookie);
    }

    @GetMapping("/v2/logout")
    String logout(@RequestParam(name = "client_id", required = false) String clientId,
            @RequestParam(name = "returnTo", required = false) String returnTo, HttpServletRequest request,
            HttpServletResponse response) throws IOException {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        new SecurityContextLogoutHandler().logout(request, response, authentication);
        this.cookies.logout(request, response, authentication);
        if (returnTo == null || returnTo.isEmpty()) {
            return "redirect:/logged-out";
        }
        if (!allowed(clientId, returnTo)) {
            AuthorizationResponses.errorPage(request, response, new OAuth2Error("invalid_request",
                    "The returnTo URL is not in the application's Allowed Logout URLs. You were signed out.", null));
            return null;
        }
        response.setHeader("Cache-Control", "no-store");
        response.sendRedirect(returnTo);
        return null;
    }

    @GetMapping("/logged-out")
    String loggedOut() {
        return "logged-out";
    }

    private boolean allowed(String clientId, String returnTo) {
        if (clientId != null && !clientId.isEmpty()) {
            Optional<TenantClient> client = this.tenants.findClient(clientId);
            return client.isPresent() && matches(client.get(), returnTo);
        }
        return this.tenants.clients().stream().anyMatch(client -> matches(client, returnTo));
    }

    private static boolean matches(TenantClient client, String returnTo) {
        for (String allowed : client.allowedLogoutUrls()) {
            // Auth0 compares exactly, tolerating a trailing slash difference.
            if (allowed.equals(returnTo) || strip(allowed).equals(strip(returnTo))) {
                return true;
            }
        }
        return false;
    }

    private static String strip(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

}
