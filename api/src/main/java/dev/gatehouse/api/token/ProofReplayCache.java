package dev.gatehouse.api.token;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * The {@code jti}s of the DPoP proofs this API has accepted, for as long as those proofs
 * would still pass the {@code iat} check, so that none is accepted twice (RFC 9449
 * section 11.1).
 *
 * <p>
 * Written by hand because Spring Security's own check keeps only the last thousand
 * {@code jti}s in a shared map, so after a thousand other proofs a captured one is
 * accepted again, and a general-purpose map of strings costs about 150 bytes per proof:
 * at a few thousand requests a second over a two-minute window that is more than this
 * API's whole heap. Here each {@code jti} is kept as 64 bits of its SHA-256 in an
 * open-addressing table of {@code long}s (16 bytes per proof at most), in two generations
 * that swap every {@code window}: a {@code jti} is remembered for at least one window,
 * which is as long as a proof can pass the {@code iat} check. Two different {@code jti}s
 * share 64 bits with a chance of about 1 in 10^13 at a million proofs; the only effect
 * would be one refused proof.
 *
 * <p>
 * Nothing survives a restart, so a proof made before this cache existed is refused
 * ({@link #rememberedSince()}): a proof captured and replayed across a restart of the API
 * stays spent. The price is that a client whose clock runs behind the API's has its
 * proofs refused for that long after a start.
 */
public final class ProofReplayCache {

    private final Clock clock;

    private final long windowMillis;

    private final int maxEntries;

    private LongSet current = new LongSet();

    private LongSet previous = new LongSet();

    private long swapAt;

    private final Instant rememberedSince;

    /**
     * @param window how long a proof can pass the {@code iat} check (its largest age plus
     * the clock skew allowed for a proof from the future)
     * @param maxEntries the most proofs remembered at once; beyond it new proofs are
     * refused until older ones are forgotten, so a flood cannot exhaust the heap
     */
    public ProofReplayCache(Clock clock, Duration window, int maxEntries) {
        this.clock = clock;
        this.windowMillis = Math.max(1000, window.toMillis());
        this.maxEntries = maxEntries;
        this.swapAt = clock.millis() + this.windowMillis;
        this.rememberedSince = clock.instant().truncatedTo(ChronoUnit.SECONDS);
    }

    /**
     * Since when this cache has seen every proof: it lives in memory, so a proof made
     * before then (before this API started) may have been accepted by the previous run
     * and must be refused. Whole seconds, as a proof's {@code iat}.
     */
    public Instant rememberedSince() {
        return this.rememberedSince;
    }

    /** What recording a {@code jti} found. */
    public enum Outcome {

        /** First time seen: the proof may be accepted. */
        FIRST_USE,
        /** Seen before: a replay. */
        REPLAY,
        /** Too many proofs within one window to remember another. */
        FULL

    }

    /** Records {@code jti} unless it was recorded before or the cache is full. */
    public Outcome record(String jti) {
        // Hashed before taking the lock, so parallel proof checks wait only for the
        // table.
        return record(hash(jti));
    }

    private synchronized Outcome record(long key) {
        long now = this.clock.millis();
        if (now >= this.swapAt) {
            // Every entry of "previous" is older than one window: its proofs fail the iat
            // check anyway. Two windows idle drop both generations.
            this.previous = (now >= this.swapAt + this.windowMillis) ? new LongSet() : this.current;
            this.current = new LongSet();
            this.swapAt = now + this.windowMillis;
        }
        if (this.current.contains(key) || this.previous.contains(key)) {
            return Outcome.REPLAY;
        }
        if (this.current.size() + this.previous.size() >= this.maxEntries) {
            return Outcome.FULL;
        }
        this.current.add(key);
        return Outcome.FIRST_USE;
    }

    private static long hash(String jti) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(jti.getBytes(StandardCharsets.UTF_8));
            long value = 0;
            for (int i = 0; i < Long.BYTES; i++) {
                value = (value << 8) | (digest[i] & 0xFF);
            }
            return value;
        }
        catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", ex);
        }
    }

    /** An open-addressing set of longs (linear probing, at most half full). */
    private static final class LongSet {

        /**
         * Marks a free slot; a real hash equal to it is stored as {@link #ZERO_STANDIN}.
         */
        private static final long FREE = 0L;

        private static final long ZERO_STANDIN = 1L;

        private long[] slots = new long[1024];

        private int size;

        int size() {
            return this.size;
        }

        boolean contains(long key) {
            long k = (key == FREE) ? ZERO_STANDIN : key;
            int mask = this.slots.length - 1;
            for (int i = index(k, mask);; i = (i + 1) & mask) {
                long slot = this.slots[i];
                if (slot == FREE) {
                    return false;
                }
                if (slot == k) {
                    return true;
                }
            }
        }

        void add(long key) {
            if ((this.size + 1) * 2 > this.slots.length) {
                grow();
            }
            insert(this.slots, (key == FREE) ? ZERO_STANDIN : key);
            this.size++;
        }

        private void grow() {
            long[] bigger = new long[this.slots.length * 2];
            for (long slot : this.slots) {
                if (slot != FREE) {
                    insert(bigger, slot);
                }
            }
            this.slots = bigger;
        }

        private static void insert(long[] slots, long key) {
            int mask = slots.length - 1;
            int i = index(key, mask);
            while (slots[i] != FREE) {
                i = (i + 1) & mask;
            }
            slots[i] = key;
        }

        private static int index(long key, int mask) {
            return (int) (key ^ (key >>> 32)) & mask;
        }

    }

}
