package dev.gatehouse.authserver.login;

import java.io.IOException;

import org.springframework.security.web.util.OnCommittedResponseWrapper;
import org.springframework.web.filter.OncePerRequestFilter;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * A step run on a request's session just before Spring Session saves it. Spring Session
 * saves when the response commits (a login ends in a redirect) and again when its filter
 * ends, so a filter registered right after Spring Session's runs its step when the
 * response commits, or when the request ends if it never did, failed requests included.
 */
abstract class BeforeSessionSave extends OncePerRequestFilter {

    @Override
    protected final void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        OnCommittedResponseWrapper wrapped = new OnCommittedResponseWrapper(response) {
            @Override
            protected void onResponseCommitted() {
                beforeSave(request);
            }
        };
        try {
            chain.doFilter(request, wrapped);
        }
        finally {
            if (!response.isCommitted()) {
                beforeSave(request);
            }
        }
    }

    abstract void beforeSave(HttpServletRequest request);

}
