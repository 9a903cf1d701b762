package dev.gatehouse.authserver.passkey;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.web.webauthn.api.Bytes;
import org.springframework.security.web.webauthn.api.CredentialRecord;
import org.springframework.security.web.webauthn.api.PublicKeyCredentialUserEntity;
import org.springframework.security.web.webauthn.management.JdbcUserCredentialRepository;
import org.springframework.security.web.webauthn.management.UserCredentialRepository;

/**
 * Passkeys in Spring Security's {@code user_credentials} table, through its
 * {@link JdbcUserCredentialRepository}, with one rule added where a credential is used:
 * its signature counter must go up (WebAuthn Level 3, 7.2 step 22).
 *
 * <p>
 * Spring's relying party checks an assertion's counter against the counter in the
 * attestation kept from the registration, not against the last one seen, and then saves
 * whatever came; a cloned authenticator replaying old counters would pass. Here the save
 * after an assertion is one conditional {@code UPDATE}: it succeeds only if the new
 * counter is above the stored one (or both are 0, for authenticators without a counter),
 * so two instances racing with the same assertion cannot both succeed either. A refused
 * update fails the ceremony.
 */
public class PasskeyCredentials implements UserCredentialRepository {

    private final JdbcUserCredentialRepository delegate;

    private final JdbcClient jdbc;

    private final PasskeyUsers users;

    private final Clock clock;

    public PasskeyCredentials(JdbcTemplate jdbcTemplate, PasskeyUsers users, Clock clock) {
        this.delegate = new JdbcUserCredentialRepository(jdbcTemplate);
        this.jdbc = JdbcClient.create(jdbcTemplate);
        this.users = users;
        this.clock = clock;
    }

    @Override
    public void delete(Bytes credentialId) {
        this.delegate.delete(credentialId);
    }

    /**
     * A new credential is inserted; a known one is being used, and only its use fields
     * change, under the counter rule.
     */
    @Override
    public void save(CredentialRecord record) {
        CredentialRecord stored = this.delegate.findByCredentialId(record.getCredentialId());
        if (stored == null) {
            this.delegate.save(record);
            return;
        }
        long counter = record.getSignatureCount();
        Instant lastUsed = (record.getLastUsed() != null) ? record.getLastUsed() : this.clock.instant();
        int updated = this.jdbc
            .sql("UPDATE user_credentials SET signature_count = ?, last_used = ?, backup_state = ? "
                    + "WHERE credential_id = ? AND (signature_count IS NULL OR signature_count < ? "
                    + "OR (signature_count = 0 AND ? = 0))")
            .params(counter, Timestamp.from(lastUsed), record.isBackupState(),
                    record.getCredentialId().toBase64UrlString(), counter, counter)
            .update();
        if (updated == 0) {
            throw new CounterNotIncreased();
        }
    }

    @Override
    public @Nullable CredentialRecord findByCredentialId(Bytes credentialId) {
        return this.delegate.findByCredentialId(credentialId);
    }

    @Override
    public List<CredentialRecord> findByUserId(Bytes userId) {
        return this.delegate.findByUserId(userId);
    }

    /** The passkeys of the user whose subject is {@code subject}. */
    public List<CredentialRecord> ofSubject(String subject) {
        PublicKeyCredentialUserEntity entity = this.users.findByUsername(subject);
        return (entity != null) ? findByUserId(entity.getId()) : List.of();
    }

    /** Renames a passkey of {@code subject}; false when it is not theirs. */
    public boolean rename(String subject, Bytes credentialId, String label) {
        return this.jdbc
            .sql("UPDATE user_credentials SET label = ? WHERE credential_id = ? AND user_entity_user_id = "
                    + "(SELECT id FROM user_entities WHERE name = ?)")
            .params(label, credentialId.toBase64UrlString(), subject)
            .update() == 1;
    }

    /** Deletes a passkey of {@code subject}; false when it is not theirs. */
    public boolean delete(String subject, Bytes credentialId) {
        return this.jdbc
            .sql("DELETE FROM user_credentials WHERE credential_id = ? AND user_entity_user_id = "
                    + "(SELECT id FROM user_entities WHERE name = ?)")
            .params(credentialId.toBase64UrlString(), subject)
            .update() == 1;
    }

    /**
     * An assertion whose signature counter did not go up: a cloned authenticator, or the
     * same assertion sent twice.
     */
    static final class CounterNotIncreased extends BadCredentialsException {

        CounterNotIncreased() {
            super("The authenticator's signature counter did not increase");
        }

    }

}
