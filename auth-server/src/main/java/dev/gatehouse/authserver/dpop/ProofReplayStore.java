package dev.gatehouse.authserver.dpop;

import java.sql.Timestamp;
import java.time.Instant;

import org.springframework.jdbc.core.simple.JdbcClient;

import dev.gatehouse.authserver.token.TokenHasher;

/**
 * The {@code dpop_proof_jti} table: every DPoP proof's {@code jti} (hashed) until the
 * proof is too old to be accepted anyway. Spring Security's own check keeps the last
 * thousand {@code jti}s in one JVM's memory, so a proof could be replayed on another
 * instance, after a restart, or after a thousand other proofs; this one is decided by the
 * database's primary key, on every instance at once.
 */
final class ProofReplayStore {

    private final JdbcClient jdbc;

    ProofReplayStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Records {@code jti}; {@code false} when it was recorded before (a replay). Runs in
     * its own statement, so a concurrent insert of the same value on another instance
     * waits for this one and then finds it.
     */
    boolean firstUse(String jti, Instant keepUntil) {
        return this.jdbc.sql("INSERT INTO dpop_proof_jti (jti_hash, expires_at) VALUES (?, ?) ON CONFLICT DO NOTHING")
            .params(TokenHasher.hash(jti), Timestamp.from(keepUntil))
            .update() == 1;
    }

}
