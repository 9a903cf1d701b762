package dev.gatehouse.authserver.dpop;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.dao.DataAccessException;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * With server nonces on, every answer of the token endpoint carries the current nonce in
 * {@code DPoP-Nonce} (RFC 9449 section 8.2): the {@code use_dpop_nonce} error the SDK
 * retries on, and the successful answers, so a client's next proof has a fresh one.
 */
final class DPoPNonceHeader extends OncePerRequestFilter {

    static final String HEADER = "DPoP-Nonce";

    private final DPoPNonces nonces;

    DPoPNonceHeader(DPoPNonces nonces) {
        this.nonces = nonces;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if ("POST".equals(request.getMethod())) {
            try {
                response.setHeader(HEADER, this.nonces.current());
            }
            catch (DataAccessException ex) {
                // The nonce key is read once; while the database is away the request goes
                // on
                // without a nonce and gets its 503 from the database-outage filter.
            }
        }
        chain.doFilter(request, response);
    }

}
