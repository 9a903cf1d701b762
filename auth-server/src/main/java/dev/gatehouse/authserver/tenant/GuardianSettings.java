package dev.gatehouse.authserver.tenant;

import java.util.List;
import java.util.Set;

/**
 * Multi-factor settings, with the Deploy CLI's names: {@code guardianFactors} (which
 * second factors users may use) and {@code guardianPolicies.policies} (when they must:
 * {@code [all-applications]} is Auth0's "Always", an empty list "Never").
 *
 * @param enabledFactors the enabled factors Gatehouse serves: {@link #OTP},
 * {@link #WEBAUTHN_ROAMING}, {@link #WEBAUTHN_PLATFORM}, {@link #RECOVERY_CODE}
 * @param policies the policies as written, e.g. {@code [all-applications]}
 */
public record GuardianSettings(Set<String> enabledFactors, List<String> policies) {

    public static final String OTP = "otp";

    public static final String WEBAUTHN_ROAMING = "webauthn-roaming";

    public static final String WEBAUTHN_PLATFORM = "webauthn-platform";

    public static final String RECOVERY_CODE = "recovery-code";

    /**
     * Auth0's "Always" policy: every login of every application needs a second factor.
     */
    public static final String ALL_APPLICATIONS = "all-applications";

    /** Factors Gatehouse can serve as a second factor. */
    public static final Set<String> SERVED = Set.of(OTP, WEBAUTHN_ROAMING, WEBAUTHN_PLATFORM, RECOVERY_CODE);

    /** No factor, policy "Never": a tenant file without the two sections. */
    public static final GuardianSettings NEVER = new GuardianSettings(Set.of(), List.of());

    public GuardianSettings {
        enabledFactors = Set.copyOf(enabledFactors);
        policies = List.copyOf(policies);
    }

    /** Whether every login needs a second factor. */
    public boolean alwaysRequired() {
        return this.policies.contains(ALL_APPLICATIONS);
    }

    /** Whether an authenticator app (TOTP) may be the second factor. */
    public boolean otp() {
        return this.enabledFactors.contains(OTP);
    }

    /** Whether a passkey or security key may be the second factor. */
    public boolean webauthn() {
        return this.enabledFactors.contains(WEBAUTHN_ROAMING) || this.enabledFactors.contains(WEBAUTHN_PLATFORM);
    }

    /** Whether recovery codes are handed out with the first second factor. */
    public boolean recoveryCodes() {
        return this.enabledFactors.contains(RECOVERY_CODE);
    }

    /** Whether any second factor can be used at all. */
    public boolean anyFactor() {
        return otp() || webauthn();
    }

}
