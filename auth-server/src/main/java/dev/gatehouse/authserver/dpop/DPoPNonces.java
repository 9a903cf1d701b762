package dev.gatehouse.authserver.dpop;

import java.nio.ByteBuffer;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Server-provided DPoP nonces (RFC 9449 section 8; auth0-compatibility D-5). Neither
 * Spring Security nor SAS issues or checks them (SAS ignores a proof's {@code nonce}), so
 * this is ours.
 *
 * <p>
 * A nonce names a time slot of {@code gatehouse.dpop.nonce-lifetime / 2} and carries an
 * HMAC of it under a key every instance reads from the database ({@code dpop_nonce_key},
 * created by the first instance that needs it). So any instance accepts a nonce any other
 * one issued, nothing is stored per nonce, and nobody without the key can make one for a
 * future slot: a proof cannot be prepared ahead of time. The current and the previous
 * slot are accepted, so a nonce lives between half and the whole lifetime.
 */
public final class DPoPNonces {

    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    private static final int MAC_BYTES = 16;

    private final JdbcClient jdbc;

    private final Clock clock;

    private final long slotSeconds;

    private volatile byte @Nullable [] key;

    DPoPNonces(JdbcClient jdbc, Clock clock, Duration lifetime) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.slotSeconds = Math.max(5, lifetime.toSeconds() / 2);
    }

    /** The nonce to hand out now. */
    public String current() {
        return nonce(slot());
    }

    /** Whether {@code nonce} was issued by an instance of this deployment, recently. */
    boolean accepts(@Nullable String nonce) {
        if (nonce == null || nonce.isEmpty() || nonce.length() > 64) {
            return false;
        }
        byte[] presented;
        try {
            presented = Base64.getUrlDecoder().decode(nonce);
        }
        catch (IllegalArgumentException ex) {
            return false;
        }
        if (presented.length != Long.BYTES + MAC_BYTES) {
            return false;
        }
        long slot = ByteBuffer.wrap(presented, 0, Long.BYTES).getLong();
        long now = slot();
        if (slot != now && slot != now - 1) {
            return false;
        }
        return MessageDigest.isEqual(presented, raw(slot));
    }

    private long slot() {
        return this.clock.instant().getEpochSecond() / this.slotSeconds;
    }

    private String nonce(long slot) {
        return B64.encodeToString(raw(slot));
    }

    private byte[] raw(long slot) {
        byte[] slotBytes = ByteBuffer.allocate(Long.BYTES).putLong(slot).array();
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key(), "HmacSHA256"));
            byte[] tag = Arrays.copyOf(mac.doFinal(slotBytes), MAC_BYTES);
            return ByteBuffer.allocate(Long.BYTES + MAC_BYTES).put(slotBytes).put(tag).array();
        }
        catch (NoSuchAlgorithmException | InvalidKeyException ex) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", ex);
        }
    }

    private byte[] key() {
        byte[] known = this.key;
        if (known == null) {
            byte[] fresh = new byte[32];
            new SecureRandom().nextBytes(fresh);
            // The first instance's key wins; every other one reads it.
            this.jdbc.sql("INSERT INTO dpop_nonce_key (id, secret) VALUES (1, ?) ON CONFLICT DO NOTHING")
                .param(B64.encodeToString(fresh))
                .update();
            String stored = this.jdbc.sql("SELECT secret FROM dpop_nonce_key WHERE id = 1")
                .query(String.class)
                .single();
            known = Base64.getUrlDecoder().decode(stored);
            this.key = known;
        }
        return known;
    }

}
