package dev.gatehouse.authserver.token;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * One-way form in which codes and tokens are stored. A plain SHA-256 is enough: the
 * values are 256-bit random strings or signed JWTs, not guessable passwords, and the
 * lookup must stay an indexed equality match.
 */
public final class TokenHasher {

    /**
     * Marks a stored value as hashed; never part of a generated token (base64url has no
     * colon).
     */
    public static final String PREFIX = "sha256:";

    private TokenHasher() {
    }

    /**
     * The stored form of a value presented by a client or just generated. Always hashes,
     * whatever the value looks like: a presented {@code sha256:...} string (say, read
     * from a leaked backup) is hashed again and so never matches what is stored.
     */
    public static String hash(String value) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
            return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        }
        catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", ex);
        }
    }

    /**
     * Whether a value held by a stored authorization is already in its stored form. Only
     * for values read back from the store; never apply it to what a client presents.
     */
    static boolean isStoredForm(String value) {
        return value.startsWith(PREFIX);
    }

}
