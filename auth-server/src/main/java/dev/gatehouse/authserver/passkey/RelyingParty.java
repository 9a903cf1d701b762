package dev.gatehouse.authserver.passkey;

import java.net.URI;
import java.util.Set;

import org.springframework.security.web.webauthn.api.AuthenticatorSelectionCriteria;
import org.springframework.security.web.webauthn.api.PublicKeyCredentialRpEntity;
import org.springframework.security.web.webauthn.api.ResidentKeyRequirement;
import org.springframework.security.web.webauthn.api.UserVerificationRequirement;
import org.springframework.security.web.webauthn.management.WebAuthnRelyingPartyOperations;
import org.springframework.security.web.webauthn.management.Webauthn4JRelyingPartyOperations;

/**
 * Spring Security's webauthn4j relying party, set up the one way Gatehouse uses it:
 * discoverable credentials (passkeys), user verification required at every ceremony (so a
 * passkey is a multi-factor login on its own), no attestation.
 */
public final class RelyingParty {

    private final PasskeyUsers users;

    private final PasskeyCredentials credentials;

    private final PublicKeyCredentialRpEntity rp;

    public RelyingParty(PasskeyUsers users, PasskeyCredentials credentials, PasskeyProperties properties,
            String issuer) {
        this.users = users;
        this.credentials = credentials;
        String rpId = (properties.rpId() != null && !properties.rpId().isBlank()) ? properties.rpId()
                : URI.create(issuer).getHost();
        this.rp = PublicKeyCredentialRpEntity.builder().id(rpId).name(properties.rpName()).build();
    }

    /** The relying party's id and name. */
    public PublicKeyCredentialRpEntity rp() {
        return this.rp;
    }

    /**
     * Operations that accept ceremonies from {@code origins} (read at every ceremony, so
     * a live view may grow), checking that an assertion's user handle names the passkey's
     * owner ({@link UserHandleCheck}).
     */
    public WebAuthnRelyingPartyOperations operations(Set<String> origins) {
        Webauthn4JRelyingPartyOperations operations = new Webauthn4JRelyingPartyOperations(this.users, this.credentials,
                this.rp, origins);
        operations.setCustomizeCreationOptions((options) -> options.authenticatorSelection(selection()));
        operations
            .setCustomizeRequestOptions((options) -> options.userVerification(UserVerificationRequirement.REQUIRED));
        return new UserHandleCheck(operations, this.credentials);
    }

    static AuthenticatorSelectionCriteria selection() {
        return AuthenticatorSelectionCriteria.builder()
            .residentKey(ResidentKeyRequirement.REQUIRED)
            .userVerification(UserVerificationRequirement.REQUIRED)
            .build();
    }

    /** The origin ({@code scheme://host[:port]}) of a URL. */
    public static String origin(String url) {
        URI uri = URI.create(url);
        return uri.getScheme() + "://" + uri.getHost() + ((uri.getPort() > 0) ? ":" + uri.getPort() : "");
    }

}
