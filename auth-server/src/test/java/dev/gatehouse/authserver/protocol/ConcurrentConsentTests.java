package dev.gatehouse.authserver.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.oauth2.server.authorization.JdbcOAuth2AuthorizationConsentService;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationConsent;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;

import dev.gatehouse.authserver.authorize.IdempotentConsentService;

/**
 * The same user approving the same application twice at the same moment (two tabs,
 * parallel test logins): SAS looks the consent up, then inserts it, so both inserts could
 * run and the second one answered a 500.
 */
class ConcurrentConsentTests extends ProtocolTestSupport {

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    RegisteredClientRepository clients;

    @Test
    void consentSaveThatLosesTheInsertRaceUpdatesTheRowInstead() {
        RegisteredClient spa = this.clients.findByClientId(OAuthTestClient.SPA);
        String principal = "auth0|race-" + System.nanoTime();
        JdbcOAuth2AuthorizationConsentService store = new JdbcOAuth2AuthorizationConsentService(this.jdbc,
                this.clients);
        store.save(OAuth2AuthorizationConsent.withId(spa.getId(), principal).scope("openid").build());
        OAuth2AuthorizationConsent wider = OAuth2AuthorizationConsent.withId(spa.getId(), principal)
            .scope("openid")
            .scope("read:messages")
            .build();

        // What the loser of the race sees: its lookup ran before the winner's insert
        assertThatExceptionOfType(DuplicateKeyException.class).isThrownBy(() -> staleFirstLookup().save(wider));
        new IdempotentConsentService(staleFirstLookup()).save(wider);

        assertThat(store.findById(spa.getId(), principal).getScopes()).containsExactlyInAnyOrder("openid",
                "read:messages");
    }

    /**
     * A consent store whose first lookup misses, as a lookup that ran just before a
     * concurrent insert does.
     */
    private JdbcOAuth2AuthorizationConsentService staleFirstLookup() {
        return new JdbcOAuth2AuthorizationConsentService(this.jdbc, this.clients) {
            private boolean stale = true;

            @Override
            public OAuth2AuthorizationConsent findById(String registeredClientId, String principalName) {
                if (this.stale) {
                    this.stale = false;
                    return null;
                }
                return super.findById(registeredClientId, principalName);
            }
        };
    }

}
