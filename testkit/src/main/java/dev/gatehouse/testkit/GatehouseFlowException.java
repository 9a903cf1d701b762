package dev.gatehouse.testkit;

/**
 * A flow that did not end with tokens: the OAuth error the server answered (the token
 * endpoint's {@code error}, or the one it sent to the client's callback) or the kit's own
 * reason ({@code login_failed} with the login page's message). Negative tests assert on
 * {@link #error()}.
 */
public class GatehouseFlowException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int status;

    private final String error;

    private final String errorDescription;

    public GatehouseFlowException(int status, String error, String errorDescription) {
        super(error + ((errorDescription == null || errorDescription.isEmpty()) ? "" : ": " + errorDescription)
                + ((status > 0) ? " (HTTP " + status + ")" : ""));
        this.status = status;
        this.error = error;
        this.errorDescription = errorDescription;
    }

    /** The token endpoint's HTTP status; {@code 0} when the flow stopped before it. */
    public int status() {
        return this.status;
    }

    /** The OAuth error code, e.g. {@code invalid_grant}, {@code access_denied}. */
    public String error() {
        return this.error;
    }

    /** {@code error_description}, if any. */
    public String errorDescription() {
        return this.errorDescription;
    }

}
