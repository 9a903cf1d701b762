package dev.gatehouse.authserver.tenant;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * The user database ({@code databases[]} in {@code tenant.yaml}, Auth0's database
 * connection): how its users may sign in. Gatehouse has one user store, so a tenant has
 * at most one.
 *
 * @param name the connection name, Auth0's {@code realm} (by default
 * {@code Username-Password-Authentication})
 * @param enabledClients client ids allowed to use the connection; {@code null} when the
 * file does not say (every client)
 * @param passkeyEnabled {@code options.authentication_methods.passkey.enabled}: the login
 * page offers passkeys and the SDK's passkey API answers
 * @param challengeUi {@code options.passkey_options.challenge_ui}: {@code both},
 * {@code autofill} (conditional UI only) or {@code button}
 * @param progressiveEnrollment
 * {@code options.passkey_options.progressive_enrollment_enabled}: after a password login
 * the user is offered to add a passkey
 * @param localEnrollment {@code options.passkey_options.local_enrollment_enabled}: users
 * may add passkeys from their passkey page
 * @param disableSignup {@code options.disable_signup}: no new user through the SDK's
 * {@code passkey.signup()}
 */
public record DatabaseConnection(String name, @Nullable List<String> enabledClients, boolean passkeyEnabled,
        String challengeUi, boolean progressiveEnrollment, boolean localEnrollment, boolean disableSignup) {

    /** Auth0's name for the default database connection. */
    public static final String DEFAULT_NAME = "Username-Password-Authentication";

    /** A tenant file without {@code databases}: passwords only, as before passkeys. */
    public static final DatabaseConnection PASSWORDS_ONLY = new DatabaseConnection(DEFAULT_NAME, null, false, "both",
            false, false, true);

    public DatabaseConnection {
        enabledClients = (enabledClients != null) ? List.copyOf(enabledClients) : null;
    }

    /** Whether {@code clientId} may use this connection. */
    public boolean enabledFor(String clientId) {
        return this.enabledClients == null || this.enabledClients.contains(clientId);
    }

}
