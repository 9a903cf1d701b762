package dev.gatehouse.authserver.authorize;

import org.jspecify.annotations.Nullable;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationConsent;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationConsentService;

/**
 * Saving a consent twice at the same moment must not fail. SAS's JDBC service looks the
 * consent up and then inserts or updates it; when the same user approves the same
 * application in two tabs (or two concurrent logins of a test harness), both look, both
 * find nothing, and the second insert breaks the primary key, which reached the browser
 * as a 500. Here a save that loses that race is done again, and the second attempt finds
 * the row and updates it.
 */
public final class IdempotentConsentService implements OAuth2AuthorizationConsentService {

    private final OAuth2AuthorizationConsentService delegate;

    public IdempotentConsentService(OAuth2AuthorizationConsentService delegate) {
        this.delegate = delegate;
    }

    @Override
    public void save(OAuth2AuthorizationConsent consent) {
        try {
            this.delegate.save(consent);
        }
        catch (DuplicateKeyException raced) {
            this.delegate.save(consent);
        }
    }

    @Override
    public void remove(OAuth2AuthorizationConsent consent) {
        this.delegate.remove(consent);
    }

    @Override
    public @Nullable OAuth2AuthorizationConsent findById(String registeredClientId, String principalName) {
        return this.delegate.findById(registeredClientId, principalName);
    }

}
