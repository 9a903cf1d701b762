package dev.gatehouse.authserver.passkey;

import org.jspecify.annotations.Nullable;
import org.springframework.security.core.Authentication;

import dev.gatehouse.authserver.login.Factors;
import dev.gatehouse.authserver.login.SecondFactors;
import dev.gatehouse.authserver.tenant.DatabaseConnection;
import dev.gatehouse.authserver.tenant.GuardianSettings;
import dev.gatehouse.authserver.tenant.LoginSettings;

/**
 * Who may add a passkey to an account, checked at both steps of a registration (options
 * and the new credential): the tenant must allow passkeys (on the user database, or as a
 * second factor), and once the user has a second factor, only a session that proved one
 * may add another, so a stolen password alone never adds the thief's passkey.
 */
public class PasskeyEnrollment {

    private final LoginSettings settings;

    private final SecondFactors factors;

    public PasskeyEnrollment(LoginSettings settings, SecondFactors factors) {
        this.settings = settings;
        this.factors = factors;
    }

    /**
     * Why {@code authentication} may not add a passkey now, or {@code null} if it may.
     */
    public @Nullable String refusal(@Nullable Authentication authentication) {
        if (authentication == null || !authentication.isAuthenticated()) {
            return "Sign in first.";
        }
        DatabaseConnection database = this.settings.database();
        GuardianSettings guardian = this.settings.guardian();
        boolean asLogin = database.passkeyEnabled() && (database.progressiveEnrollment() || database.localEnrollment());
        if (!asLogin && !guardian.webauthn()) {
            return "Passkeys are not enabled.";
        }
        if (this.factors.any(authentication.getName()) && !Factors.multiFactor(authentication)) {
            return "Confirm it is you with your passkey or authenticator app first.";
        }
        return null;
    }

}
