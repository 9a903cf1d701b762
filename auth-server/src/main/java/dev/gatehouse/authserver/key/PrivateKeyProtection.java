package dev.gatehouse.authserver.key;

import java.util.Base64;

import org.jspecify.annotations.Nullable;
import org.springframework.security.crypto.encrypt.Encryptors;
import org.springframework.security.crypto.keygen.KeyGenerators;

/**
 * How a private key is written to {@code signing_key.private_key}: base64 PKCS#8, or,
 * when {@code gatehouse.signing-keys.encryption-password} is set,
 * {@code enc:v1:<salt>:<base64>} encrypted with Spring Security's
 * {@code Encryptors.stronger} (AES-256-GCM, key derived from the password and a per-key
 * salt).
 */
final class PrivateKeyProtection {

    private static final String PREFIX = "enc:v1:";

    private final @Nullable String password;

    PrivateKeyProtection(@Nullable String password) {
        this.password = password == null || password.isEmpty() ? null : password;
    }

    String protect(byte[] pkcs8) {
        if (password == null) {
            return Base64.getEncoder().encodeToString(pkcs8);
        }
        String salt = KeyGenerators.string().generateKey();
        return PREFIX + salt + ":"
                + Base64.getEncoder().encodeToString(Encryptors.stronger(password, salt).encrypt(pkcs8));
    }

    byte[] reveal(String kid, String stored) {
        if (!stored.startsWith(PREFIX)) {
            return Base64.getDecoder().decode(stored);
        }
        if (password == null) {
            throw new SigningKeyException("Signing key " + kid + " is stored encrypted, but "
                    + "gatehouse.signing-keys.encryption-password (env GATEHOUSE_SIGNING_KEYS_ENCRYPTION_PASSWORD) "
                    + "is not set.");
        }
        String[] parts = stored.substring(PREFIX.length()).split(":", 2);
        try {
            return Encryptors.stronger(password, parts[0]).decrypt(Base64.getDecoder().decode(parts[1]));
        }
        catch (RuntimeException ex) {
            throw new SigningKeyException("Signing key " + kid + " cannot be decrypted: "
                    + "gatehouse.signing-keys.encryption-password is not the password it was stored with.");
        }
    }

    /** True when a password is set and {@code stored} was written without it. */
    boolean shouldProtect(String stored) {
        return password != null && !stored.startsWith(PREFIX);
    }

}
