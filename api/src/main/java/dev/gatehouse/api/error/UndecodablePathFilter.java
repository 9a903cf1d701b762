package dev.gatehouse.api.error;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.server.RequestPath;

/**
 * Answers 400 to a request whose path Spring cannot parse, before anything tries to.
 * Tomcat checks a path's escapes but leaves its path parameters undecoded
 * ({@code /api/external;x=%zz}), and Spring Security parses the path, parameters
 * included, before its firewall sees the request: the exception would make a client's
 * mistake a 500. Only a path with a parameter ({@code ;}) is parsed here, so ordinary
 * requests pay one character search (and, as a plain servlet filter registered for
 * requests only, none of the once-per-request bookkeeping).
 */
public final class UndecodablePathFilter extends HttpFilter {

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
                int status = HttpServletResponse.SC_BAD_REQUEST;
                ErrorResponses.write(response, status, JsonErrorController.errorCode(status),
                        JsonErrorController.description(status));
                return;
            }
        }
        chain.doFilter(request, response);
    }

}
