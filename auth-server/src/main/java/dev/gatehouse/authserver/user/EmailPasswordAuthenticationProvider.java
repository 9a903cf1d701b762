package dev.gatehouse.authserver.user;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.authentication.dao.DaoAuthenticationProvider;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.web.authentication.WebAuthenticationDetails;

import dev.gatehouse.authserver.web.DatabaseOutage;

/**
 * Email + password login with throttling. Delegates the password check to Spring
 * Security's {@link DaoAuthenticationProvider} (constant-time-ish handling of unknown
 * users, hash upgrades, the password factor authority that ID tokens need) and adds what
 * it lacks: per-account and per-address throttling.
 *
 * <p>
 * Every failure - unknown email, wrong password, disabled user, throttled account or
 * address - ends in the same {@link BadCredentialsException} with the same message, so
 * the login page cannot tell them apart. A database that cannot be reached is not a
 * failure: it ends in a {@code DataAccessException}, which the page answers with a 503
 * and the throttle does not count. A throttled attempt still runs the password encoder
 * once on a dummy hash so it takes about as long as a real check.
 *
 * <p>
 * On success the principal is a Spring Security {@code User} whose username is the user
 * id ({@code auth0|...}): {@code authentication.getName()} is the token subject, and
 * {@link UserDirectory#findById} gives the profile. A standard {@code User} is used
 * deliberately: it is on Spring Security's Jackson allow-list, so authorizations holding
 * this principal can be stored in and read back from the JDBC authorization table.
 */
public class EmailPasswordAuthenticationProvider implements AuthenticationProvider {

    /** The one failure message for every reason. */
    public static final String FAILURE_MESSAGE = "Bad credentials";

    private static final Logger log = LoggerFactory.getLogger(EmailPasswordAuthenticationProvider.class);

    private final DaoAuthenticationProvider passwordCheck;

    private final LoginThrottle throttle;

    private final PasswordEncoder passwordEncoder;

    private final String dummyHash;

    public EmailPasswordAuthenticationProvider(JdbcUserDirectory users, PasswordEncoder passwordEncoder,
            LoginThrottle throttle) {
        this.passwordCheck = new DaoAuthenticationProvider(users.credentialsByEmail());
        this.passwordCheck.setPasswordEncoder(passwordEncoder);
        this.passwordCheck.setUserDetailsPasswordService(users.passwordUpgrades());
        this.throttle = throttle;
        this.passwordEncoder = passwordEncoder;
        this.dummyHash = passwordEncoder.encode("gatehouse-throttled-dummy-password");
    }

    @Override
    public Authentication authenticate(Authentication authentication) {
        String email = JdbcUserDirectory.normalise(authentication.getName());
        String password = authentication.getCredentials() == null ? "" : authentication.getCredentials().toString();
        String address = clientAddress(authentication);
        if (!throttle.tryAcquire(email, address)) {
            passwordEncoder.matches(password, dummyHash);
            // Neither the email nor the address is logged: both are attacker-controlled
            // personal data.
            log.info("Login refused: throttled");
            throw new BadCredentialsException(FAILURE_MESSAGE);
        }
        try {
            Authentication result = throttle.check(email, address, () -> passwordCheck
                .authenticate(UsernamePasswordAuthenticationToken.unauthenticated(email, password)));
            if (result instanceof UsernamePasswordAuthenticationToken token) {
                token.setDetails(authentication.getDetails());
            }
            return result;
        }
        catch (AuthenticationException ex) {
            if (DatabaseOutage.causeOf(ex) != null) {
                // Spring Security wraps a failed user look-up as an authentication
                // failure; the user should hear "try again", not "wrong password".
                throw new DataAccessResourceFailureException("The user directory could not be reached", ex);
            }
            throw new BadCredentialsException(FAILURE_MESSAGE);
        }
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return UsernamePasswordAuthenticationToken.class.isAssignableFrom(authentication);
    }

    private static @Nullable String clientAddress(Authentication authentication) {
        return authentication.getDetails() instanceof WebAuthenticationDetails details ? details.getRemoteAddress()
                : null;
    }

}
