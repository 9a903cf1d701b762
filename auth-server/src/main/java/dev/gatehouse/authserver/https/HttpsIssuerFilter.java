package dev.gatehouse.authserver.https;

import java.io.IOException;

import org.springframework.security.oauth2.server.authorization.context.AuthorizationServerContext;
import org.springframework.security.oauth2.server.authorization.context.AuthorizationServerContextHolder;
import org.springframework.security.oauth2.server.authorization.settings.AuthorizationServerSettings;
import org.springframework.web.filter.OncePerRequestFilter;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Requests that arrived on the HTTPS port are answered as the HTTPS issuer
 * ({@code https://localhost:9443/} by default): discovery lists its endpoints, and tokens
 * carry it as {@code iss}, as Auth0 does for a custom domain. The SDK checks an ID
 * token's {@code iss} against {@code https://<domain>/}, so a scheme-less {@code domain}
 * needs this; the API accepts the alias (its {@code issuer-aliases}; auth0-compatibility
 * C-7).
 *
 * <p>
 * Placed after Spring Authorization Server's own context filter, which resolves the one
 * configured issuer for every request; the issuer is never taken from the request's
 * {@code Host} header.
 */
public class HttpsIssuerFilter extends OncePerRequestFilter {

    private final HttpsPort https;

    private final AuthorizationServerSettings settings;

    public HttpsIssuerFilter(HttpsPort https, AuthorizationServerSettings settings) {
        this.https = https;
        this.settings = settings;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        AuthorizationServerContext current = AuthorizationServerContextHolder.getContext();
        if (current != null && this.https.received(request)) {
            String issuer = this.https.issuerOf(request, current.getIssuer());
            AuthorizationServerContextHolder.setContext(new AuthorizationServerContext() {
                @Override
                public String getIssuer() {
                    return issuer;
                }

                @Override
                public AuthorizationServerSettings getAuthorizationServerSettings() {
                    return HttpsIssuerFilter.this.settings;
                }
            });
        }
        chain.doFilter(request, response);
    }

}
