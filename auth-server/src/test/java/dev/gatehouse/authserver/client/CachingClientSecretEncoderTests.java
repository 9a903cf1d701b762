package dev.gatehouse.authserver.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;

class CachingClientSecretEncoderTests {

    private final PasswordEncoder bcrypt = PasswordEncoderFactories.createDelegatingPasswordEncoder();

    private final AtomicInteger slowChecks = new AtomicInteger();

    private final PasswordEncoder counting = new PasswordEncoder() {
        @Override
        public String encode(CharSequence raw) {
            return CachingClientSecretEncoderTests.this.bcrypt.encode(raw);
        }

        @Override
        public boolean matches(CharSequence raw, String encoded) {
            CachingClientSecretEncoderTests.this.slowChecks.incrementAndGet();
            return CachingClientSecretEncoderTests.this.bcrypt.matches(raw, encoded);
        }
    };

    @Test
    void correctSecretIsCheckedSlowlyOnceThenFromMemoryUntilTheTtlEnds() {
        String stored = this.bcrypt.encode("s3cret");
        Instant now = Instant.parse("2026-01-01T00:00:00Z");
        CachingClientSecretEncoder encoder = new CachingClientSecretEncoder(this.counting, Duration.ofMinutes(10),
                Clock.fixed(now, ZoneOffset.UTC));
        assertThat(encoder.matches("s3cret", stored)).isTrue();
        assertThat(encoder.matches("s3cret", stored)).isTrue();
        assertThat(this.slowChecks).hasValue(1);

        CachingClientSecretEncoder later = new CachingClientSecretEncoder(this.counting, Duration.ofMinutes(10),
                Clock.fixed(now.plus(Duration.ofMinutes(11)), ZoneOffset.UTC));
        assertThat(later.matches("s3cret", stored)).isTrue();
        assertThat(this.slowChecks).hasValue(2);
    }

    @Test
    void wrongSecretsAndChangedStoredHashesAreNeverAnsweredFromMemory() {
        String stored = this.bcrypt.encode("s3cret");
        CachingClientSecretEncoder encoder = new CachingClientSecretEncoder(this.counting, Duration.ofMinutes(10),
                Clock.systemUTC());
        assertThat(encoder.matches("s3cret", stored)).isTrue();
        assertThat(encoder.matches("wrong", stored)).isFalse();
        assertThat(encoder.matches("wrong", stored)).isFalse();
        // the secret was rotated: the old secret against the new hash is a fresh
        // (failing) check
        String rotated = this.bcrypt.encode("n3w-secret");
        assertThat(encoder.matches("s3cret", rotated)).isFalse();
        assertThat(this.slowChecks).hasValue(4);
    }

}
