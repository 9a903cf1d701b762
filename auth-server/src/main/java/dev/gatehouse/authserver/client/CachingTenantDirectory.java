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

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;

import dev.gatehouse.authserver.tenant.ClientGrant;
import dev.gatehouse.authserver.tenant.ResourceServer;
import dev.gatehouse.authserver.tenant.TenantClient;
import dev.gatehouse.authserver.tenant.TenantDirectory;

/**
 * The tenant as the protocol code reads it on every request: a snapshot of the stored
 * applications, APIs and client grants, replaced in the background every {@link #REFRESH}
 * (the tenant only changes when an instance applies the tenant file at startup, so
 * another instance's change is seen within that bound). Request threads never load it:
 * they read the last snapshot, so no request waits for the database while holding a lock,
 * and no look-up made while a pooled connection is held (say, from the authorization row
 * mapper) needs a second one. When the database is away the last snapshot is kept.
 *
 * <p>
 * A user's permissions are per user and loaded when asked, each remembered for
 * {@link #REFRESH}; they are asked while issuing a token, inside the grant's transaction,
 * so the look-up runs on that transaction's connection.
 */
public class CachingTenantDirectory implements TenantDirectory {

    private static final long REFRESH_MILLIS = 10_000;

    /**
     * How often the snapshot is replaced, and how long a user's permissions are
     * remembered.
     */
    public static final Duration REFRESH = Duration.ofMillis(REFRESH_MILLIS);

    private static final Logger log = LoggerFactory.getLogger(CachingTenantDirectory.class);

    private static final int MAX_PERMISSION_ENTRIES = 10_000;

    private final TenantDirectory delegate;

    private final Clock clock;

    private volatile Snapshot snapshot;

    private final Map<String, Timed<Set<String>>> permissions = new ConcurrentHashMap<>();

    /**
     * Loads the first snapshot now: the server starts only once it can read the tenant.
     */
    public CachingTenantDirectory(TenantDirectory delegate, Clock clock) {
        this.delegate = delegate;
        this.clock = clock;
        this.snapshot = load();
    }

    @Override
    public Optional<TenantClient> findClient(String clientId) {
        return Optional.ofNullable(this.snapshot.clients().get(clientId));
    }

    @Override
    public List<TenantClient> clients() {
        return List.copyOf(this.snapshot.clients().values());
    }

    @Override
    public Optional<ResourceServer> findResourceServer(String audience) {
        return Optional.ofNullable(this.snapshot.apis().get(audience));
    }

    @Override
    public List<ResourceServer> resourceServers() {
        return List.copyOf(this.snapshot.apis().values());
    }

    @Override
    public Optional<ClientGrant> findClientGrant(String clientId, String audience) {
        return Optional.ofNullable(this.snapshot.grants().get(clientId + "\n" + audience));
    }

    @Override
    public List<ClientGrant> clientGrants() {
        return List.copyOf(this.snapshot.grants().values());
    }

    @Override
    public Set<String> permissionsOf(String userId, String audience) {
        String key = userId + "\n" + audience;
        Instant now = this.clock.instant();
        Timed<Set<String>> entry = this.permissions.get(key);
        if (entry != null && entry.expiresAt().isAfter(now)) {
            return entry.value();
        }
        if (this.permissions.size() > MAX_PERMISSION_ENTRIES) {
            this.permissions.clear(); // bounded: user x API entries of a busy server
        }
        Set<String> value = Set.copyOf(this.delegate.permissionsOf(userId, audience));
        this.permissions.put(key, new Timed<>(value, now.plus(REFRESH)));
        return value;
    }

    /** Replaces the snapshot; on a database error the previous one stays in use. */
    @Scheduled(fixedDelay = REFRESH_MILLIS, initialDelay = REFRESH_MILLIS)
    public void refresh() {
        try {
            this.snapshot = load();
        }
        catch (RuntimeException ex) {
            log.warn("Tenant snapshot not refreshed, the previous one stays in use: {}", ex.getMessage());
        }
    }

    private Snapshot load() {
        Map<String, TenantClient> clients = new LinkedHashMap<>();
        this.delegate.clients().forEach((c) -> clients.put(c.clientId(), c));
        Map<String, ResourceServer> apis = new LinkedHashMap<>();
        this.delegate.resourceServers().forEach((a) -> apis.put(a.identifier(), a));
        Map<String, ClientGrant> grants = new LinkedHashMap<>();
        this.delegate.clientGrants().forEach((g) -> grants.put(g.clientId() + "\n" + g.audience(), g));
        return new Snapshot(clients, apis, grants);
    }

    private record Snapshot(Map<String, TenantClient> clients, Map<String, ResourceServer> apis,
            Map<String, ClientGrant> grants) {
    }

    private record Timed<T>(T value, Instant expiresAt) {
    }

}
