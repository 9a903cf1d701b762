package dev.gatehouse.api.config;

import org.springframework.security.web.firewall.StrictHttpFirewall;

/**
 * The header values {@link StrictHttpFirewall} lets through by default (every code point
 * assigned in Unicode and not a control character), decided in one loop instead of the
 * regular expression the firewall runs on every header it hands out. The
 * {@code Authorization} header of each API call carries a ~1 KB token, so the expression
 * cost about as much CPU as checking the token's claims; {@code HeaderValuePolicyTests}
 * holds the two to the same answers.
 */
final class HeaderValuePolicy {

    private HeaderValuePolicy() {
    }

    static boolean allowed(String value) {
        for (int i = 0; i < value.length();) {
            char c = value.charAt(i);
            if (c >= 0x20 && c < 0x7f) {
                i++; // printable ASCII, all a token is made of: assigned and not a
                     // control character
                continue;
            }
            int codePoint = value.codePointAt(i);
            int type = Character.getType(codePoint);
            if (type == Character.UNASSIGNED || type == Character.CONTROL) {
                return false;
            }
            i += Character.charCount(codePoint);
        }
        return true;
    }

}
