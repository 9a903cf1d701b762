package dev.gatehouse.authserver.authorize;

import java.io.IOException;

import org.springframework.security.web.util.RedirectUrlBuilder;
import org.springframework.web.filter.OncePerRequestFilter;

import dev.gatehouse.authserver.web.EndpointPaths;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;

/**
 * Sends Spring Authorization Server's redirect to the consent page as a path
 * ({@code /consent?scope=...}). SAS builds that URL absolute from the request's scheme,
 * {@code Host} header and port ({@code OAuth2AuthorizationEndpointFilter} resolves a
 * relative consent page so, with a redirect strategy that cannot be replaced), and
 * anybody can set the {@code Host} header (docs/security.md SEC-34). Only that one
 * redirect of an authorization request is changed; the redirects to a client's
 * {@code redirect_uri} pass as they are.
 */
public class ConsentPageRedirect extends OncePerRequestFilter {

    private final EndpointPaths authorizationEndpoint;

    private final String consentPage;

    public ConsentPageRedirect(String authorizationEndpoint, String consentPage) {
        this.authorizationEndpoint = EndpointPaths.of(authorizationEndpoint);
        this.consentPage = consentPage;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !this.authorizationEndpoint.matches(request);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String path = request.getContextPath() + this.consentPage;
        // The URL exactly as SAS builds it for this request.
        RedirectUrlBuilder built = new RedirectUrlBuilder();
        built.setScheme(request.getScheme());
        built.setServerName(request.getServerName());
        built.setPort(request.getServerPort());
        built.setContextPath(request.getContextPath());
        built.setPathInfo(this.consentPage);
        String absolute = built.getUrl();
        chain.doFilter(request, new HttpServletResponseWrapper(response) {

            private String relative(String location) {
                if (location.startsWith(absolute)) {
                    String rest = location.substring(absolute.length());
                    if (rest.isEmpty() || rest.startsWith("?")) {
                        return path + rest;
                    }
                }
                return location;
            }

            @Override
            public void sendRedirect(String location) throws IOException {
                super.sendRedirect(relative(location));
            }

            @Override
            public void sendRedirect(String location, int sc) throws IOException {
                super.sendRedirect(relative(location), sc);
            }

            @Override
            public void sendRedirect(String location, boolean clearBuffer) throws IOException {
                super.sendRedirect(relative(location), clearBuffer);
            }

            @Override
            public void sendRedirect(String location, int sc, boolean clearBuffer) throws IOException {
                super.sendRedirect(relative(location), sc, clearBuffer);
            }

        });
    }

}
