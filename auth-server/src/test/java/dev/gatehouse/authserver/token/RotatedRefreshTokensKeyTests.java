package dev.gatehouse.authserver.token;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The row key of a rotated-out refresh token: family, zero-padded generation, hash. */
class RotatedRefreshTokensKeyTests {

    @Test
    void keyWhenTokenNamesItsFamilyThenFamilyPaddedGenerationAndHash() {
        String presented = "fam1lyAbc.42.s3cret-Value_x";
        assertThat(RotatedRefreshTokens.key(presented)).isEqualTo("fam1lyAbc:000000042:" + TokenHasher.hash(presented));
        String last = "fam1lyAbc.999999999.s3cret";
        assertThat(RotatedRefreshTokens.key(last)).isEqualTo("fam1lyAbc:999999999:" + TokenHasher.hash(last));
    }

    @Test
    void keysWhenGenerationsGrowThenSortInIssueOrder() {
        assertThat(RotatedRefreshTokens.key("fam1lyAbc.9.a")).isLessThan(RotatedRefreshTokens.key("fam1lyAbc.10.a"));
    }

    @Test
    void keyWhenTokenNamesNoFamilyThenBareHash() {
        assertThat(RotatedRefreshTokens.key("opaque")).isEqualTo(TokenHasher.hash("opaque"));
    }

}
