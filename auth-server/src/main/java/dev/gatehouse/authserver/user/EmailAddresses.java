package dev.gatehouse.authserver.user;

import java.util.regex.Pattern;

/**
 * What Gatehouse takes for an email address, wherever one enters: the tenant file and the
 * SDK's passkey signup. A sanity check, not RFC 5322: one {@code @}, a dot in the domain,
 * and none of what no mailbox in use has but a store or a token would carry along:
 * control, format, private-use, unassigned and lone surrogate characters ({@code \p{C}};
 * among them NUL, which a PostgreSQL text cannot hold), any Unicode space, and the
 * specials RFC 5322 allows only in quoted local parts.
 */
public final class EmailAddresses {

    private static final String PART = "[^@\\s\\p{C}<>()\\[\\]\\\\,;:\"]+";

    private static final Pattern ADDRESS = Pattern.compile("^" + PART + "@" + PART + "\\." + PART + "$",
            Pattern.UNICODE_CHARACTER_CLASS);

    /** The longest address accepted (RFC 5321's limits for its parts add up to this). */
    public static final int MAX_LENGTH = 320;

    private EmailAddresses() {
    }

    public static boolean isWellFormed(String address) {
        return address.length() <= MAX_LENGTH && ADDRESS.matcher(address).matches();
    }

}
