package dev.gatehouse.authserver.login;

import java.util.Arrays;

import org.jspecify.annotations.Nullable;
import org.springframework.security.core.Authentication;

import dev.gatehouse.authserver.tenant.GuardianSettings;
import dev.gatehouse.authserver.tenant.LoginSettings;

/**
 * When a login needs a second factor: always under Auth0's "Always" policy
 * ({@code guardianPolicies: [all-applications]}), and for an authorization request that
 * asks for it with {@code acr_values} (Auth0's step-up,
 * {@code http://schemas.openid.net/pape/policies/2007/06/multi-factor}).
 */
public class MultiFactorPolicy {

    private final LoginSettings settings;

    public MultiFactorPolicy(LoginSettings settings) {
        this.settings = settings;
    }

    /** Whether {@code acr_values} asks for a multi-factor login. */
    public static boolean requestsMultiFactor(@Nullable String acrValues) {
        return acrValues != null && Arrays.asList(acrValues.trim().split("\\s+")).contains(Factors.MFA_ACR);
    }

    /** Whether an authorization request with {@code acrValues} needs a second factor. */
    public boolean required(@Nullable String acrValues) {
        return this.settings.guardian().alwaysRequired() || requestsMultiFactor(acrValues);
    }

    /** Whether the session's login meets what the request needs. */
    public boolean satisfied(@Nullable Authentication authentication, @Nullable String acrValues) {
        return !required(acrValues) || Factors.multiFactor(authentication);
    }

    /** The tenant's factor settings. */
    public GuardianSettings guardian() {
        return this.settings.guardian();
    }

}
