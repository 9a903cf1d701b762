package dev.gatehouse.authserver.passkey;

import java.security.SecureRandom;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.HexFormat;
import java.util.Optional;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Users created by the SDK's {@code passkey.signup()}: an account with an Auth0-style
 * subject, the email unverified, no password, marked {@code signed_up} so the tenant
 * import leaves it alone.
 */
class SignedUpUsers {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final JdbcClient jdbc;

    private final Clock clock;

    SignedUpUsers(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /** Creates the user; empty when the email is taken (by anyone, enabled or not). */
    Optional<String> create(String email, String name) {
        byte[] id = new byte[12];
        RANDOM.nextBytes(id);
        String subject = "auth0|" + HexFormat.of().formatHex(id);
        try {
            int created = this.jdbc
                .sql("INSERT INTO user_account (user_id, email, name, picture, email_verified, password_hash, enabled, "
                        + "blocked, created_at, signed_up) VALUES (?, ?, ?, NULL, FALSE, NULL, TRUE, FALSE, ?, TRUE) "
                        + "ON CONFLICT DO NOTHING")
                .params(subject, email, name, Timestamp.from(this.clock.instant()))
                .update();
            return (created == 1) ? Optional.of(subject) : Optional.empty();
        }
        catch (DuplicateKeyException ex) {
            return Optional.empty();
        }
    }

}
