package dev.gatehouse.api.token;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.Key;
import java.security.interfaces.RSAPublicKey;
import java.text.ParseException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyOperation;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.JSONObjectUtils;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The issuer's signing keys, cached as ready-to-use Java keys, with a refresh policy that
 * a flood of forged tokens cannot turn against the issuer.
 * <ul>
 * <li>A token whose {@code kid} is cached never waits: when the keys are older than the
 * cache lifetime, a refresh starts in the background and the cached keys keep
 * serving.</li>
 * <li>An unknown {@code kid} may start one refresh, and only when the last attempt
 * (successful or not) is older than the cool-down (at most 5 s while no key was ever
 * loaded). Requests that arrive while it runs wait for it (at most twice the timeout:
 * discovery plus JWKS); the others get no new keys.</li>
 * <li>A failed refresh (issuer down, slow, an error status, a body that is no JWK set, or
 * a set with no usable key) keeps the cached keys and logs one line.</li>
 * <li>When no JWKS address is configured it is discovered from the issuer's
 * {@code .well-known/openid-configuration} on first need (never at startup), and
 * rediscovered after a failure.</li>
 * </ul>
 * Written by hand because Nimbus' {@code JWKSourceBuilder} refreshes while the requesting
 * thread waits, lets every rate-limited request fail with a key-source exception (a 500
 * in Spring Security), and converts each JWK to a Java key again on every request.
 */
public final class IssuerKeys {

    private static final Logger logger = LoggerFactory.getLogger(IssuerKeys.class);

    /**
     * A real JWK set is a few kilobytes; anything much larger is garbage we refuse to
     * buffer.
     */
    private static final int MAX_DOCUMENT_BYTES = 512 * 1024;

    private static final Duration EMPTY_CACHE_RETRY = Duration.ofSeconds(5);

    private final String issuer;

    private final @Nullable URI configuredJwksUri;

    private final Set<JWSAlgorithm> algorithms;

    private final long cooldownNanos;

    private final long lifetimeNanos;

    private final Duration timeout;

    private final HttpClient http;

    private final Object gate = new Object();

    private volatile Snapshot snapshot = Snapshot.EMPTY;

    private volatile @Nullable URI discoveredJwksUri;

    // guarded by gate
    private @Nullable CompletableFuture<Snapshot> inFlight;

    // guarded by gate
    private boolean attempted;

    // guarded by gate
    private long lastAttemptNanos;

    public IssuerKeys(String issuer, @Nullable URI jwksUri, Set<JWSAlgorithm> algorithms, Duration cooldown,
            Duration timeout, Duration lifetime) {
        this.issuer = issuer;
        this.configuredJwksUri = jwksUri;
        this.algorithms = Set.copyOf(algorithms);
        this.cooldownNanos = cooldown.toNanos();
        this.lifetimeNanos = lifetime.toNanos();
        this.timeout = timeout;
        this.http = HttpClient.newBuilder()
            .connectTimeout(timeout)
            .followRedirects(HttpClient.Redirect.NEVER)
            .version(HttpClient.Version.HTTP_1_1)
            .build();
    }

    /**
     * The cached keys with this {@code kid} (all keys when {@code kid} is null) that pass
     * {@code usable}; refreshes the cache first, within the limits above, when there is
     * none.
     */
    public List<Key> select(@Nullable String kid, Predicate<CachedKey> usable) {
        Snapshot seen = this.snapshot;
        List<Key> found = seen.find(kid, usable);
        if (!found.isEmpty()) {
            if (System.nanoTime() - seen.fetchedAtNanos > this.lifetimeNanos) {
                refresh(seen, false);
            }
            return found;
        }
        Snapshot fresh = refresh(seen, true);
        return (fresh == seen) ? List.of() : fresh.find(kid, usable);
    }

    /** How many keys are cached (for logs and tests). */
    public int size() {
        return this.snapshot.keys.size();
    }

    /**
     * The current key set, as an opaque value that changes whenever the keys are
     * replaced. Lets a cache of verified tokens forget everything verified under keys
     * that may since have been withdrawn.
     */
    public Object generation() {
        return this.snapshot;
    }

    private Snapshot refresh(Snapshot seen, boolean wait) {
        CompletableFuture<Snapshot> pending;
        synchronized (this.gate) {
            if (this.snapshot != seen) {
                return this.snapshot;
            }
            pending = this.inFlight;
            if (pending == null) {
                long now = System.nanoTime();
                if (this.attempted && now - this.lastAttemptNanos < retryIntervalNanos(seen)) {
                    return seen;
                }
                this.attempted = true;
                this.lastAttemptNanos = now;
                pending = fetch();
                this.inFlight = pending;
                pending.whenComplete((result, error) -> {
                    synchronized (this.gate) {
                        this.inFlight = null;
                    }
                });
            }
        }
        if (!wait) {
            return seen;
        }
        try {
            // As long as the refresh itself may take (see fetch): giving up earlier would
            // refuse a good token.
            return pending.get(2 * this.timeout.toMillis() + 100, TimeUnit.MILLISECONDS);
        }
        catch (TimeoutException | ExecutionException ex) {
            return this.snapshot;
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return this.snapshot;
        }
    }

    /**
     * The cool-down; but while no key could ever be loaded (issuer down at startup), at
     * most {@link #EMPTY_CACHE_RETRY}: the API is useless until then, and one call every
     * few seconds cannot flood anyone.
     */
    private long retryIntervalNanos(Snapshot seen) {
        return seen.keys.isEmpty() ? Math.min(this.cooldownNanos, EMPTY_CACHE_RETRY.toNanos()) : this.cooldownNanos;
    }

    /**
     * Never completes exceptionally: a failure logs one line and yields the snapshot we
     * already had.
     */
    private CompletableFuture<Snapshot> fetch() {
        URI known = (this.configuredJwksUri != null) ? this.configuredJwksUri : this.discoveredJwksUri;
        CompletableFuture<URI> jwksUri = (known != null) ? CompletableFuture.completedFuture(known) : discover();
        return jwksUri.thenCompose((uri) -> get(uri).thenApply((body) -> toSnapshot(uri, body)))
            // Two calls at most (discovery, then JWKS), each already bounded; this also
            // bounds a trickling body.
            .orTimeout(2 * this.timeout.toMillis(), TimeUnit.MILLISECONDS)
            .handle((fresh, error) -> {
                if (error != null) {
                    if (this.configuredJwksUri == null && this.discoveredJwksUri == null) {
                        logger.warn("Cannot load the signing keys of issuer {}: {}; {} cached key(s) stay in use",
                                this.issuer, reason(error), this.snapshot.keys.size());
                    }
                    else {
                        logger.warn("JWKS refresh from {} failed: {}; {} cached key(s) stay in use", jwksUriForLog(),
                                reason(error), this.snapshot.keys.size());
                    }
                    return this.snapshot;
                }
                Snapshot previous = this.snapshot;
                this.snapshot = fresh;
                if (!previous.kids().equals(fresh.kids())) {
                    logger.info("Loaded {} signing key(s) from {}: kid {}", fresh.keys.size(), jwksUriForLog(),
                            fresh.kids());
                }
                return fresh;
            });
    }

    private Object jwksUriForLog() {
        return (this.configuredJwksUri != null) ? this.configuredJwksUri : this.discoveredJwksUri;
    }

    private CompletableFuture<URI> discover() {
        String base = this.issuer.endsWith("/") ? this.issuer : this.issuer + "/";
        URI discovery = URI.create(base + ".well-known/openid-configuration");
        return get(discovery).thenApply((body) -> {
            Map<String, Object> document;
            try {
                document = JSONObjectUtils.parse(new String(body, StandardCharsets.UTF_8));
            }
            catch (ParseException ex) {
                throw new CompletionException(new IOException("discovery document is not a JSON object"));
            }
            if (!this.issuer.equals(document.get("issuer"))) {
                throw new CompletionException(new IOException("discovery document names another issuer"));
            }
            URI uri = (document.get("jwks_uri") instanceof String value) ? parseHttpUri(value) : null;
            if (uri == null) {
                throw new CompletionException(new IOException("discovery document has no usable jwks_uri"));
            }
            this.discoveredJwksUri = uri;
            return uri;
        });
    }

    private static @Nullable URI parseHttpUri(String value) {
        try {
            URI uri = URI.create(value);
            String scheme = uri.getScheme();
            return (uri.getHost() != null && ("https".equalsIgnoreCase(scheme) || "http".equalsIgnoreCase(scheme)))
                    ? uri : null;
        }
        catch (IllegalArgumentException ex) {
            return null;
        }
    }

    private CompletableFuture<byte[]> get(URI uri) {
        HttpRequest request = HttpRequest.newBuilder(uri)
            .timeout(this.timeout)
            .header("Accept", "application/json")
            .GET()
            .build();
        return this.http.sendAsync(request, (info) -> (info.statusCode() == 200) ? new LimitedBody(MAX_DOCUMENT_BYTES)
                : HttpResponse.BodySubscribers.replacing(new byte[0]))
            .thenApply((response) -> {
                if (response.statusCode() != 200) {
                    throw new CompletionException(new IOException("HTTP status " + response.statusCode()));
                }
                return response.body();
            });
    }

    private Snapshot toSnapshot(URI uri, byte[] body) {
        JWKSet set;
        try {
            set = JWKSet.parse(new String(body, StandardCharsets.UTF_8));
        }
        catch (ParseException ex) {
            // Rediscover next time: a wrong jwks_uri must not stick.
            this.discoveredJwksUri = null;
            throw new CompletionException(new IOException("response is not a JWK set"));
        }
        List<CachedKey> keys = new ArrayList<>();
        for (JWK jwk : set.getKeys()) {
            CachedKey key = toCachedKey(jwk);
            if (key != null) {
                keys.add(key);
            }
        }
        if (keys.isEmpty()) {
            throw new CompletionException(
                    new IOException("JWK set has no usable signing key (of " + set.getKeys().size() + ")"));
        }
        return new Snapshot(keys, System.nanoTime());
    }

    private @Nullable CachedKey toCachedKey(JWK jwk) {
        if (jwk.getKeyUse() != null && !KeyUse.SIGNATURE.equals(jwk.getKeyUse())) {
            return null;
        }
        if (jwk.getKeyOperations() != null && !jwk.getKeyOperations().contains(KeyOperation.VERIFY)) {
            return null;
        }
        JWSAlgorithm declared = (jwk.getAlgorithm() != null) ? JWSAlgorithm.parse(jwk.getAlgorithm().getName()) : null;
        if (declared != null && !this.algorithms.contains(declared)) {
            return null;
        }
        try {
            if (jwk instanceof RSAKey rsa) {
                RSAPublicKey publicKey = rsa.toRSAPublicKey();
                // Below 2048 bits RSA is breakable; Nimbus' verifier would still accept
                // such a key.
                return (publicKey.getModulus().bitLength() >= 2048)
                        ? new CachedKey(jwk.getKeyID(), publicKey, declared, null) : null;
            }
            if (jwk instanceof ECKey ec) {
                return new CachedKey(jwk.getKeyID(), ec.toECPublicKey(), declared, ec.getCurve());
            }
        }
        catch (JOSEException ex) {
            return null;
        }
        // Symmetric ("oct") and other key types are never used: no HMAC, whatever the
        // JWKS offers.
        return null;
    }

    private static String reason(Throwable error) {
        Throwable cause = error;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof HttpConnectTimeoutException) {
            return "connect timed out";
        }
        if (cause instanceof HttpTimeoutException || cause instanceof TimeoutException) {
            return "timed out";
        }
        if (cause instanceof ConnectException) {
            return "connection refused";
        }
        if (cause instanceof IOException && cause.getMessage() != null) {
            return cause.getMessage();
        }
        return cause.getClass().getSimpleName();
    }

    /**
     * A verification key as taken from the JWKS: the Java key is built once, here, not
     * per request.
     *
     * @param kid the key id, or null
     * @param key the public key
     * @param algorithm the algorithm the JWKS binds this key to, or null for none
     * @param curve the curve of an EC key, or null
     */
    public record CachedKey(@Nullable String kid, Key key, @Nullable JWSAlgorithm algorithm, @Nullable Curve curve) {
    }

    private static final class Snapshot {

        static final Snapshot EMPTY = new Snapshot(List.of(), Long.MIN_VALUE / 2);

        final List<CachedKey> keys;

        final Map<String, List<CachedKey>> byKid;

        final long fetchedAtNanos;

        Snapshot(List<CachedKey> keys, long fetchedAtNanos) {
            this.keys = List.copyOf(keys);
            Map<String, List<CachedKey>> index = new HashMap<>();
            for (CachedKey key : keys) {
                if (key.kid() != null) {
                    index.computeIfAbsent(key.kid(), (k) -> new ArrayList<>()).add(key);
                }
            }
            this.byKid = Map.copyOf(index);
            this.fetchedAtNanos = fetchedAtNanos;
        }

        List<Key> find(@Nullable String kid, Predicate<CachedKey> usable) {
            List<CachedKey> candidates = (kid != null) ? this.byKid.getOrDefault(kid, List.of()) : this.keys;
            List<Key> found = null;
            for (CachedKey candidate : candidates) {
                if (usable.test(candidate)) {
                    if (found == null) {
                        found = new ArrayList<>(1);
                    }
                    found.add(candidate.key());
                }
            }
            return (found != null) ? found : List.of();
        }

        Set<String> kids() {
            return this.byKid.keySet();
        }

    }

    /**
     * Buffers a body up to a limit and fails beyond it, so a hostile or broken endpoint
     * cannot fill our heap.
     */
    private static final class LimitedBody implements HttpResponse.BodySubscriber<byte[]> {

        private final CompletableFuture<byte[]> result = new CompletableFuture<>();

        private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();

        private final int limit;

        private Flow.@Nullable Subscription subscription;

        LimitedBody(int limit) {
            this.limit = limit;
        }

        @Override
        public CompletionStage<byte[]> getBody() {
            return this.result;
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            this.subscription = subscription;
            subscription.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(List<ByteBuffer> items) {
            if (this.result.isDone()) {
                return;
            }
            for (ByteBuffer item : items) {
                if (this.buffer.size() + item.remaining() > this.limit) {
                    this.subscription.cancel();
                    this.result.completeExceptionally(new IOException("response larger than " + this.limit + " bytes"));
                    return;
                }
                byte[] chunk = new byte[item.remaining()];
                item.get(chunk);
                this.buffer.write(chunk, 0, chunk.length);
            }
        }

        @Override
        public void onError(Throwable throwable) {
            this.result.completeExceptionally(throwable);
        }

        @Override
        public void onComplete() {
            this.result.complete(this.buffer.toByteArray());
        }

    }

}
