package dev.gatehouse.authserver.passkey;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.web.webauthn.api.Bytes;

/**
 * WebAuthn challenges already answered, in the database: each challenge may be used for
 * one ceremony, once, across every instance. Spring Security keeps a challenge in the
 * session and removes it when it is read, but two requests of the same session that
 * arrive together both read it before either removal is saved; the primary key here
 * decides which one gets it. Hand-written: Spring Security has no shared challenge
 * ledger.
 */
public class UsedChallenges {

    /** Longer than any ceremony's timeout: after that the challenge is refused anyway. */
    private static final Duration KEEP = Duration.ofMinutes(15);

    private final JdbcClient jdbc;

    private final Clock clock;

    public UsedChallenges(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /** Marks {@code challenge} used; false when it already was. */
    public boolean consume(Bytes challenge) {
        return this.jdbc.sql(
                "INSERT INTO webauthn_challenge_used (challenge_hash, expires_at) VALUES (?, ?) ON CONFLICT DO NOTHING")
            .params(sha256(challenge.toBase64UrlString()), Timestamp.from(this.clock.instant().plus(KEEP)))
            .update() == 1;
    }

    static String sha256(String value) {
        try {
            return HexFormat.of()
                .formatHex(MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8)));
        }
        catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException("SHA-256 is part of every JDK", ex);
        }
    }

}
