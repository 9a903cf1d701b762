package dev.gatehouse.authserver.login;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.jspecify.annotations.Nullable;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.FactorGrantedAuthority;

/**
 * The factors a session's login used, as Spring Security's {@link FactorGrantedAuthority}
 * authorities of the session principal (each with the time it was proved), and what they
 * mean for tokens: the {@code amr} values (RFC 8176) and whether the login was
 * multi-factor.
 *
 * <p>
 * Spring Security names password ({@code FACTOR_PASSWORD}) and WebAuthn
 * ({@code FACTOR_WEBAUTHN}) factors; an authenticator-app code and a recovery code have
 * no standard authority there, so they get their own ({@code FACTOR_OTP},
 * {@code FACTOR_RECOVERY_CODE}). Every passkey ceremony requires user verification (PIN
 * or biometrics on the authenticator), so a passkey alone is two factors, as Auth0 counts
 * it (auth0-compatibility P-5).
 */
public final class Factors {

    public static final String PASSWORD = FactorGrantedAuthority.PASSWORD_AUTHORITY;

    public static final String WEBAUTHN = FactorGrantedAuthority.WEBAUTHN_AUTHORITY;

    public static final String OTP = "FACTOR_OTP";

    public static final String RECOVERY_CODE = "FACTOR_RECOVERY_CODE";

    /**
     * Auth0's {@code acr} for a multi-factor login, as {@code acr_values} requests it.
     */
    public static final String MFA_ACR = "http://schemas.openid.net/pape/policies/2007/06/multi-factor";

    private Factors() {
    }

    /** Whether {@code authentication} holds {@code factor}. */
    public static boolean has(@Nullable Authentication authentication, String factor) {
        if (authentication == null) {
            return false;
        }
        return has(authentication.getAuthorities(), factor);
    }

    static boolean has(Collection<? extends GrantedAuthority> authorities, String factor) {
        return authorities.stream()
            .anyMatch((a) -> a instanceof FactorGrantedAuthority && factor.equals(a.getAuthority()));
    }

    /** Whether the login proved more than something the user knows. */
    public static boolean multiFactor(Collection<? extends GrantedAuthority> authorities) {
        return has(authorities, WEBAUTHN) || has(authorities, OTP) || has(authorities, RECOVERY_CODE);
    }

    /** Whether the session's login was multi-factor. */
    public static boolean multiFactor(@Nullable Authentication authentication) {
        return authentication != null && multiFactor(authentication.getAuthorities());
    }

    /**
     * The {@code amr} claim of a login: {@code pwd}, {@code otp}, {@code hwk} (a key held
     * by an authenticator) as RFC 8176 names them, and {@code mfa} for a multi-factor
     * login, the value Auth0 puts there.
     */
    public static List<String> amr(Collection<? extends GrantedAuthority> authorities) {
        Set<String> amr = new LinkedHashSet<>();
        if (has(authorities, PASSWORD)) {
            amr.add("pwd");
        }
        if (has(authorities, WEBAUTHN)) {
            amr.add("hwk");
        }
        if (has(authorities, OTP)) {
            amr.add("otp");
        }
        if (multiFactor(authorities)) {
            amr.add("mfa");
        }
        return new ArrayList<>(amr);
    }

    /** When the latest factor was proved ({@code auth_time}); {@code null} for none. */
    public static @Nullable Instant provedAt(Collection<? extends GrantedAuthority> authorities) {
        Instant latest = null;
        for (GrantedAuthority authority : authorities) {
            if (authority instanceof FactorGrantedAuthority factor
                    && (latest == null || factor.getIssuedAt().isAfter(latest))) {
                latest = factor.getIssuedAt();
            }
        }
        return latest;
    }

    /**
     * The session principal with {@code factor} proved at {@code now} added (replacing an
     * earlier proof of the same factor): same subject, same other authorities.
     */
    public static Authentication withFactor(Authentication current, String factor, Instant now) {
        List<GrantedAuthority> authorities = new ArrayList<>();
        for (GrantedAuthority authority : current.getAuthorities()) {
            if (!factor.equals(authority.getAuthority())) {
                authorities.add(authority);
            }
        }
        authorities.add(FactorGrantedAuthority.withAuthority(factor).issuedAt(now).build());
        UsernamePasswordAuthenticationToken updated = UsernamePasswordAuthenticationToken
            .authenticated(current.getName(), null, authorities);
        updated.setDetails(current.getDetails());
        return updated;
    }

}
