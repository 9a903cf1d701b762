package dev.gatehouse.authserver.login;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.FactorGrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

import dev.gatehouse.authserver.user.UserAccount;
import dev.gatehouse.authserver.user.UserDirectory;

/**
 * Wraps the user store's email + password {@link AuthenticationProvider} so that every
 * session the protocol code sees has the same simple shape: principal name = the user's
 * id (the {@code sub} of tokens; consents and authorizations are keyed by it), a String
 * principal, plain authorities and a password factor carrying the login time. SAS stores
 * the principal as JSON through an allow-listed mapper, and derives {@code auth_time}
 * from the factor authority; a custom principal type or a missing factor would break
 * token issuance later.
 */
public class SubjectAuthenticationProvider implements AuthenticationProvider {

    private final AuthenticationProvider delegate;

    private final UserDirectory users;

    private final Clock clock;

    public SubjectAuthenticationProvider(AuthenticationProvider delegate, UserDirectory users, Clock clock) {
        this.delegate = delegate;
        this.users = users;
        this.clock = clock;
    }

    @Override
    public Authentication authenticate(Authentication authentication) throws AuthenticationException {
        Authentication result = this.delegate.authenticate(authentication);
        if (result == null) {
            return null;
        }
        String name = result.getName();
        Optional<UserAccount> user = this.users.findById(name).or(() -> this.users.findByEmail(name));
        if (user.isEmpty()) {
            // The store authenticated someone it cannot name: refuse rather than issue
            // tokens for a guess.
            throw new BadCredentialsException("Wrong email or password.");
        }
        List<GrantedAuthority> authorities = new ArrayList<>();
        for (GrantedAuthority authority : result.getAuthorities()) {
            if (!(authority instanceof FactorGrantedAuthority) && authority.getAuthority() != null) {
                authorities.add(new SimpleGrantedAuthority(authority.getAuthority()));
            }
        }
        authorities.add(FactorGrantedAuthority.withAuthority(FactorGrantedAuthority.PASSWORD_AUTHORITY)
            .issuedAt(this.clock.instant())
            .build());
        UsernamePasswordAuthenticationToken normalised = UsernamePasswordAuthenticationToken
            .authenticated(user.get().userId(), null, authorities);
        normalised.setDetails(authentication.getDetails());
        return normalised;
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return this.delegate.supports(authentication);
    }

}
