package dev.gatehouse.authserver.token;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.http.HttpMethod;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.endpoint.OAuth2ParameterNames;
import org.springframework.web.filter.OncePerRequestFilter;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import dev.gatehouse.authserver.web.EndpointPaths;
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
 * clients on 2 cores, four at a time per queue, first come first served, the slowest
 * hundredth of answers came two to three times sooner for both grants, and refreshes ran
 * a little faster; {@code client_credentials} gave up about a sixth of its rate to the
 * hand-overs (the benchmarks' {@code --only as}, {@code results/notes.md}).
 *
 * <p>
 * It runs after client authentication, so a secret check (which may wait on the login
 * throttle or on another check of the same client) holds no turn, and a client that fails
 * it never queues. Two queues: after its client is authenticated, a
 * {@code client_credentials} request reads no database (machine tokens are not stored;
 * only a DPoP proof's {@code jti} is recorded), the other grants lock and write their
 * grant's row. During a database outage each of those waits up to the connection timeout,
 * and machine clients do not queue behind them.
 *
 * <p>
 * A request still waiting after the queue timeout is answered like an outage: 503
 * {@code temporarily_unavailable} with {@code Retry-After}. It runs after CORS, so a
 * browser can read that answer.
 *
 * <p>
 * Written by hand because the whole mechanism is the JDK's fair {@link Semaphore}, whose
 * timed acquire serves waiters in arrival order; what is ours is which queue a request
 * joins and what a request that waited too long is told.
 */
public final class TokenEndpointAdmission extends OncePerRequestFilter {

    /** At most one warning per interval: under overload every request would log one. */
    private static final long WARNING_INTERVAL_NANOS = Duration.ofSeconds(10).toNanos();

    private static final Logger log = LoggerFactory.getLogger(TokenEndpointAdmission.class);

    private final AtomicLong lastWarning = new AtomicLong(System.nanoTime() - WARNING_INTERVAL_NANOS - 1);

    /** Matched as SAS matches its token endpoint (a percent-encoded path too). */
    private final EndpointPaths tokenEndpoint;

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
        this.tokenEndpoint = EndpointPaths.of(tokenPath);
        this.machineTokens = new Semaphore(concurrency, true);
        this.storedGrants = new Semaphore(concurrency, true);
        this.queueTimeoutNanos = queueTimeout.toNanos();
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !HttpMethod.POST.matches(request.getMethod()) || !this.tokenEndpoint.matches(request);
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
            long now = System.nanoTime();
            long last = this.lastWarning.get();
            if (now - last > WARNING_INTERVAL_NANOS && this.lastWarning.compareAndSet(last, now)) {
                log.warn("Token request waited {} for its turn and was answered 503 (gatehouse.token-endpoint.*): "
                        + "more token requests than this instance serves, or those ahead of it are "
                        + "waiting for the database", Duration.ofNanos(this.queueTimeoutNanos));
            }
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
