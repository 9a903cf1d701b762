package dev.gatehouse.authserver.key;

import java.security.KeyFactory;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.sql.Timestamp;
import java.time.Clock;
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

import dev.gatehouse.authserver.config.GatehouseProperties;

/**
 * Keeps the token signing keys in the {@code signing_key} table: generates an RSA-2048
 * key on first start, rotates on request ({@code gatehouse.signing-keys.rotate=true}) or
 * after {@code rotation-period}, and serves a snapshot of the current key (with its
 * private part) plus the retired keys still inside their grace period (public only).
 *
 * <p>
 * The snapshot is reloaded every minute, so a rotation done by another instance (or by
 * this one's schedule) reaches the JWKS and the encoder without a restart.
 */
public class SigningKeyService {

    private static final Logger log = LoggerFactory.getLogger(SigningKeyService.class);

    private static final int KEY_SIZE = 2048;

    private final JdbcClient jdbc;

    private final GatehouseProperties.SigningKeys settings;

    private final Clock clock;

    private final PrivateKeyProtection protection;

    private volatile Snapshot snapshot = new Snapshot(null, new JWKSet());

    public SigningKeyService(JdbcClient jdbc, GatehouseProperties.SigningKeys settings, Clock clock) {
        this.jdbc = jdbc;
        this.settings = settings;
        this.clock = clock;
        this.protection = new PrivateKeyProtection(settings.encryptionPassword());
    }

    /**
     * Startup: makes sure a current key exists and rotates when asked to or when it is
     * due.
     */
    public synchronized void initialize() {
        protectStoredKeys();
        StoredKey current = currentKey();
        if (current == null) {
            log.info("No signing key yet: generating an RSA-{} key", KEY_SIZE);
            rotate();
            return;
        }
        if (settings.rotate()) {
            log.info("gatehouse.signing-keys.rotate=true: replacing signing key {} (it stays published for {}). "
                    + "Remove the setting before the next start.", current.kid(), settings.gracePeriod());
            rotate();
            return;
        }
        if (rotationDue(current)) {
            rotate();
            return;
        }
        reload();
    }

    /**
     * Every minute: rotates when the period has elapsed and picks up rotations made
     * elsewhere.
     */
    @Scheduled(fixedDelay = 60_000, initialDelay = 60_000)
    public synchronized void refresh() {
        StoredKey current = currentKey();
        if (current == null || rotationDue(current)) {
            rotate();
        }
        else {
            reload();
        }
    }

    /**
     * Generates a new key, makes it current and retires the previous one (still published
     * for the grace period).
     */
    public synchronized String rotate() {
        Instant now = clock.instant();
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
        Timestamp at = Timestamp.from(now);
        jdbc.sql("UPDATE signing_key SET retired_at = ? WHERE retired_at IS NULL").param(at).update();
        try {
            jdbc.sql("INSERT INTO signing_key (kid, algorithm, public_key, private_key, created_at, activated_at) "
                    + "VALUES (?, ?, ?, ?, ?, ?)")
                .params(key.getKeyID(), JWSAlgorithm.RS256.getName(),
                        Base64.getEncoder().encodeToString(key.toRSAPublicKey().getEncoded()),
                        protection.protect(key.toRSAPrivateKey().getEncoded()), at, at)
                .update();
        }
        catch (JOSEException ex) {
            throw new IllegalStateException("Cannot encode the new signing key", ex);
        }
        log.info("Signing key {} is now current", key.getKeyID());
        reload();
        return key.getKeyID();
    }

    /** The {@code kid} every token is signed with. */
    public String currentKid() {
        String kid = snapshot.currentKid();
        if (kid == null) {
            throw new IllegalStateException("No current signing key: SigningKeyService.initialize() has not run");
        }
        return kid;
    }

    /**
     * The current key (with private part) followed by the retired keys still in their
     * grace period.
     */
    public JWKSet jwkSet() {
        return snapshot.keys();
    }

    private boolean rotationDue(StoredKey current) {
        return settings.rotationPeriod() != null && !settings.rotationPeriod().isZero()
                && !clock.instant().isBefore(current.activatedAt().plus(settings.rotationPeriod()));
    }

    private void reload() {
        Instant publishedSince = clock.instant().minus(settings.gracePeriod());
        List<StoredKey> keys = jdbc
            .sql("SELECT kid, public_key, private_key, activated_at, retired_at FROM signing_key "
                    + "WHERE retired_at IS NULL OR retired_at > ? "
                    + "ORDER BY CASE WHEN retired_at IS NULL THEN 0 ELSE 1 END, activated_at DESC, retired_at DESC")
            .param(Timestamp.from(publishedSince))
            .query((rs, row) -> new StoredKey(rs.getString("kid"), rs.getString("public_key"),
                    rs.getString("private_key"), rs.getTimestamp("activated_at").toInstant(),
                    rs.getTimestamp("retired_at") == null ? null : rs.getTimestamp("retired_at").toInstant()))
            .list();
        List<JWK> jwks = new ArrayList<>();
        String currentKid = null;
        for (StoredKey key : keys) {
            boolean current = key.retiredAt() == null && currentKid == null;
            jwks.add(key.toJwk(current, protection));
            if (current) {
                currentKid = key.kid();
            }
        }
        if (currentKid != null && !jwks.get(0).getKeyID().equals(currentKid)) {
            throw new IllegalStateException("The current signing key must come first");
        }
        this.snapshot = new Snapshot(currentKid, new JWKSet(jwks));
    }

    /**
     * Encrypts keys stored before an encryption password was set, so setting one protects
     * existing keys too; and checks every stored key can be read with the configured
     * password, so a wrong one fails at startup.
     */
    private void protectStoredKeys() {
        jdbc.sql("SELECT kid, private_key FROM signing_key")
            .query((rs, row) -> new String[] { rs.getString(1), rs.getString(2) })
            .list()
            .forEach(row -> {
                byte[] pkcs8 = protection.reveal(row[0], row[1]);
                if (protection.shouldProtect(row[1])) {
                    jdbc.sql("UPDATE signing_key SET private_key = ? WHERE kid = ?")
                        .params(protection.protect(pkcs8), row[0])
                        .update();
                    log.info("Signing key {} is now stored encrypted", row[0]);
                }
            });
    }

    private @Nullable StoredKey currentKey() {
        return jdbc
            .sql("SELECT kid, public_key, private_key, activated_at, retired_at FROM signing_key "
                    + "WHERE retired_at IS NULL ORDER BY activated_at DESC")
            .query((rs, row) -> new StoredKey(rs.getString("kid"), rs.getString("public_key"),
                    rs.getString("private_key"), rs.getTimestamp("activated_at").toInstant(), null))
            .list()
            .stream()
            .findFirst()
            .orElse(null);
    }

    private record Snapshot(@Nullable String currentKid, JWKSet keys) {
    }

    private record StoredKey(String kid, String publicKey, String privateKey, Instant activatedAt,
            @Nullable Instant retiredAt) {

        /**
         * Retired keys are published without their private part: nothing signs with them
         * any more.
         */
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
