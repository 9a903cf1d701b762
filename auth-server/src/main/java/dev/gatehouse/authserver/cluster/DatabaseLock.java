package dev.gatehouse.authserver.cluster;

import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A named lock held in the database, for decisions every instance must take the same way
 * exactly once (creating or rotating the signing key, applying the tenant file). Taken
 * with {@code SELECT ... FOR UPDATE} on a row of {@code gatehouse_lock} (V27), so it
 * works on H2 and PostgreSQL alike, and released when the caller's transaction ends: call
 * {@link #hold} inside that transaction. Instances starting together thus take turns, and
 * the second sees what the first decided. The wait may take longer than the connections'
 * read timeout: the other instance may be applying a large tenant file, hashing its
 * users' passwords. So the rest of the transaction counts as {@link LongStatements}.
 */
public final class DatabaseLock {

    /** Signing-key creation, rotation and retirement. */
    public static final String SIGNING_KEYS = "signing-keys";

    /** Applying the tenant file at startup. */
    public static final String TENANT_IMPORT = "tenant-import";

    private DatabaseLock() {
    }

    /**
     * Waits for the lock named {@code name}; it is released with the current transaction.
     */
    public static void hold(JdbcClient jdbc, String name) {
        LongStatements.allow(jdbc);
        jdbc.sql("SELECT name FROM gatehouse_lock WHERE name = ? FOR UPDATE").param(name).query(String.class).single();
    }

}
