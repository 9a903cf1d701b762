package dev.gatehouse.authserver.key;

import java.security.KeyFactory;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.transaction.support.TransactionTemplate;

import dev.gatehouse.authserver.cluster.DatabaseLock;
import dev.gatehouse.authserver.config.GatehouseProperties;

/**
 * The token signing keys, kept in the {@code signing_key} table and agreed on by every
 * instance sharing the database.
 *
 * <ul>
 * <li>Creating the first key and rotating are decided under a database lock
 * ({@link DatabaseLock#SIGNING_KEYS}), so instances starting together make one key, and a
 * rotation happens once.</li>
 * <li>A new key is <em>pre-published</em>: stored with an activation time
 * {@code pre-publication} in the future, it appears in every instance's JWKS (each
 * re-reads the table every {@code reload-interval}, which is shorter) before any instance
 * signs with it. The previous key retires at that same instant and stays published for
 * the grace period.</li>
 * <li>Each instance signs with the newest key whose activation time has passed, decided
 * at signing time, so all instances switch together without a reload.</li>
 * <li>A token carrying a {@code kid} this instance does not hold (signed after another
 * instance's rotation) makes it re-read the keys at once; see
 * {@link #reloadForUnknownKid}.</li>
 * </ul>
 */
public class SigningKeyService {

    private static final Logger log = LoggerFactory.getLogger(SigningKeyService.class);

    private static final int KEY_SIZE = 2048;

    /**
     * Least time between two re-reads caused by unknown {@code kid}s (garbage must not
     * hammer the database).
     */
    private static final Duration UNKNOWN_KID_RELOAD_SPACING = Duration.ofSeconds(1);

    private final JdbcClient jdbc;

    private final TransactionTemplate transactions;

    private final GatehouseProperties.SigningKeys settings;

    private final Clock clock;

    private final PrivateKeyProtection protection;

    private volatile Snapshot snapshot = new Snapshot(List.of(), new JWKSet(), Instant.EPOCH);

    public SigningKeyService(JdbcClient jdbc, TransactionTemplate transactions,
            GatehouseProperties.SigningKeys settings, Clock clock) {
        if (settings.prePublication().compareTo(settings.reloadInterval()) <= 0) {
            throw new SigningKeyException("gatehouse.signing-keys.pre-publication (" + settings.prePublication()
                    + ") must be longer than gatehouse.signing-keys.reload-interval (" + settings.reloadInterval()
                    + "): otherwise an instance could sign with a key another instance does not publish yet.",
                    "Raise gatehouse.signing-keys.pre-publication or lower gatehouse.signing-keys.reload-interval.");
        }
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.settings = settings;
        this.clock = clock;
        this.protection = new PrivateKeyProtection(settings.encryptionPassword());
    }

    /**
     * Startup: makes sure a key exists and rotates when asked to or when it is due, once
     * for all instances.
     */
    public void initialize() {
        this.transactions.executeWithoutResult((status) -> {
            DatabaseLock.hold(this.jdbc, DatabaseLock.SIGNING_KEYS);
            protectStoredKeys();
            Instant now = this.clock.instant();
            List<StoredKey> keys = storedKeys();
            StoredKey current = current(keys, now);
            if (current == null && pending(keys, now) == null) {
                log.info("No signing key yet: generating an RSA-{} key", KEY_SIZE);
                insertKey(now);
            }
            else if (this.settings.rotate()) {
                log.info(
                        "gatehouse.signing-keys.rotate=true: a new signing key is published now and signs from {} on "
                                + "(the current one stays published for {}). Remove the setting before the next start.",
                        now.plus(this.settings.prePublication()), this.settings.gracePeriod());
                rotateLocked(keys, now);
            }
            else if (current != null && rotationDue(current, now)) {
                rotateLocked(keys, now);
            }
        });
        reload();
    }

    /**
     * Every {@code reload-interval}: rotates when the period has elapsed (once, under the
     * lock) and picks up what other instances decided.
     */
    @Scheduled(fixedDelayString = "${gatehouse.signing-keys.reload-interval:PT30S}",
            initialDelayString = "${gatehouse.signing-keys.reload-interval:PT30S}")
    public void refresh() {
        try {
            refreshNow();
        }
        catch (RuntimeException ex) {
            // The database is away: keep signing and publishing the keys already loaded.
            log.warn("Signing keys not re-read, the loaded ones stay in use: {}", ex.getMessage());
        }
    }

    private void refreshNow() {
        Instant now = this.clock.instant();
        Snapshot known = this.snapshot;
        LoadedKey current = known.current(now);
        boolean mayBeDue = this.settings.rotationPeriod() != null && current != null
                && !now.isBefore(current.activatedAt().plus(this.settings.rotationPeriod()))
                && known.newestFirst().stream().noneMatch((k) -> k.activatedAt().isAfter(now));
        if (mayBeDue) {
            this.transactions.executeWithoutResult((status) -> {
                DatabaseLock.hold(this.jdbc, DatabaseLock.SIGNING_KEYS);
                List<StoredKey> keys = storedKeys();
                StoredKey stored = current(keys, now);
                if (stored != null && rotationDue(stored, now)) {
                    rotateLocked(keys, now);
                }
            });
        }
        reload();
    }

    /**
     * Publishes a new key that signs after the pre-publication period; returns its
     * {@code kid}. A rotation already pending is not doubled.
     */
    public String rotate() {
        String kid = this.transactions.execute((status) -> {
            DatabaseLock.hold(this.jdbc, DatabaseLock.SIGNING_KEYS);
            return rotateLocked(storedKeys(), this.clock.instant());
        });
        reload();
        return kid;
    }

    /** The {@code kid} tokens are signed with now. */
    public String currentKid() {
        LoadedKey current = this.snapshot.current(this.clock.instant());
        if (current == null) {
            throw new IllegalStateException("No current signing key: SigningKeyService.initialize() has not run");
        }
        return current.jwk().getKeyID();
    }

    /**
     * Every published key: the current and any pre-published one (with their private
     * parts, for signing) and the retired keys still in their grace period (public only).
     */
    public JWKSet jwkSet() {
        return this.snapshot.keys();
    }

    /**
     * Whether the loaded keys hold every key any instance may be signing with: read less
     * than a pre-publication period ago, or read again now. A set older than that (the
     * periodic reloads failed) may lack a key another instance published since and now
     * signs with; such an instance should not be serving its JWKS.
     */
    public boolean holdsEveryKeyInUse() {
        if (this.clock.instant().isBefore(this.snapshot.loadedAt().plus(this.settings.prePublication()))) {
            return true;
        }
        try {
            reload();
            return true;
        }
        catch (RuntimeException ex) {
            return false;
        }
    }

    /**
     * Re-reads the keys when {@code kid} is not among them (at most once a second), so a
     * token signed with a key another instance just started using is recognised at once;
     * returns whether the key is known now.
     */
    public boolean reloadForUnknownKid(@Nullable String kid) {
        if (kid == null) {
            return false;
        }
        Snapshot known = this.snapshot;
        if (known.keys().getKeyByKeyId(kid) != null) {
            return true;
        }
        if (this.clock.instant().isBefore(known.loadedAt().plus(UNKNOWN_KID_RELOAD_SPACING))) {
            return false;
        }
        reload();
        return this.snapshot.keys().getKeyByKeyId(kid) != null;
    }

    private boolean rotationDue(StoredKey current, Instant now) {
        return this.settings.rotationPeriod() != null && !this.settings.rotationPeriod().isZero()
                && !now.isBefore(current.activatedAt().plus(this.settings.rotationPeriod()));
    }

    private String rotateLocked(List<StoredKey> keys, Instant now) {
        StoredKey pending = pending(keys, now);
        if (pending != null) {
            return pending.kid();
        }
        return insertKey(now.plus(this.settings.prePublication()));
    }

    /**
     * Stores a new key active from {@code activation}; the key before it retires then.
     */
    private String insertKey(Instant activation) {
        RSAKey key;
        try {
            key = new RSAKeyGenerator(KEY_SIZE).keyUse(KeyUse.SIGNATURE)
                .algorithm(JWSAlgorithm.RS256)
                .keyIDFromThumbprint(true)
                .generate();
        }
        catch (JOSEException ex) {
            throw new IllegalStateException("Cannot generate an RSA signing key", ex);
        }
        Timestamp at = Timestamp.from(activation);
        this.jdbc.sql("UPDATE signing_key SET retired_at = ? WHERE retired_at IS NULL").param(at).update();
        try {
            this.jdbc
                .sql("INSERT INTO signing_key (kid, algorithm, public_key, private_key, created_at, activated_at) "
                        + "VALUES (?, ?, ?, ?, ?, ?)")
                .params(key.getKeyID(), JWSAlgorithm.RS256.getName(),
                        Base64.getEncoder().encodeToString(key.toRSAPublicKey().getEncoded()),
                        this.protection.protect(key.toRSAPrivateKey().getEncoded()),
                        Timestamp.from(this.clock.instant()), at)
                .update();
        }
        catch (JOSEException ex) {
            throw new IllegalStateException("Cannot encode the new signing key", ex);
        }
        log.info("Signing key {} is published and signs from {}", key.getKeyID(), activation);
        return key.getKeyID();
    }

    private void reload() {
        Instant now = this.clock.instant();
        Instant publishedSince = now.minus(this.settings.gracePeriod());
        List<LoadedKey> loaded = new ArrayList<>();
        List<JWK> jwks = new ArrayList<>();
        for (StoredKey key : storedKeys()) {
            if (key.retiredAt() != null && !key.retiredAt().isAfter(publishedSince)) {
                continue;
            }
            // Retired keys are published without their private part: nothing signs with
            // them any more.
            boolean mayStillSign = key.retiredAt() == null || key.retiredAt().isAfter(now);
            JWK jwk = key.toJwk(mayStillSign, this.protection);
            loaded.add(new LoadedKey(jwk, key.activatedAt()));
            jwks.add(jwk);
        }
        this.snapshot = new Snapshot(List.copyOf(loaded), new JWKSet(jwks), now);
    }

    /**
     * Encrypts keys stored before an encryption password was set, so setting one protects
     * existing keys too; and checks every stored key can be read with the configured
     * password, so a wrong one fails at startup.
     */
    private void protectStoredKeys() {
        this.jdbc.sql("SELECT kid, private_key FROM signing_key")
            .query((rs, row) -> new String[] { rs.getString(1), rs.getString(2) })
            .list()
            .forEach(row -> {
                byte[] pkcs8 = this.protection.reveal(row[0], row[1]);
                if (this.protection.shouldProtect(row[1])) {
                    this.jdbc.sql("UPDATE signing_key SET private_key = ? WHERE kid = ?")
                        .params(this.protection.protect(pkcs8), row[0])
                        .update();
                    log.info("Signing key {} is now stored encrypted", row[0]);
                }
            });
    }

    /** Every stored key, the most recently activated first. */
    private List<StoredKey> storedKeys() {
        return this.jdbc
            .sql("SELECT kid, public_key, private_key, activated_at, retired_at FROM signing_key "
                    + "ORDER BY activated_at DESC")
            .query((rs, row) -> new StoredKey(rs.getString("kid"), rs.getString("public_key"),
                    rs.getString("private_key"), rs.getTimestamp("activated_at").toInstant(),
                    (rs.getTimestamp("retired_at") == null) ? null : rs.getTimestamp("retired_at").toInstant()))
            .list();
    }

    private static @Nullable StoredKey current(List<StoredKey> newestFirst, Instant now) {
        return newestFirst.stream().filter((k) -> !k.activatedAt().isAfter(now)).findFirst().orElse(null);
    }

    private static @Nullable StoredKey pending(List<StoredKey> newestFirst, Instant now) {
        return newestFirst.stream().filter((k) -> k.activatedAt().isAfter(now)).findFirst().orElse(null);
    }

    private record Snapshot(List<LoadedKey> newestFirst, JWKSet keys, Instant loadedAt) {

        /** The newest key whose activation has passed. */
        @Nullable LoadedKey current(Instant now) {
            return this.newestFirst.stream().filter((k) -> !k.activatedAt().isAfter(now)).findFirst().orElse(null);
        }

    }

    private record LoadedKey(JWK jwk, Instant activatedAt) {
    }

    private record StoredKey(String kid, String publicKey, String privateKey, Instant activatedAt,
            @Nullable Instant retiredAt) {

        JWK toJwk(boolean withPrivate, PrivateKeyProtection protection) {
            try {
                KeyFactory rsa = KeyFactory.getInstance("RSA");
                RSAPublicKey pub = (RSAPublicKey) rsa
                    .generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(publicKey)));
                RSAKey.Builder builder = new RSAKey.Builder(pub).keyID(kid)
                    .keyUse(KeyUse.SIGNATURE)
                    .algorithm(JWSAlgorithm.RS256);
                if (withPrivate) {
                    builder.privateKey((RSAPrivateKey) rsa
                        .generatePrivate(new PKCS8EncodedKeySpec(protection.reveal(kid, privateKey))));
                }
                return builder.build();
            }
            catch (java.security.GeneralSecurityException | IllegalArgumentException ex) {
                throw new IllegalStateException("Signing key " + kid + " in the database cannot be read", ex);
            }
        }
    }

}
