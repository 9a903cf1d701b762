package dev.gatehouse.authserver.token;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.endpoint.OAuth2ParameterNames;
import org.springframework.web.filter.OncePerRequestFilter;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import dev.gatehouse.authserver.web.TemporarilyUnavailable;

/**
 * Lets a bounded number of token requests run at once and queues the others in the order
 * they came.
 *
 * <p>
 * Why: a token request is CPU (signatures, JSON) around a short database transaction.
 * When every request that arrives runs at once, they share the few cores in slices: each
 * takes longer, holds its pooled connection and row lock longer, and which one finishes
 * first is the scheduler's choice, so some wait many times longer than the rest. With 32
 * clients on 2 cores, admitting four at a time, first come first served, gave about 40 %
 * more refreshes per second, and the slowest hundredth of {@code client_credentials}
 * answers came five times sooner (the benchmarks' {@code --only as}).
 *
 * <p>
 * Two queues: {@code client_credentials} needs no database (machine tokens are not
 * stored), the other grants do. During a database outage each of those waits up to the
 * connection timeout, and machine clients do not queue behind them.
 *
 * <p>
 * A request still waiting after the queue timeout is answered like an outage: 503
 * {@code temporarily_unavailable} with {@code Retry-After}. It runs after CORS, so a
 * browser can read that answer.
 *
 * <p>
 * Written by hand because the whole mechanism is the JDK's fair {@link Semaphore}, whose
 * waiters are served in arrival order; what is ours is which queue a request joins and
 * what a request that waited too long is told.
 */
public final class TokenEndpointAdmission extends OncePerRequestFilter {

    private final String tokenPath;

    private final Semaphore machineTokens;

    private final Semaphore storedGrants;

    private final long queueTimeoutNanos;

    /**
     * @param tokenPath the token endpoint's path; other requests pass untouched
     * @param concurrency how many requests of each queue run at once
     * @param queueTimeout how long a request may wait for its turn
     */
    public TokenEndpointAdmission(String tokenPath, int concurrency, Duration queueTimeout) {
        if (concurrency < 1) {
            throw new IllegalArgumentException("concurrency must be at least 1, was " + concurrency);
        }
        this.tokenPath = tokenPath;
        this.machineTokens = new Semaphore(concurrency, true);
        this.storedGrants = new Semaphore(concurrency, true);
        this.queueTimeoutNanos = queueTimeout.toNanos();
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !"POST".equals(request.getMethod())
                || !this.tokenPath.equals(request.getRequestURI().substring(request.getContextPath().length()));
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Semaphore queue = AuthorizationGrantType.CLIENT_CREDENTIALS.getValue()
            .equals(request.getParameter(OAuth2ParameterNames.GRANT_TYPE)) ? this.machineTokens : this.storedGrants;
        boolean admitted;
        try {
            admitted = queue.tryAcquire(this.queueTimeoutNanos, TimeUnit.NANOSECONDS);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            admitted = false;
        }
        if (!admitted) {
            TemporarilyUnavailable.json(response);
            return;
        }
        try {
            chain.doFilter(request, response);
        }
        finally {
            queue.release();
        }
    }

}
