package dev.gatehouse.authserver.key;

/**
 * A stored signing key that cannot be used as configured; reported at startup by
 * {@link SigningKeyFailureAnalyzer}.
 */
public class SigningKeyException extends RuntimeException {

    public SigningKeyException(String message) {
        super(message);
    }

}
