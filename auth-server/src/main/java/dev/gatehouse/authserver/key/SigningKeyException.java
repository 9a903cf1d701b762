package dev.gatehouse.authserver.key;

/**
 * A stored signing key that cannot be used as configured; reported at startup by
 * {@link SigningKeyFailureAnalyzer}.
 */
public class SigningKeyException extends RuntimeException {

    private final String action;

    public SigningKeyException(String message) {
        this(message,
                "Start with the encryption password the keys were stored with (see README-store.md, "
                        + "\"Signing keys and rotation\"). If it is lost, delete the rows of the signing_key table: "
                        + "a new key is generated and tokens signed by the old ones stop verifying.");
    }

    public SigningKeyException(String message, String action) {
        super(message);
        this.action = action;
    }

    /** What the operator should do, for the startup report. */
    public String action() {
        return this.action;
    }

}
