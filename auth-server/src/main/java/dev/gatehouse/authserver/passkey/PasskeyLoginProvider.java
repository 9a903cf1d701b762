package dev.gatehouse.authserver.passkey;

import java.time.Clock;
import java.util.List;

import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.FactorGrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.webauthn.api.PublicKeyCredentialUserEntity;
import org.springframework.security.web.webauthn.authentication.WebAuthnAuthenticationRequestToken;
import org.springframework.security.web.webauthn.management.WebAuthnRelyingPartyOperations;

import dev.gatehouse.authserver.login.Factors;
import dev.gatehouse.authserver.tenant.LoginSettings;

/**
 * A passkey sign-in on the hosted pages, as Spring Security's
 * {@code WebAuthnAuthenticationFilter} hands it over: the assertion is verified by the
 * relying party, and the session principal gets the same simple shape as a password login
 * (the subject as a String name, a WebAuthn factor with its time; see
 * {@code SubjectAuthenticationProvider}), instead of Spring's
 * {@code WebAuthnAuthentication} whose principal SAS could not store.
 *
 * <p>
 * As a first factor it needs passkeys enabled on the user database; as a second factor
 * (the session already belongs to the same user) it needs passkeys allowed as a Guardian
 * factor. Any failure is a {@link BadCredentialsException} whose message may be shown
 * ({@link WebAuthnErrors#signInRefused()}).
 */
public class PasskeyLoginProvider implements AuthenticationProvider {

    static final String NOT_ACCEPTED = "The passkey was not accepted.";

    private final WebAuthnRelyingPartyOperations operations;

    private final PasskeyUsers users;

    private final LoginSettings settings;

    private final Clock clock;

    public PasskeyLoginProvider(WebAuthnRelyingPartyOperations operations, PasskeyUsers users, LoginSettings settings,
            Clock clock) {
        this.operations = operations;
        this.users = users;
        this.settings = settings;
        this.clock = clock;
    }

    @Override
    public Authentication authenticate(Authentication authentication) throws AuthenticationException {
        WebAuthnAuthenticationRequestToken request = (WebAuthnAuthenticationRequestToken) authentication;
        PublicKeyCredentialUserEntity entity;
        try {
            entity = this.operations.authenticate(request.getWebAuthnRequest());
        }
        catch (UserHandleCheck.Mismatch ex) {
            throw new BadCredentialsException(ex.getMessage(), ex);
        }
        catch (RuntimeException ex) {
            throw new BadCredentialsException(NOT_ACCEPTED, ex);
        }
        String subject = this.users.subjectOf(entity.getId())
            .orElseThrow(() -> new BadCredentialsException(NOT_ACCEPTED));
        Authentication current = SecurityContextHolder.getContext().getAuthentication();
        boolean secondFactor = current != null && current.isAuthenticated() && subject.equals(current.getName());
        if (secondFactor ? !this.settings.guardian().webauthn() && !this.settings.database().passkeyEnabled()
                : !this.settings.database().passkeyEnabled()) {
            throw new BadCredentialsException(NOT_ACCEPTED);
        }
        List<GrantedAuthority> authorities = List
            .of(FactorGrantedAuthority.withAuthority(Factors.WEBAUTHN).issuedAt(this.clock.instant()).build());
        return UsernamePasswordAuthenticationToken.authenticated(subject, null, authorities);
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return WebAuthnAuthenticationRequestToken.class.isAssignableFrom(authentication);
    }

}
