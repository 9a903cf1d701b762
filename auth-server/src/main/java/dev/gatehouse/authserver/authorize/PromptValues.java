package dev.gatehouse.authserver.authorize;

import java.util.Arrays;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * The values of an authorization request's {@code prompt}: a space-separated list (OIDC
 * Core 3.1.2.1), as every check of {@code /authorize} reads it.
 */
public final class PromptValues {

    private PromptValues() {
    }

    /** The values of {@code prompt}, none when it is absent or not text. */
    public static List<String> of(@Nullable Object prompt) {
        return (prompt instanceof String text) ? Arrays.asList(text.split(" ")) : List.of();
    }

}
