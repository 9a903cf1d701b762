package dev.gatehouse.authserver.passkey;

import java.util.Optional;

import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.web.webauthn.api.Bytes;
import org.springframework.security.web.webauthn.api.ImmutablePublicKeyCredentialUserEntity;
import org.springframework.security.web.webauthn.api.PublicKeyCredentialUserEntity;
import org.springframework.security.web.webauthn.management.PublicKeyCredentialUserEntityRepository;

/**
 * Spring Security's WebAuthn user entities, in its {@code user_entities} table, keyed by
 * the user's subject: Spring looks an entity up by the signed-in principal's name, which
 * is the subject ({@code auth0|...}).
 *
 * <p>
 * Not Spring's {@code JdbcPublicKeyCredentialUserEntityRepository}: that one hands the
 * stored name to the browser, and the authenticator would then show the subject in its
 * account picker. Here the entity's {@code name} is the user's email and its
 * {@code displayName} the user's name, read from {@code user_account} at each ceremony,
 * so a changed email shows up and a disabled user has no entity.
 */
public class PasskeyUsers implements PublicKeyCredentialUserEntityRepository {

    private static final String SELECT = "SELECT e.id, u.user_id, u.email, u.name FROM user_entities e "
            + "JOIN user_account u ON u.user_id = e.name WHERE u.enabled = TRUE AND u.blocked = FALSE AND ";

    private final JdbcClient jdbc;

    public PasskeyUsers(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public @Nullable PublicKeyCredentialUserEntity findById(Bytes id) {
        return this.jdbc.sql(SELECT + "e.id = ?")
            .param(id.toBase64UrlString())
            .query((rs, row) -> entity(rs.getString("id"), rs.getString("email"), rs.getString("name")))
            .optional()
            .orElse(null);
    }

    /** The entity of the user whose subject is {@code username}. */
    @Override
    public @Nullable PublicKeyCredentialUserEntity findByUsername(String username) {
        return this.jdbc.sql(SELECT + "e.name = ?")
            .param(username)
            .query((rs, row) -> entity(rs.getString("id"), rs.getString("email"), rs.getString("name")))
            .optional()
            .orElse(null);
    }

    /**
     * Stores a new entity; Spring calls this with the subject as name when a user
     * registers a first passkey. A parallel first registration of the same user keeps the
     * entity stored first.
     */
    @Override
    public void save(PublicKeyCredentialUserEntity userEntity) {
        this.jdbc.sql("INSERT INTO user_entities (id, name, display_name) VALUES (?, ?, ?) ON CONFLICT DO NOTHING")
            .params(userEntity.getId().toBase64UrlString(), userEntity.getName(), userEntity.getDisplayName())
            .update();
    }

    @Override
    public void delete(Bytes id) {
        this.jdbc.sql("DELETE FROM user_entities WHERE id = ?").param(id.toBase64UrlString()).update();
    }

    /**
     * Makes sure the user has an entity (a random user handle), so that concurrent
     * ceremonies of one user all use the same handle; returns the entity.
     */
    public PublicKeyCredentialUserEntity ensure(String userId) {
        PublicKeyCredentialUserEntity existing = findByUsername(userId);
        if (existing != null) {
            return existing;
        }
        save(ImmutablePublicKeyCredentialUserEntity.builder()
            .id(Bytes.random())
            .name(userId)
            .displayName(userId)
            .build());
        PublicKeyCredentialUserEntity stored = findByUsername(userId);
        if (stored == null) {
            throw new IllegalStateException("The user is not active");
        }
        return stored;
    }

    /** The subject of the user whose handle is {@code id}, if the user is active. */
    public Optional<String> subjectOf(Bytes id) {
        return this.jdbc.sql(SELECT.replace("e.id, u.user_id, u.email, u.name", "u.user_id") + "e.id = ?")
            .param(id.toBase64UrlString())
            .query(String.class)
            .optional();
    }

    private static PublicKeyCredentialUserEntity entity(String id, String email, String name) {
        return ImmutablePublicKeyCredentialUserEntity.builder()
            .id(Bytes.fromBase64(id))
            .name(email)
            .displayName((name == null || name.isBlank()) ? email : name)
            .build();
    }

}
