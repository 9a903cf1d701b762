package dev.gatehouse.authserver.passkey;

import java.util.AbstractSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Set;

import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.web.webauthn.api.CredentialRecord;
import org.springframework.security.web.webauthn.api.PublicKeyCredentialCreationOptions;
import org.springframework.security.web.webauthn.api.PublicKeyCredentialRequestOptions;
import org.springframework.security.web.webauthn.api.PublicKeyCredentialUserEntity;
import org.springframework.security.web.webauthn.management.PublicKeyCredentialCreationOptionsRequest;
import org.springframework.security.web.webauthn.management.PublicKeyCredentialRequestOptionsRequest;
import org.springframework.security.web.webauthn.management.RelyingPartyAuthenticationRequest;
import org.springframework.security.web.webauthn.management.RelyingPartyRegistrationRequest;
import org.springframework.security.web.webauthn.management.WebAuthnRelyingPartyOperations;

import dev.gatehouse.authserver.https.HttpsPort;

/**
 * The relying party of the hosted pages (login, passkey page, second factor), used by
 * Spring Security's WebAuthn filters: ceremonies from the server's own origins (its HTTP
 * address and its HTTPS address), and registrations only where {@link PasskeyEnrollment}
 * allows them (a refusal is a 403).
 */
public class HostedPasskeys implements WebAuthnRelyingPartyOperations {

    private final WebAuthnRelyingPartyOperations delegate;

    private final PasskeyUsers users;

    private final PasskeyEnrollment enrollment;

    public HostedPasskeys(RelyingParty relyingParty, PasskeyUsers users, PasskeyEnrollment enrollment, String issuer,
            HttpsPort https) {
        this.delegate = relyingParty.operations(new ServerOrigins(issuer, https));
        this.users = users;
        this.enrollment = enrollment;
    }

    @Override
    public PublicKeyCredentialCreationOptions createPublicKeyCredentialCreationOptions(
            PublicKeyCredentialCreationOptionsRequest request) {
        allowed(request.getAuthentication());
        // One handle per user, even when two registrations start together.
        this.users.ensure(request.getAuthentication().getName());
        return this.delegate.createPublicKeyCredentialCreationOptions(request);
    }

    @Override
    public CredentialRecord registerCredential(RelyingPartyRegistrationRequest request) {
        PublicKeyCredentialUserEntity user = this.users.findById(request.getCreationOptions().getUser().getId());
        if (user == null) {
            throw new AccessDeniedException("The account of this registration is not active.");
        }
        return this.delegate.registerCredential(request);
    }

    @Override
    public PublicKeyCredentialRequestOptions createCredentialRequestOptions(
            PublicKeyCredentialRequestOptionsRequest request) {
        return this.delegate.createCredentialRequestOptions(request);
    }

    @Override
    public PublicKeyCredentialUserEntity authenticate(RelyingPartyAuthenticationRequest request) {
        return this.delegate.authenticate(request);
    }

    private void allowed(org.springframework.security.core.Authentication authentication) {
        String refusal = this.enrollment.refusal(authentication);
        if (refusal != null) {
            throw new AccessDeniedException(refusal);
        }
    }

    /**
     * The server's origins, computed at each ceremony: the HTTPS port is known only once
     * the server listens.
     */
    static final class ServerOrigins extends AbstractSet<String> {

        private final String issuer;

        private final HttpsPort https;

        ServerOrigins(String issuer, HttpsPort https) {
            this.issuer = issuer;
            this.https = https;
        }

        private Set<String> current() {
            Set<String> origins = new LinkedHashSet<>();
            origins.add(RelyingParty.origin(this.issuer));
            String httpsIssuer = this.https.issuer();
            if (httpsIssuer != null) {
                origins.add(RelyingParty.origin(httpsIssuer));
            }
            return origins;
        }

        @Override
        public Iterator<String> iterator() {
            return current().iterator();
        }

        @Override
        public int size() {
            return current().size();
        }

    }

}
