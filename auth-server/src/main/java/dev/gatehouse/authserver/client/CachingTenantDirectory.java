package dev.gatehouse.authserver.client;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import dev.gatehouse.authserver.tenant.ClientGrant;
import dev.gatehouse.authserver.tenant.ResourceServer;
import dev.gatehouse.authserver.tenant.TenantClient;
import dev.gatehouse.authserver.tenant.TenantDirectory;

/**
 * The tenant as the protocol code reads it on every request: a snapshot of the store's
 * directory, reloaded at most every few seconds. The tenant only changes when the tenant
 * file is applied at startup, and the token path must not run tenant SQL per request (it
 * would cost throughput and, with queries that need a second pooled connection, could
 * exhaust the pool under concurrency). One thread reloads the snapshot; the others keep
 * using the old one.
 */
public class CachingTenantDirectory implements TenantDirectory {

    private final TenantDirectory delegate;

    private final Duration ttl;

    private final Clock clock;

    private volatile Snapshot snapshot;

    private final Map<String, Timed<Optional<ClientGrant>>> grants = new ConcurrentHashMap<>();

    private final Map<String, Timed<Set<String>>> permissions = new ConcurrentHashMap<>();

    public CachingTenantDirectory(TenantDirectory delegate, Duration ttl, Clock clock) {
        this.delegate = delegate;
        this.ttl = ttl;
        this.clock = clock;
    }

    @Override
    public Optional<TenantClient> findClient(String clientId) {
        return Optional.ofNullable(snapshot().clients.get(clientId));
    }

    @Override
    public List<TenantClient> clients() {
        return List.copyOf(snapshot().clients.values());
    }

    @Override
    public Optional<ResourceServer> findResourceServer(String audience) {
        return Optional.ofNullable(snapshot().apis.get(audience));
    }

    @Override
    public List<ResourceServer> resourceServers() {
        return List.copyOf(snapshot().apis.values());
    }

    @Override
    public Optional<ClientGrant> findClientGrant(String clientId, String audience) {
        return cached(this.grants, clientId + "\n" + audience, () -> this.delegate.findClientGrant(clientId, audience));
    }

    @Override
    public Set<String> permissionsOf(String userId, String audience) {
        return cached(this.permissions, userId + "\n" + audience,
                () -> Set.copyOf(this.delegate.permissionsOf(userId, audience)));
    }

    private <T> T cached(Map<String, Timed<T>> cache, String key, java.util.function.Supplier<T> load) {
        Instant now = this.clock.instant();
        Timed<T> entry = cache.get(key);
        if (entry != null && entry.expiresAt.isAfter(now)) {
            return entry.value;
        }
        if (cache.size() > 10_000) {
            cache.clear(); // bounded: user x API entries of a busy server
        }
        T value = load.get();
        cache.put(key, new Timed<>(value, now.plus(this.ttl)));
        return value;
    }

    private Snapshot snapshot() {
        Snapshot current = this.snapshot;
        Instant now = this.clock.instant();
        if (current != null && current.expiresAt.isAfter(now)) {
            return current;
        }
        synchronized (this) {
            current = this.snapshot;
            if (current != null && current.expiresAt.isAfter(now)) {
                return current;
            }
            Map<String, TenantClient> clients = new LinkedHashMap<>();
            this.delegate.clients().forEach(c -> clients.put(c.clientId(), c));
            Map<String, ResourceServer> apis = new LinkedHashMap<>();
            this.delegate.resourceServers().forEach(a -> apis.put(a.identifier(), a));
            current = new Snapshot(Map.copyOf(clients), apis, now.plus(this.ttl));
            this.snapshot = current;
            return current;
        }
    }

    private record Snapshot(Map<String, TenantClient> clients, Map<String, ResourceServer> apis, Instant expiresAt) {
    }

    private record Timed<T>(T value, Instant expiresAt) {
    }

}
