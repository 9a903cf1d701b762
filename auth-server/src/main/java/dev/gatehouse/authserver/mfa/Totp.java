package dev.gatehouse.authserver.mfa;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.OptionalLong;

import javax.crypto.spec.SecretKeySpec;

import org.apache.commons.codec.binary.Base32;

import com.eatthepath.otp.TimeBasedOneTimePasswordGenerator;

/**
 * Authenticator-app codes (TOTP, RFC 6238) as Google Authenticator, Microsoft
 * Authenticator, 1Password and the others read them: HMAC-SHA1, 6 digits, 30 s steps, a
 * 160-bit secret handed over as Base32 in an {@code otpauth://} URI. The codes come from
 * java-otp; this class adds the choices: which steps are accepted (the current one and
 * one on either side, for clocks a little off) and that a step is identified so it can be
 * refused the second time.
 */
public class Totp {

    static final Duration STEP = Duration.ofSeconds(30);

    private static final int DIGITS = 6;

    private static final int SECRET_BYTES = 20;

    private static final SecureRandom RANDOM = new SecureRandom();

    private final TimeBasedOneTimePasswordGenerator generator;

    public Totp() {
        this.generator = new TimeBasedOneTimePasswordGenerator(STEP, DIGITS,
                TimeBasedOneTimePasswordGenerator.TOTP_ALGORITHM_HMAC_SHA1);
    }

    /** A new secret, Base32 without padding, as apps read it. */
    public static String newSecret() {
        byte[] secret = new byte[SECRET_BYTES];
        RANDOM.nextBytes(secret);
        return new Base32().encodeToString(secret).replace("=", "");
    }

    /** The URI a QR code carries to an authenticator app. */
    public static String uri(String issuer, String account, String secret) {
        String label = encode(issuer) + ":" + encode(account);
        return "otpauth://totp/" + label + "?secret=" + secret + "&issuer=" + encode(issuer) + "&algorithm=SHA1&digits="
                + DIGITS + "&period=" + STEP.toSeconds();
    }

    /** The code of {@code secret} for the time step that contains {@code time}. */
    public String code(String secret, Instant time) {
        try {
            int value = this.generator.generateOneTimePassword(key(secret), time);
            return String.format("%0" + DIGITS + "d", value);
        }
        catch (InvalidKeyException ex) {
            throw new IllegalStateException("A stored TOTP secret is unusable", ex);
        }
    }

    /** The RFC 6238 time step number of {@code time}. */
    public static long step(Instant time) {
        return Math.floorDiv(time.getEpochSecond(), STEP.toSeconds());
    }

    /**
     * The time step whose code {@code code} is, among the current step and its
     * neighbours; empty when none matches (or the code is not six digits).
     */
    public OptionalLong match(String secret, String code, Instant now) {
        String typed = (code == null) ? "" : code.replaceAll("\\s", "");
        if (!typed.matches("\\d{" + DIGITS + "}")) {
            return OptionalLong.empty();
        }
        long current = step(now);
        for (long step = current - 1; step <= current + 1; step++) {
            if (java.security.MessageDigest.isEqual(
                    code(secret, Instant.ofEpochSecond(step * STEP.toSeconds())).getBytes(StandardCharsets.US_ASCII),
                    typed.getBytes(StandardCharsets.US_ASCII))) {
                return OptionalLong.of(step);
            }
        }
        return OptionalLong.empty();
    }

    private static SecretKeySpec key(String secret) {
        return new SecretKeySpec(new Base32().decode(secret), "HmacSHA1");
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

}
