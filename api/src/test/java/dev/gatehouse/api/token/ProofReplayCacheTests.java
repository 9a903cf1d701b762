package dev.gatehouse.api.token;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ProofReplayCacheTests {

    private final ManualClock clock = new ManualClock(1_000_000);

    @Test
    void aJtiIsAReplayForAtLeastOneWindowAndForgottenAfterTwo() {
        ProofReplayCache cache = new ProofReplayCache(this.clock, Duration.ofSeconds(120), 1000);
        assertThat(cache.record("a")).isEqualTo(ProofReplayCache.Outcome.FIRST_USE);
        assertThat(cache.record("a")).isEqualTo(ProofReplayCache.Outcome.REPLAY);
        this.clock.advance(Duration.ofMillis(119_000));
        assertThat(cache.record("b")).isEqualTo(ProofReplayCache.Outcome.FIRST_USE);
        this.clock.advance(Duration.ofMillis(2_000)); // first swap: "a" and "b" move to
                                                      // the older
        // generation
        assertThat(cache.record("a")).isEqualTo(ProofReplayCache.Outcome.REPLAY);
        this.clock.advance(Duration.ofMillis(119_000));
        assertThat(cache.record("b")).as("b is younger than one window").isEqualTo(ProofReplayCache.Outcome.REPLAY);
        this.clock.advance(Duration.ofMillis(2_000)); // second swap: the generation of
                                                      // "a" and "b" is
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
        this.clock.advance(Duration.ofMillis(241_000));
        assertThat(cache.record("one more")).isEqualTo(ProofReplayCache.Outcome.FIRST_USE);
    }

}
