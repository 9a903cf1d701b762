package dev.gatehouse.authserver.token;

import java.sql.SQLException;
import java.time.Duration;

import org.jspecify.annotations.Nullable;
import org.springframework.dao.CannotAcquireLockException;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2RefreshTokenAuthenticationToken;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Redeems an authorization code or a refresh token exactly once, also when the same grant
 * arrives several times at once, on one instance or on several sharing the database.
 *
 * <p>
 * SAS's code and refresh providers read the authorization, check it and save the result
 * in separate statements, so parallel redemptions of one grant all saw it unused: five
 * exchanges of one code gave five refresh tokens, ten refreshes of one token several
 * successes and duplicate-key errors. Here the whole redemption (look-up, checks, new
 * tokens, save, the rotated-token record) runs in one transaction that starts by locking
 * the authorization row the presented value belongs to. A second redemption waits for the
 * first to commit and then sees the code marked used or the refresh token rotated out,
 * and is answered as a replay. Everything in the transaction uses its one connection, so
 * no redemption ever waits for a second pooled connection while holding the lock.
 *
 * <p>
 * The lock is {@code SELECT ... FOR UPDATE}, except on H2, where it is an update that
 * changes nothing ({@code SET id = id}): H2 parses a {@code FOR UPDATE} query afresh on
 * every call (it never caches one), which was 6% of a refresh's CPU. The update takes the
 * same row lock and, like the query, re-reads the row once a concurrent redemption has
 * committed, so a rotated-out value no longer matches. PostgreSQL keeps the query: there
 * an update writes a row version.
 *
 * <p>
 * On PostgreSQL the wait for the lock is bounded ({@link #LOCK_TIMEOUT}); past it the
 * request fails as the database being unavailable does (503 with {@code Retry-After}),
 * and the grant is untouched. On H2 every transaction is in this process, and none
 * stalls.
 *
 * <p>
 * OAuth errors commit rather than roll back: the replay paths store their revocation (the
 * tokens a reused code produced, a refresh family) before they answer
 * {@code invalid_grant}.
 */
public final class LockedGrantRedemption implements AuthenticationProvider {

    /**
     * How long a redemption waits for a grant's row on PostgreSQL; a redemption that
     * finishes holds it for milliseconds.
     */
    static final Duration LOCK_TIMEOUT = Duration.ofSeconds(2);

    /** PostgreSQL's {@code lock_not_available}, raised when the lock timeout passes. */
    private static final String LOCK_NOT_AVAILABLE = "55P03";

    private final AuthenticationProvider delegate;

    private final TransactionTemplate transactions;

    private final JdbcTemplate jdbc;

    /** Whether the database is H2, found at the first redemption. */
    private volatile @Nullable Boolean h2;

    private LockedGrantRedemption(AuthenticationProvider delegate, TransactionTemplate transactions,
            JdbcTemplate jdbc) {
        this.delegate = delegate;
        this.transactions = transactions;
        this.jdbc = jdbc;
    }

    /**
     * Wraps a provider of the {@code authorization_code} or {@code refresh_token} grant.
     */
    public static AuthenticationProvider of(AuthenticationProvider delegate, TransactionTemplate transactions,
            JdbcTemplate jdbc) {
        return new LockedGrantRedemption(delegate, transactions, jdbc);
    }

    @Override
    public @Nullable Authentication authenticate(Authentication authentication) throws AuthenticationException {
        Outcome outcome = this.transactions.execute((status) -> {
            lock(authentication);
            try {
                return new Outcome(this.delegate.authenticate(authentication), null);
            }
            catch (OAuth2AuthenticationException ex) {
                return new Outcome(null, ex);
            }
        });
        if (outcome == null) {
            return null;
        }
        if (outcome.error() != null) {
            throw outcome.error();
        }
        return outcome.result();
    }

    private void lock(Authentication authentication) {
        if (authentication instanceof OAuth2AuthorizationCodeAuthenticationToken code) {
            lockRow("authorization_code_value", code.getCode());
        }
        else if (authentication instanceof OAuth2RefreshTokenAuthenticationToken refresh) {
            lockRow("refresh_token_value", refresh.getRefreshToken());
        }
    }

    private void lockRow(String column, @Nullable String presented) {
        if (presented == null || presented.isEmpty()) {
            return;
        }
        String hash = TokenHasher.hash(presented);
        if (isH2()) {
            this.jdbc.update("UPDATE oauth2_authorization SET id = id WHERE " + column + " = ?", hash);
        }
        else {
            // An instance that stalled with this row locked (paused, or cut off before
            // PostgreSQL noticed) must not hold this request, its turn at the token
            // endpoint and its connection as long: the wait is bounded.
            this.jdbc.execute("SET LOCAL lock_timeout = '" + LOCK_TIMEOUT.toMillis() + "ms'");
            try {
                this.jdbc.query("SELECT id FROM oauth2_authorization WHERE " + column + " = ? FOR UPDATE", (rs) -> null,
                        hash);
            }
            catch (DataAccessException ex) {
                if (ex.getMostSpecificCause() instanceof SQLException sql
                        && LOCK_NOT_AVAILABLE.equals(sql.getSQLState())) {
                    throw new CannotAcquireLockException("The grant is being redeemed by a stalled request", ex);
                }
                throw ex;
            }
        }
    }

    private boolean isH2() {
        Boolean known = this.h2;
        if (known == null) {
            known = "H2".equals(this.jdbc.execute(
                    (ConnectionCallback<String>) (connection) -> connection.getMetaData().getDatabaseProductName()));
            this.h2 = known;
        }
        return known;
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return this.delegate.supports(authentication);
    }

    private record Outcome(@Nullable Authentication result, @Nullable OAuth2AuthenticationException error) {
    }

}
