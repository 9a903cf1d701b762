package dev.gatehouse.authserver.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import tools.jackson.databind.JsonNode;

/**
 * Clients that misbehave on purpose, each case with its positive control: what a
 * well-behaved client does still works, the hostile variant is refused with an OAuth
 * error and never a 5xx.
 */
class HostileClientTests extends ProtocolTestSupport {

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void refreshTokenHashReadFromTheDatabaseIsNotAcceptedAsTheToken() {
        GrantRaces client = new GrantRaces(this.browser);
        JsonNode tokens = client.tokens("grace@example.com", "Test-Passw0rd");
        String refreshToken = tokens.get("refresh_token").asString();
        String stored = this.jdbc.queryForObject(
                "SELECT refresh_token_value FROM oauth2_authorization WHERE refresh_token_value LIKE 'sha256:%' "
                        + "AND principal_name = (SELECT user_id FROM user_account WHERE email = ?) "
                        + "ORDER BY created_at DESC FETCH FIRST 1 ROWS ONLY",
                String.class, "grace@example.com");
        assertThat(stored).startsWith("sha256:").doesNotContain(refreshToken);

        GrantRaces.assertInvalidGrant(client.refresh(stored));
        assertThat(client.refresh(refreshToken).statusCode()).isEqualTo(200);
    }

}
