package dev.gatehouse.authserver.passkey;

import java.security.SecureRandom;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;

import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;

import tools.jackson.databind.json.JsonMapper;

/**
 * The {@code auth_session} of the SDK's passkey API: {@code /passkey/register} and
 * {@code /passkey/challenge} start a ceremony and hand the app a random token; the
 * webauthn grant at {@code /oauth/token} brings it back with the authenticator's answer.
 * Only the token's SHA-256 is stored, with the ceremony (challenge, and for a signup the
 * new user's handle and profile). A session is used once: taking it deletes it, and only
 * the request whose delete removed the row gets it, on any instance.
 */
public class PasskeyAuthSessions {

    /** How long an app has to run the ceremony, as Auth0's {@code timeout}. */
    public static final Duration LIFETIME = Duration.ofMinutes(5);

    private static final SecureRandom RANDOM = new SecureRandom();

    private final JdbcClient jdbc;

    private final Clock clock;

    private final JsonMapper json = JsonMapper.builder().build();

    public PasskeyAuthSessions(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /** Stores {@code ceremony} and returns its {@code auth_session}. */
    public String start(String clientId, Ceremony ceremony) {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        this.jdbc
            .sql("INSERT INTO passkey_auth_session (session_hash, client_id, kind, ceremony, expires_at) "
                    + "VALUES (?, ?, ?, ?, ?)")
            .params(UsedChallenges.sha256(token), clientId, ceremony.kind(), this.json.writeValueAsString(ceremony),
                    Timestamp.from(this.clock.instant().plus(LIFETIME)))
            .update();
        return token;
    }

    /**
     * Takes the ceremony of {@code token} started for {@code clientId}, if it exists, has
     * not expired and was not taken before.
     */
    public Optional<Ceremony> take(@Nullable String token, String clientId) {
        if (token == null || token.isBlank() || token.length() > 200) {
            return Optional.empty();
        }
        String hash = UsedChallenges.sha256(token);
        Optional<Stored> stored = this.jdbc
            .sql("SELECT client_id, ceremony, expires_at FROM passkey_auth_session WHERE session_hash = ?")
            .param(hash)
            .query((rs, row) -> new Stored(rs.getString("client_id"), rs.getString("ceremony"),
                    rs.getTimestamp("expires_at").toInstant()))
            .optional();
        if (stored.isEmpty()
                || this.jdbc.sql("DELETE FROM passkey_auth_session WHERE session_hash = ?").param(hash).update() != 1) {
            return Optional.empty();
        }
        if (!stored.get().clientId().equals(clientId) || !this.clock.instant().isBefore(stored.get().expiresAt())) {
            return Optional.empty();
        }
        return Optional.of(this.json.readValue(stored.get().ceremony(), Ceremony.class));
    }

    /**
     * A started ceremony.
     *
     * @param kind {@code signup} or {@code login}
     * @param challenge the challenge, base64url
     * @param userHandle for a signup, the new user's handle (base64url)
     * @param email for a signup, the new user's email
     * @param name for a signup, the new user's name
     */
    public record Ceremony(String kind, String challenge, @Nullable String userHandle, @Nullable String email,
            @Nullable String name) {

        public static final String SIGNUP = "signup";

        public static final String LOGIN = "login";

    }

    private record Stored(String clientId, String ceremony, Instant expiresAt) {
    }

}
