package dev.gatehouse.authserver.mfa;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Recovery codes: ten random codes shown once when the first second factor is added, kept
 * only as SHA-256 hashes (each code carries 80 random bits, so a fast hash is enough),
 * and each good for one login: using one deletes it, in the same statement that checks
 * it.
 */
public class RecoveryCodes {

    static final int COUNT = 10;

    private static final String ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";

    private static final SecureRandom RANDOM = new SecureRandom();

    private final JdbcClient jdbc;

    public RecoveryCodes(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Replaces the user's codes with new ones and returns them (the only time they are
     * seen).
     */
    public List<String> renew(String subject) {
        this.jdbc.sql("DELETE FROM user_recovery_code WHERE user_id = ?").param(subject).update();
        List<String> codes = new ArrayList<>();
        for (int i = 0; i < COUNT; i++) {
            String code = newCode();
            codes.add(code);
            this.jdbc.sql("INSERT INTO user_recovery_code (user_id, code_hash) VALUES (?, ?)")
                .params(subject, hash(code))
                .update();
        }
        return codes;
    }

    /** Uses {@code code} for {@code subject}: true if it was one of theirs, now gone. */
    public boolean use(String subject, String code) {
        return this.jdbc.sql("DELETE FROM user_recovery_code WHERE user_id = ? AND code_hash = ?")
            .params(subject, hash(normalise(code)))
            .update() == 1;
    }

    private static String newCode() {
        StringBuilder code = new StringBuilder();
        for (int i = 0; i < 16; i++) {
            if (i > 0 && i % 4 == 0) {
                code.append('-');
            }
            code.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        return code.toString();
    }

    /** Dashes, spaces and case do not matter when a code is typed. */
    static String normalise(String code) {
        String bare = (code == null) ? "" : code.replaceAll("[\\s-]", "").toUpperCase(Locale.ROOT);
        StringBuilder formatted = new StringBuilder();
        for (int i = 0; i < bare.length(); i++) {
            if (i > 0 && i % 4 == 0) {
                formatted.append('-');
            }
            formatted.append(bare.charAt(i));
        }
        return formatted.toString();
    }

    private static String hash(String code) {
        try {
            return HexFormat.of()
                .formatHex(MessageDigest.getInstance("SHA-256").digest(code.getBytes(StandardCharsets.UTF_8)));
        }
        catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException("SHA-256 is part of every JDK", ex);
        }
    }

}
