package dev.gatehouse.authserver.tenant;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * How users sign in, as the tenant import stored it: the user database's passkey settings
 * ({@code tenant_connection}) and the multi-factor settings ({@code tenant_setting}).
 * Read on every login step, so the answer is kept for a few seconds: a re-applied tenant
 * (at the next start of any instance) is seen by every instance within that time.
 */
public class LoginSettings {

    static final String GUARDIAN_FACTORS = "guardian.factors";

    static final String GUARDIAN_POLICIES = "guardian.policies";

    private static final Duration FRESH_FOR = Duration.ofSeconds(5);

    private final JdbcClient jdbc;

    private final Clock clock;

    private volatile Snapshot snapshot;

    public LoginSettings(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /** The user database's sign-in settings. */
    public DatabaseConnection database() {
        return current().database();
    }

    /** The multi-factor settings. */
    public GuardianSettings guardian() {
        return current().guardian();
    }

    private Snapshot current() {
        Snapshot current = this.snapshot;
        Instant now = this.clock.instant();
        if (current == null || now.isAfter(current.readAt().plus(FRESH_FOR))) {
            current = new Snapshot(readDatabase(), readGuardian(), now);
            this.snapshot = current;
        }
        return current;
    }

    private DatabaseConnection readDatabase() {
        return this.jdbc
            .sql("SELECT name, enabled_clients, passkey_enabled, challenge_ui, progressive_enrollment, "
                    + "local_enrollment, disable_signup FROM tenant_connection ORDER BY name")
            .query((rs, row) -> new DatabaseConnection(rs.getString("name"), list(rs.getString("enabled_clients")),
                    rs.getBoolean("passkey_enabled"), rs.getString("challenge_ui"),
                    rs.getBoolean("progressive_enrollment"), rs.getBoolean("local_enrollment"),
                    rs.getBoolean("disable_signup")))
            .list()
            .stream()
            .findFirst()
            .orElse(DatabaseConnection.PASSWORDS_ONLY);
    }

    private GuardianSettings readGuardian() {
        Set<String> factors = words(setting(GUARDIAN_FACTORS));
        List<String> policies = List.copyOf(words(setting(GUARDIAN_POLICIES)));
        return new GuardianSettings(factors, policies);
    }

    private String setting(String key) {
        return this.jdbc.sql("SELECT setting_value FROM tenant_setting WHERE setting_key = ?")
            .param(key)
            .query(String.class)
            .optional()
            .orElse("");
    }

    private static Set<String> words(String value) {
        return Arrays.stream(value.trim().split("\\s+"))
            .filter((w) -> !w.isEmpty())
            .collect(Collectors.toCollection(java.util.LinkedHashSet::new));
    }

    private static List<String> list(String value) {
        if (value == null) {
            return null;
        }
        return Arrays.stream(value.split(JdbcTenantDirectory.LIST_SEPARATOR)).filter((v) -> !v.isEmpty()).toList();
    }

    private record Snapshot(DatabaseConnection database, GuardianSettings guardian, Instant readAt) {
    }

}
