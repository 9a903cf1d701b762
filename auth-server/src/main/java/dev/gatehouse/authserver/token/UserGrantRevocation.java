package dev.gatehouse.authserver.token;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;

import dev.gatehouse.authserver.user.JdbcUserDirectory;

/**
 * Revokes everything a user holds (SSO sessions, refresh-token families, the access
 * tokens {@code /userinfo} accepts, codes not yet exchanged) when the user is no longer
 * active: removed from the tenant file or blocked. The tenant import calls it for every
 * inactive user, and a token request or {@code /userinfo} call that meets such a user
 * calls it for that user, so nothing a removed user held keeps working on any instance.
 */
public class UserGrantRevocation {

    private static final Logger log = LoggerFactory.getLogger(UserGrantRevocation.class);

    private static final String INACTIVE = "SELECT user_id FROM user_account WHERE NOT (" + JdbcUserDirectory.ACTIVE
            + ")";

    private final JdbcTemplate jdbc;

    public UserGrantRevocation(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Revokes the grants of one user (a subject); returns how many authorizations went.
     */
    public int revokeAllOf(String subject) {
        this.jdbc.update("DELETE FROM refresh_token_rotated WHERE authorization_id IN "
                + "(SELECT id FROM oauth2_authorization WHERE principal_name = ?)", subject);
        this.jdbc.update("DELETE FROM spring_session WHERE principal_name = ?", subject);
        int revoked = this.jdbc.update("DELETE FROM oauth2_authorization WHERE principal_name = ?", subject);
        if (revoked > 0) {
            log.info("Revoked {} authorization(s) of an inactive user", revoked);
        }
        return revoked;
    }

    /** Revokes the grants of every removed or blocked user; returns how many went. */
    public int revokeInactiveUsers() {
        this.jdbc.update("DELETE FROM refresh_token_rotated WHERE authorization_id IN "
                + "(SELECT id FROM oauth2_authorization WHERE principal_name IN (" + INACTIVE + "))");
        this.jdbc.update("DELETE FROM spring_session WHERE principal_name IN (" + INACTIVE + ")");
        return this.jdbc.update("DELETE FROM oauth2_authorization WHERE principal_name IN (" + INACTIVE + ")");
    }

}
