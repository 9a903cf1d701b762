package dev.gatehouse.authserver.client;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.security.crypto.password.PasswordEncoder;

/**
 * Client-secret checks for the token endpoint: the store keeps machine-client secrets as
 * slow password hashes (bcrypt), and checking one costs ~85 ms of CPU, about 50 token
 * signatures, on every {@code client_credentials} request. Secrets are high-entropy
 * random strings, not passwords, so a successful check is remembered for a while, keyed
 * by a SHA-256 of the stored hash and the presented secret: a changed secret (new stored
 * hash) or a different presented value never hits the cache. Failed checks are never
 * cached.
 */
public class CachingClientSecretEncoder implements PasswordEncoder {

    private static final int MAX_ENTRIES = 10_000;

    private final PasswordEncoder delegate;

    private final Duration ttl;

    private final Clock clock;

    private final Map<String, Instant> verified = new ConcurrentHashMap<>();

    public CachingClientSecretEncoder(PasswordEncoder delegate, Duration ttl, Clock clock) {
        this.delegate = delegate;
        this.ttl = ttl;
        this.clock = clock;
    }

    @Override
    public String encode(CharSequence rawPassword) {
        return this.delegate.encode(rawPassword);
    }

    @Override
    public boolean matches(CharSequence rawPassword, String encodedPassword) {
        if (rawPassword == null || encodedPassword == null) {
            return false;
        }
        String key = key(rawPassword, encodedPassword);
        Instant now = this.clock.instant();
        Instant expiresAt = this.verified.get(key);
        if (expiresAt != null && expiresAt.isAfter(now)) {
            return true;
        }
        boolean matches = this.delegate.matches(rawPassword, encodedPassword);
        if (matches) {
            if (this.verified.size() >= MAX_ENTRIES) {
                this.verified.clear();
            }
            this.verified.put(key, now.plus(this.ttl));
        }
        return matches;
    }

    /**
     * Whether {@code rawPassword} was verified against {@code encodedPassword} recently,
     * so {@link #matches} will answer without a slow check.
     */
    public boolean remembers(CharSequence rawPassword, String encodedPassword) {
        Instant expiresAt = this.verified.get(key(rawPassword, encodedPassword));
        return expiresAt != null && expiresAt.isAfter(this.clock.instant());
    }

    @Override
    public boolean upgradeEncoding(String encodedPassword) {
        return this.delegate.upgradeEncoding(encodedPassword);
    }

    private static String key(CharSequence raw, String encoded) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(encoded.getBytes(StandardCharsets.UTF_8));
            digest.update((byte) 0);
            digest.update(raw.toString().getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(digest.digest());
        }
        catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException(ex);
        }
    }

}
