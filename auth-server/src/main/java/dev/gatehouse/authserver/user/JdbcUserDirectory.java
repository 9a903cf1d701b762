package dev.gatehouse.authserver.user;

import java.security.SecureRandom;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UserDetailsPasswordService;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.core.userdetails.UsernameNotFoundException;
import org.springframework.security.crypto.password.PasswordEncoder;

import dev.gatehouse.authserver.store.TransactionMemo;
import dev.gatehouse.authserver.tenant.TenantUser;

/**
 * Users in the {@code user_account} table. Only active users are visible: a user removed
 * from the tenant file is disabled, a user with Auth0's {@code blocked} flag is blocked,
 * and neither can sign in nor be found by subject, so their refreshes and
 * {@code /userinfo} calls fail. The tenant import revokes what such users hold.
 */
public class JdbcUserDirectory implements UserDirectory {

    /**
     * The condition for a user who may sign in and hold tokens: still in the tenant file
     * ({@code enabled}) and not {@code blocked}.
     */
    public static final String ACTIVE = "enabled = TRUE AND blocked = FALSE";

    private static final SecureRandom RANDOM = new SecureRandom();

    /** The key of the users found by id in the current transaction. */
    private static final Object FOUND_BY_ID = new Object();

    private final JdbcClient jdbc;

    private final PasswordEncoder passwordEncoder;

    private final Clock clock;

    public JdbcUserDirectory(JdbcClient jdbc, PasswordEncoder passwordEncoder, Clock clock) {
        this.jdbc = jdbc;
        this.passwordEncoder = passwordEncoder;
        this.clock = clock;
    }

    /**
     * Within a transaction an active user found once is found again without a query: a
     * refresh checks its user before rotating and reads the profile for the ID token.
     */
    @Override
    public Optional<UserAccount> findById(String userId) {
        Map<String, UserAccount> memo = TransactionMemo.of(FOUND_BY_ID);
        UserAccount known = (memo != null) ? memo.get(userId) : null;
        if (known != null) {
            return Optional.of(known);
        }
        Optional<UserAccount> found = jdbc
            .sql("SELECT user_id, email, name, picture, email_verified FROM user_account " + "WHERE user_id = ? AND "
                    + ACTIVE)
            .param(userId)
            .query(JdbcUserDirectory::account)
            .optional();
        if (memo != null && found.isPresent()) {
            memo.put(userId, found.get());
        }
        return found;
    }

    @Override
    public Optional<UserAccount> findByEmail(String email) {
        return jdbc
            .sql("SELECT user_id, email, name, picture, email_verified FROM user_account " + "WHERE email = ? AND "
                    + ACTIVE)
            .param(normalise(email))
            .query(JdbcUserDirectory::account)
            .optional();
    }

    /** Role names of an active user. */
    public List<String> rolesOf(String userId) {
        return jdbc
            .sql("SELECT r.role_name FROM user_role r JOIN user_account u ON u.user_id = r.user_id "
                    + "WHERE r.user_id = ? AND u.enabled = TRUE AND u.blocked = FALSE ORDER BY r.role_name")
            .param(userId)
            .query(String.class)
            .list();
    }

    static String normalise(String email) {
        return email.trim().toLowerCase(Locale.ROOT);
    }

    private static UserAccount account(java.sql.ResultSet rs, int row) throws java.sql.SQLException {
        return new UserAccount(rs.getString("user_id"), rs.getString("email"), rs.getString("name"),
                rs.getString("picture"), rs.getBoolean("email_verified"));
    }

    /**
     * Loads login credentials by email for {@code DaoAuthenticationProvider}. The
     * returned user's name is the user id, so the authenticated principal's name is the
     * token subject.
     */
    UserDetailsService credentialsByEmail() {
        // A user who signed up with a passkey has no password: nothing to compare, no
        // login.
        return email -> jdbc
            .sql("SELECT user_id, password_hash FROM user_account WHERE email = ? AND password_hash IS NOT NULL AND "
                    + ACTIVE)
            .param(normalise(email))
            .query((rs, row) -> User.withUsername(rs.getString("user_id"))
                .password(rs.getString("password_hash"))
                .authorities(List.of())
                .build())
            .optional()
            // The message never reaches the browser: DaoAuthenticationProvider hides it
            // behind "Bad credentials".
            .orElseThrow(() -> new UsernameNotFoundException("unknown user"));
    }

    /**
     * Stores a re-encoded hash when the encoder says the stored one is outdated (e.g. a
     * weaker bcrypt cost).
     */
    UserDetailsPasswordService passwordUpgrades() {
        return (user, newHash) -> {
            TransactionMemo.forget(FOUND_BY_ID);
            jdbc.sql("UPDATE user_account SET password_hash = ? WHERE user_id = ?")
                .param(newHash)
                .param(user.getUsername())
                .update();
            return User.withUserDetails(user).password(newHash).build();
        };
    }

    /**
     * Makes the stored users match the tenant's: creates new ones with a fresh
     * {@code auth0|} id, updates changed ones (keeping id and, when the password still
     * matches, the stored hash), and disables users no longer listed. Must run inside the
     * tenant import's transaction, after roles are written.
     */
    public SyncResult sync(List<TenantUser> users) {
        TransactionMemo.forget(FOUND_BY_ID);
        Map<String, Stored> existing = new HashMap<>();
        jdbc.sql("SELECT user_id, email, name, picture, email_verified, password_hash, enabled, blocked "
                + "FROM user_account WHERE signed_up = FALSE")
            .query((rs, row) -> new Stored(rs.getString("user_id"), rs.getString("email"), rs.getString("name"),
                    rs.getString("picture"), rs.getBoolean("email_verified"), rs.getString("password_hash"),
                    rs.getBoolean("enabled"), rs.getBoolean("blocked")))
            .list()
            .forEach(s -> existing.put(s.email(), s));
        int created = 0;
        int updated = 0;
        for (TenantUser user : users) {
            String email = normalise(user.email());
            releaseSignedUpEmail(email);
            Stored stored = existing.remove(email);
            String hash = passwordHash(user, stored);
            String userId;
            if (stored == null) {
                userId = "auth0|" + HexFormat.of().formatHex(randomBytes(12));
                jdbc.sql("INSERT INTO user_account (user_id, email, name, picture, email_verified, password_hash, "
                        + "enabled, blocked, created_at) VALUES (?, ?, ?, ?, ?, ?, TRUE, ?, ?)")
                    .params(userId, email, user.name(), user.picture(), user.emailVerified(), hash, user.blocked(),
                            Timestamp.from(clock.instant()))
                    .update();
                created++;
            }
            else {
                userId = stored.userId();
                boolean changed = !stored.name().equals(user.name())
                        || !Objects.equals(stored.picture(), user.picture())
                        || stored.emailVerified() != user.emailVerified() || !stored.passwordHash().equals(hash)
                        || !stored.enabled() || stored.blocked() != user.blocked();
                if (changed) {
                    jdbc.sql("UPDATE user_account SET name = ?, picture = ?, email_verified = ?, password_hash = ?, "
                            + "enabled = TRUE, blocked = ? WHERE user_id = ?")
                        .params(user.name(), user.picture(), user.emailVerified(), hash, user.blocked(), userId)
                        .update();
                }
                if (syncRoles(userId, user.roles()) || changed) {
                    updated++;
                }
                continue;
            }
            syncRoles(userId, user.roles());
        }
        int disabled = 0;
        for (Stored gone : existing.values()) {
            jdbc.sql("DELETE FROM user_role WHERE user_id = ?").param(gone.userId()).update();
            if (gone.enabled()) {
                jdbc.sql("UPDATE user_account SET enabled = FALSE WHERE user_id = ?").param(gone.userId()).update();
                disabled++;
            }
        }
        return new SyncResult(created, updated, disabled);
    }

    /**
     * A tenant-file user whose email a stranger already signed up with (through the SDK's
     * {@code passkey.signup()}) gets a fresh account: the signed-up one is disabled, its
     * passkeys deleted and its email freed, so nothing the stranger holds opens the
     * account the tenant declares.
     */
    private void releaseSignedUpEmail(String email) {
        jdbc.sql("SELECT user_id FROM user_account WHERE email = ? AND signed_up = TRUE")
            .param(email)
            .query(String.class)
            .optional()
            .ifPresent((userId) -> {
                jdbc.sql("DELETE FROM user_entities WHERE name = ?").param(userId).update();
                jdbc.sql("UPDATE user_account SET enabled = FALSE, email = ? WHERE user_id = ?")
                    .params("released:" + userId, userId)
                    .update();
            });
    }

    /**
     * Writes the user's roles if they differ from the stored ones; true when something
     * changed.
     */
    private boolean syncRoles(String userId, List<String> roles) {
        Set<String> wanted = new LinkedHashSet<>(roles);
        Set<String> current = new LinkedHashSet<>(
                jdbc.sql("SELECT role_name FROM user_role WHERE user_id = ?").param(userId).query(String.class).list());
        if (current.equals(wanted)) {
            return false;
        }
        jdbc.sql("DELETE FROM user_role WHERE user_id = ?").param(userId).update();
        for (String role : wanted) {
            jdbc.sql("INSERT INTO user_role (user_id, role_name) VALUES (?, ?)").params(userId, role).update();
        }
        return true;
    }

    /**
     * The hash to store: the file's hash as given, or the stored hash when the file's
     * clear password still matches it (so an unchanged file never rewrites hashes),
     * otherwise a fresh encoding.
     */
    private String passwordHash(TenantUser user, @Nullable Stored stored) {
        if (user.passwordHash() != null) {
            return user.passwordHash();
        }
        String password = Objects.requireNonNull(user.password(), "validated: password or password_hash");
        if (stored != null) {
            try {
                if (passwordEncoder.matches(password, stored.passwordHash())) {
                    return stored.passwordHash();
                }
            }
            catch (IllegalArgumentException ex) {
                // A stored hash the encoder cannot read any more: replace it with a fresh
                // one below.
            }
        }
        return passwordEncoder.encode(password);
    }

    private static byte[] randomBytes(int size) {
        byte[] bytes = new byte[size];
        RANDOM.nextBytes(bytes);
        return bytes;
    }

    /** Counts of one synchronisation, for the startup summary. */
    public record SyncResult(int created, int updated, int disabled) {
    }

    private record Stored(String userId, String email, String name, @Nullable String picture, boolean emailVerified,
            String passwordHash, boolean enabled, boolean blocked) {
    }

    /** All users' ids and emails including disabled ones; for tests and diagnostics. */
    List<String> allUserIds() {
        return new ArrayList<>(
                jdbc.sql("SELECT user_id FROM user_account ORDER BY user_id").query(String.class).list());
    }

}
