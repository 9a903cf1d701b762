package dev.gatehouse.testkit.runtime;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;

/**
 * Hashes the passwords of a tenant built in a test once per JVM instead of once per
 * server. Each bcrypt hash (cost 10, what the server's encoder makes) takes a noticeable
 * part of a warm start, and test classes usually declare the same users with the same
 * passwords. The tenant then carries {@code password_hash}, which the server imports as
 * it is: the stored hash, and every later login check, are what {@code password} gives.
 */
final class PasswordHashes {

    private static final PasswordEncoder ENCODER = PasswordEncoderFactories.createDelegatingPasswordEncoder();

    private static final Map<String, String> HASHES = new ConcurrentHashMap<>();

    private PasswordHashes() {
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> hashed(Map<String, Object> tenant) {
        if (!(tenant.get("users") instanceof List<?> users)) {
            return tenant;
        }
        List<Map<String, Object>> hashedUsers = new ArrayList<>();
        for (Object entry : users) {
            Map<String, Object> user = new LinkedHashMap<>((Map<String, Object>) entry);
            if (user.remove("password") instanceof String password) {
                user.put("password_hash", HASHES.computeIfAbsent(password, ENCODER::encode));
            }
            hashedUsers.add(user);
        }
        Map<String, Object> copy = new LinkedHashMap<>(tenant);
        copy.put("users", hashedUsers);
        return copy;
    }

}
