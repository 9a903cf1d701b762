package dev.gatehouse.api.token;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ProofReplayCacheTests {

    private final AtomicLong millis = new AtomicLong(1_000_000);

    private final Clock clock = new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(ProofReplayCacheTests.this.millis.get());
        }
    };

    @Test
    void aJtiIsAReplayForAtLeastOneWindowAndForgottenAfterTwo() {
        ProofReplayCache cache = new ProofReplayCache(this.clock, Duration.ofSeconds(120), 1000);
        assertThat(cache.record("a")).isEqualTo(ProofReplayCache.Outcome.FIRST_USE);
        assertThat(cache.record("a")).isEqualTo(ProofReplayCache.Outcome.REPLAY);
        this.millis.addAndGet(119_000);
        assertThat(cache.record("b")).isEqualTo(ProofReplayCache.Outcome.FIRST_USE);
        this.millis.addAndGet(2_000); // first swap: "a" and "b" move to the older
                                      // generation
        assertThat(cache.record("a")).isEqualTo(ProofReplayCache.Outcome.REPLAY);
        this.millis.addAndGet(119_000);
        assertThat(cache.record("b")).as("b is younger than one window").isEqualTo(ProofReplayCache.Outcome.REPLAY);
        this.millis.addAndGet(2_000); // second swap: the generation of "a" and "b" is
                                      // dropped
        assertThat(cache.record("a")).isEqualTo(ProofReplayCache.Outcome.FIRST_USE);
    }

    @Test
    void manyJtisAreAllRememberedAndAFullCacheRefusesNewOnes() {
        ProofReplayCache cache = new ProofReplayCache(this.clock, Duration.ofSeconds(120), 50_000);
        for (int i = 0; i < 50_000; i++) {
            assertThat(cache.record("jti-" + i)).isEqualTo(ProofReplayCache.Outcome.FIRST_USE);
        }
        for (int i = 0; i < 50_000; i += 7) {
            assertThat(cache.record("jti-" + i)).isEqualTo(ProofReplayCache.Outcome.REPLAY);
        }
        assertThat(cache.record("one more")).isEqualTo(ProofReplayCache.Outcome.FULL);
        this.millis.addAndGet(241_000);
        assertThat(cache.record("one more")).isEqualTo(ProofReplayCache.Outcome.FIRST_USE);
    }

}
