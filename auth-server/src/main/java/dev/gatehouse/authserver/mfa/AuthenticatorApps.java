package dev.gatehouse.authserver.mfa;

import java.sql.Timestamp;
import java.time.Clock;
import java.util.Optional;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Users' authenticator-app secrets ({@code user_totp}). A code is accepted once: the step
 * it belongs to must be later than the last accepted one, checked and recorded in one
 * conditional update, so the same code sent twice (even to two instances at once)
 * succeeds only once.
 */
public class AuthenticatorApps {

    private final JdbcClient jdbc;

    private final Clock clock;

    public AuthenticatorApps(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    public Optional<String> secretOf(String subject) {
        return this.jdbc.sql("SELECT secret FROM user_totp WHERE user_id = ?")
            .param(subject)
            .query(String.class)
            .optional();
    }

    /**
     * Stores the user's secret, with {@code step} (the code that confirmed it) already
     * used; false when the user already has one.
     */
    public boolean enroll(String subject, String secret, long step) {
        try {
            return this.jdbc
                .sql("INSERT INTO user_totp (user_id, secret, last_used_step, created_at) VALUES (?, ?, ?, ?) "
                        + "ON CONFLICT DO NOTHING")
                .params(subject, secret, step, Timestamp.from(this.clock.instant()))
                .update() == 1;
        }
        catch (DuplicateKeyException ex) {
            return false;
        }
    }

    /** Accepts the code of {@code step} if no code of that step or a later one was. */
    public boolean accept(String subject, long step) {
        return this.jdbc.sql("UPDATE user_totp SET last_used_step = ? WHERE user_id = ? AND last_used_step < ?")
            .params(step, subject, step)
            .update() == 1;
    }

}
