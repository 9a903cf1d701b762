package dev.gatehouse.authserver.web;

import java.io.IOException;

import org.springframework.http.HttpStatus;
import org.springframework.http.server.RequestPath;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Answers 400 to a request whose path Spring cannot parse, before anything tries to.
 * Tomcat checks the escapes of a path but leaves its path parameters undecoded
 * ({@code /oauth/token;x=%zz}); Spring Security's chain parses the path, parameters
 * included, before its firewall looks at the request, and throws on such a path, which
 * would make a client's mistake a server error on every endpoint. The 400 goes to the
 * error page, which answers JSON at the JSON endpoints.
 *
 * <p>
 * Only a path with a parameter ({@code ;}) is parsed here, so ordinary requests pay one
 * character search.
 */
public class UndecodablePathFilter extends HttpFilter {

    private static final long serialVersionUID = 1L;

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String uri = request.getRequestURI();
        if (uri.indexOf(';') >= 0) {
            try {
                RequestPath.parse(uri, request.getContextPath());
            }
            catch (IllegalArgumentException ex) {
                response.sendError(HttpStatus.BAD_REQUEST.value());
                return;
            }
        }
        chain.doFilter(request, response);
    }

}
