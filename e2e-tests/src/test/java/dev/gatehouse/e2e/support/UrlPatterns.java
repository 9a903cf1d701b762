package dev.gatehouse.e2e.support;

import java.util.regex.Pattern;

/**
 * URL patterns for Playwright's {@code hasURL}. Playwright hands the pattern to the
 * browser as a JavaScript regular expression, which knows no {@code \Q...\E}: so
 * {@link Pattern#quote} cannot be used, and this escapes by hand.
 */
public final class UrlPatterns {

    private UrlPatterns() {
    }

    /** Any URL that starts with the given one. */
    public static Pattern startingWith(String url) {
        return Pattern.compile("^" + escape(url) + "([/?#].*)?$");
    }

    /** Exactly this URL, with or without a trailing slash, query or fragment. */
    public static Pattern exactly(String url) {
        return Pattern.compile("^" + escape(url) + "/?([?#].*)?$");
    }

    static String escape(String literal) {
        return literal.replaceAll("[\\\\^$.|?*+()\\[\\]{}]", "\\\\$0");
    }

}
