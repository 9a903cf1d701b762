package dev.gatehouse.authserver.client;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;

import org.jspecify.annotations.Nullable;
import org.springframework.dao.CannotAcquireLockException;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

import dev.gatehouse.authserver.user.LoginThrottle;

/**
 * Throttles client-secret checks like logins. Each check of a secret against its stored
 * bcrypt hash costs about 85 ms of CPU, so a burst of wrong secrets starved every other
 * request (50 bad secrets slowed a good token request from 12 ms to 1.1 s). A secret that
 * {@link CachingClientSecretEncoder} already verified needs no slow check and passes
 * untouched; any other check first takes an attempt from {@link LoginThrottle} (per
 * client and address, and per address), and once failures reach the limit the request is
 * answered {@code invalid_client} without checking anything until the block ends.
 *
 * <p>
 * The slow checks of one client run one at a time on an instance. A machine client
 * starting 32 workers at once, or under steady load when its remembered secret expires,
 * sends many requests with a secret not verified yet: each would take an attempt and wait
 * for the five checks in flight. In turn, the first check verifies the secret and the
 * others find it remembered. Wrong secrets queue behind each other, which also keeps a
 * burst of them to one bcrypt check at a time.
 *
 * <p>
 * A remembered secret does not pass while its client is blocked from the address it comes
 * from. Otherwise a guesser blocked there could go on guessing through the memory of the
 * client's own right secret, and tell the right guess by its {@code 200}. The blocks this
 * instance has met are kept in memory (the check of a remembered secret reads no
 * database); another instance learns of a block with the first slow check it refuses. A
 * block of the address alone still lets remembered secrets through: it stops guessing
 * across clients and should not cut off every client behind a shared address.
 */
public final class ThrottledClientAuthentication implements AuthenticationProvider {

    private final AuthenticationProvider delegate;

    private final RegisteredClientRepository clients;

    private final CachingClientSecretEncoder secrets;

    private final LoginThrottle throttle;

    static final Duration TURN_WAIT = Duration.ofSeconds(10);

    /** One per registered client that has had a slow check: bounded by the tenant. */
    private final Map<String, Lock> slowChecks = new ConcurrentHashMap<>();

    /**
     * Client and address pairs this instance saw blocked, to the end of their block; the
     * ended ones go whenever it grows past {@link #BLOCKED_PAIRS_SWEEP}.
     */
    private final Map<String, Instant> blockedPairs = new ConcurrentHashMap<>();

    private static final int BLOCKED_PAIRS_SWEEP = 10_000;

    private final Clock clock;

    public ThrottledClientAuthentication(AuthenticationProvider delegate, RegisteredClientRepository clients,
            CachingClientSecretEncoder secrets, LoginThrottle throttle, Clock clock) {
        this.delegate = delegate;
        this.clients = clients;
        this.secrets = secrets;
        this.throttle = throttle;
        this.clock = clock;
    }

    @Override
    public @Nullable Authentication authenticate(Authentication authentication) throws AuthenticationException {
        OAuth2ClientAuthenticationToken token = (OAuth2ClientAuthenticationToken) authentication;
        RegisteredClient client = secretCheckAhead(token);
        if (client == null) {
            return this.delegate.authenticate(authentication);
        }
        String address = clientAddress();
        if (this.secrets.remembers(token.getCredentials().toString(), client.getClientSecret())) {
            refuseWhileBlocked(client, address);
            return this.delegate.authenticate(authentication);
        }
        Lock check = this.slowChecks.computeIfAbsent(client.getId(), (id) -> new ReentrantLock());
        awaitTurn(check);
        try {
            if (this.secrets.remembers(token.getCredentials().toString(), client.getClientSecret())) {
                refuseWhileBlocked(client, address);
                return this.delegate.authenticate(authentication);
            }
            return throttledCheck(authentication, client, address);
        }
        finally {
            check.unlock();
        }
    }

    /**
     * Waits for the check of this client's secret before it, which may itself wait up to
     * {@link LoginThrottle}'s bound for checks running on other instances. Bounded so
     * that requests do not queue here without end: past it the answer is a 503 with
     * {@code Retry-After}, as when the database is away.
     */
    private static void awaitTurn(Lock check) {
        try {
            if (check.tryLock(TURN_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                return;
            }
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
        throw new CannotAcquireLockException("Another check of this client's secret is still running");
    }

    private @Nullable Authentication throttledCheck(Authentication authentication, RegisteredClient client,
            @Nullable String address) {
        if (!this.throttle.tryAcquire(client.getClientId(), address)) {
            rememberBlock(client, address);
            throw tooManyFailures();
        }
        try {
            return this.throttle.check(client.getClientId(), address, () -> this.delegate.authenticate(authentication));
        }
        catch (AuthenticationException ex) {
            // This failure may have been the last one the pair was allowed
            rememberBlock(client, address);
            throw ex;
        }
    }

    private void refuseWhileBlocked(RegisteredClient client, @Nullable String address) {
        String pair = pair(client, address);
        Instant until = this.blockedPairs.get(pair);
        if (until == null) {
            return;
        }
        if (this.clock.instant().isBefore(until)) {
            throw tooManyFailures();
        }
        this.blockedPairs.remove(pair, until);
    }

    private void rememberBlock(RegisteredClient client, @Nullable String address) {
        Instant until = this.throttle.pairBlockedUntil(client.getClientId(), address);
        if (until == null) {
            return;
        }
        if (this.blockedPairs.size() >= BLOCKED_PAIRS_SWEEP) {
            Instant now = this.clock.instant();
            this.blockedPairs.values().removeIf((end) -> !now.isBefore(end));
        }
        this.blockedPairs.put(pair(client, address), until);
    }

    private static String pair(RegisteredClient client, @Nullable String address) {
        return client.getId() + "\n" + ((address != null) ? address : "-");
    }

    private static OAuth2AuthenticationException tooManyFailures() {
        return new OAuth2AuthenticationException(new OAuth2Error(OAuth2ErrorCodes.INVALID_CLIENT,
                "Too many failed client authentications; try again later.", null));
    }

    /** The client whose stored secret a slow check is about to compare, if any. */
    private @Nullable RegisteredClient secretCheckAhead(OAuth2ClientAuthenticationToken token) {
        boolean secretMethod = ClientAuthenticationMethod.CLIENT_SECRET_BASIC
            .equals(token.getClientAuthenticationMethod())
                || ClientAuthenticationMethod.CLIENT_SECRET_POST.equals(token.getClientAuthenticationMethod());
        if (!secretMethod || token.getCredentials() == null) {
            return null;
        }
        RegisteredClient client = this.clients.findByClientId(token.getPrincipal().toString());
        return (client != null && client.getClientSecret() != null) ? client : null;
    }

    private static @Nullable String clientAddress() {
        return (RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes attributes)
                ? attributes.getRequest().getRemoteAddr() : null;
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return this.delegate.supports(authentication);
    }

}
