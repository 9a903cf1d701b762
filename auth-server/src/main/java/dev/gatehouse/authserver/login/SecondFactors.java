package dev.gatehouse.authserver.login;

import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Which second factors a user has enrolled: an authenticator app, passkeys, recovery
 * codes.
 */
public class SecondFactors {

    private final JdbcClient jdbc;

    public SecondFactors(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public boolean hasTotp(String subject) {
        return exists("SELECT COUNT(*) FROM user_totp WHERE user_id = ?", subject);
    }

    public boolean hasPasskey(String subject) {
        return exists("SELECT COUNT(*) FROM user_credentials c JOIN user_entities e ON e.id = c.user_entity_user_id "
                + "WHERE e.name = ?", subject);
    }

    public int recoveryCodesLeft(String subject) {
        return this.jdbc.sql("SELECT COUNT(*) FROM user_recovery_code WHERE user_id = ?")
            .param(subject)
            .query(Integer.class)
            .single();
    }

    /** Whether the user has any second factor a login could be asked for. */
    public boolean any(String subject) {
        return hasTotp(subject) || hasPasskey(subject);
    }

    private boolean exists(String sql, String subject) {
        return this.jdbc.sql(sql).param(subject).query(Integer.class).single() > 0;
    }

}
