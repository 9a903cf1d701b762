package dev.gatehouse.authserver.mfa;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import org.apache.commons.codec.binary.Base32;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Authenticator-app codes against RFC 6238's own test vectors (SHA-1, Appendix B). */
class TotpTests {

    /** RFC 6238's SHA-1 seed, "12345678901234567890", in Base32 as apps read it. */
    static final String SEED = new Base32().encodeToString("12345678901234567890".getBytes(StandardCharsets.US_ASCII));

    @ParameterizedTest
    @CsvSource({ "59, 94287082", "1111111109, 07081804", "1111111111, 14050471", "1234567890, 89005924",
            "2000000000, 69279037", "20000000000, 65353130" })
    void codesMatchTheRfcVectorsInTheirLastSixDigits(long seconds, String eightDigits) {
        assertThat(new Totp().code(SEED, Instant.ofEpochSecond(seconds))).isEqualTo(eightDigits.substring(2));
    }

    @Test
    void aCodeMatchesItsStepAndTheNeighbouringOnesOnly() {
        Totp totp = new Totp();
        Instant now = Instant.ofEpochSecond(1111111111);
        long step = Totp.step(now);
        assertThat(totp.match(SEED, totp.code(SEED, now), now)).hasValue(step);
        assertThat(totp.match(SEED, totp.code(SEED, now.minusSeconds(30)), now)).hasValue(step - 1);
        assertThat(totp.match(SEED, totp.code(SEED, now.plusSeconds(30)), now)).hasValue(step + 1);
        assertThat(totp.match(SEED, totp.code(SEED, now.minusSeconds(90)), now)).isEmpty();
        assertThat(totp.match(SEED, "12345", now)).isEmpty();
        assertThat(totp.match(SEED, "abcdef", now)).isEmpty();
        assertThat(totp.match(SEED, null, now)).isEmpty();
    }

    @Test
    void uriIsWhatAuthenticatorAppsRead() {
        assertThat(Totp.uri("Gatehouse", "demo@example.com", "ABC"))
            .isEqualTo("otpauth://totp/Gatehouse:demo%40example.com?secret=ABC&issuer=Gatehouse&algorithm=SHA1"
                    + "&digits=6&period=30");
        assertThat(Totp.newSecret()).matches("[A-Z2-7]{32}");
    }

}
