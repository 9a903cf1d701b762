package dev.gatehouse.authserver.user;

/**
 * What Gatehouse takes for a person's name from a client (the SDK's passkey signup),
 * which then shows in ID tokens, {@code /userinfo} and every app that greets the user.
 * Refused: control characters (NUL, which PostgreSQL cannot store, among them) and the
 * line and paragraph separators; the bidirectional embedding, override and isolate
 * controls, which make a name display as other text than it holds; the invisible
 * zero-width space, word joiner and byte order mark; lone surrogates, which are no text
 * at all; and noncharacters. Other format characters stay allowed: the zero-width joiner
 * and non-joiner, variation selectors and tag characters are how emoji, flags and several
 * scripts are written. This is a check of what a name may hold, not a detection of
 * look-alike names (which would need ICU's confusable data for one field).
 */
public final class DisplayNames {

    private DisplayNames() {
    }

    public static boolean isAcceptable(String name) {
        return name.codePoints().noneMatch(DisplayNames::isRefused);
    }

    private static boolean isRefused(int codePoint) {
        boolean loneSurrogate = codePoint >= Character.MIN_SURROGATE && codePoint <= Character.MAX_SURROGATE;
        return Character.isISOControl(codePoint) || loneSurrogate || isBidirectionalControl(codePoint)
                || isInvisibleOrBreaking(codePoint) || isNoncharacter(codePoint);
    }

    private static boolean isBidirectionalControl(int codePoint) {
        return (codePoint >= 0x202A && codePoint <= 0x202E) || (codePoint >= 0x2066 && codePoint <= 0x2069)
                || codePoint == 0x200E || codePoint == 0x200F || codePoint == 0x061C;
    }

    private static boolean isInvisibleOrBreaking(int codePoint) {
        return codePoint == 0x200B || codePoint == 0x2060 || codePoint == 0xFEFF || codePoint == 0x2028
                || codePoint == 0x2029;
    }

    private static boolean isNoncharacter(int codePoint) {
        return (codePoint >= 0xFDD0 && codePoint <= 0xFDEF) || (codePoint & 0xFFFE) == 0xFFFE;
    }

}
