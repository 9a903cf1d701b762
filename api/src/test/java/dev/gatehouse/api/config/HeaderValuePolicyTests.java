package dev.gatehouse.api.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/**
 * The firewall's header-value rule without its regular expression must allow and refuse
 * exactly what the expression does: Spring Security's own pattern is the reference here,
 * on edge cases and random strings drawn from every Unicode plane, including lone
 * surrogates and unassigned code points.
 */
class HeaderValuePolicyTests {

    /** The expression {@code StrictHttpFirewall} applies by default. */
    private static final Pattern SPRING = Pattern.compile("[\\p{IsAssigned}&&[^\\p{IsControl}]]*");

    @Test
    void edgeCasesMatchTheFirewallsExpression() {
        for (String value : List.of("", "Bearer eyJ.abc.def", "a\u0000b", "tab\there", "line\nbreak", "del\u007f",
                "c1\u0085", "nbsp\u00a0", "é", "\u0378", "\ud83d\ude00", "\ud83d", "\ude00x", "\ufffe", "\uffff",
                "\u200b", "\ue000", new String(Character.toChars(0xE0001)), new String(Character.toChars(0x10FFFF)))) {
            assertThat(HeaderValuePolicy.allowed(value)).as("%s", value.codePoints().boxed().toList())
                .isEqualTo(SPRING.matcher(value).matches());
        }
    }

    @Test
    void randomValuesMatchTheFirewallsExpression() {
        Random random = new Random(7230);
        int refused = 0;
        for (int n = 0; n < 50_000; n++) {
            StringBuilder value = new StringBuilder();
            int length = random.nextInt(6);
            for (int i = 0; i < length; i++) {
                switch (random.nextInt(4)) {
                    case 0 -> value.append((char) (0x20 + random.nextInt(0x5f)));
                    case 1 -> value.append((char) random.nextInt(0x100));
                    case 2 -> value.append((char) random.nextInt(0x10000));
                    default -> value.appendCodePoint(random.nextInt(Character.MAX_CODE_POINT + 1));
                }
            }
            boolean expected = SPRING.matcher(value).matches();
            refused += expected ? 0 : 1;
            assertThat(HeaderValuePolicy.allowed(value.toString())).as("%s", value.codePoints().boxed().toList())
                .isEqualTo(expected);
        }
        assertThat(refused).as("the sample exercises both answers").isGreaterThan(1000);
    }

}
