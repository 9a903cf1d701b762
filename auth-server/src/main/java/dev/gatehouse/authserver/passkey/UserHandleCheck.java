package dev.gatehouse.authserver.passkey;

import java.util.List;

import org.jspecify.annotations.Nullable;
import org.springframework.security.web.webauthn.api.AuthenticatorAssertionResponse;
import org.springframework.security.web.webauthn.api.Bytes;
import org.springframework.security.web.webauthn.api.CredentialRecord;
import org.springframework.security.web.webauthn.api.PublicKeyCredential;
import org.springframework.security.web.webauthn.api.PublicKeyCredentialCreationOptions;
import org.springframework.security.web.webauthn.api.PublicKeyCredentialDescriptor;
import org.springframework.security.web.webauthn.api.PublicKeyCredentialRequestOptions;
import org.springframework.security.web.webauthn.api.PublicKeyCredentialUserEntity;
import org.springframework.security.web.webauthn.management.PublicKeyCredentialCreationOptionsRequest;
import org.springframework.security.web.webauthn.management.PublicKeyCredentialRequestOptionsRequest;
import org.springframework.security.web.webauthn.management.RelyingPartyAuthenticationRequest;
import org.springframework.security.web.webauthn.management.RelyingPartyRegistrationRequest;
import org.springframework.security.web.webauthn.management.UserCredentialRepository;
import org.springframework.security.web.webauthn.management.WebAuthnRelyingPartyOperations;

/**
 * Spring Security's relying party with the step of the assertion check it leaves out:
 * WebAuthn Level 2 section 7.2, step 6.
 * {@code Webauthn4JRelyingPartyOperations#authenticate} finds the credential by its id
 * and signs in its owner, but never reads the {@code userHandle} the authenticator
 * returned (nor does it hand it to webauthn4j). Here, when the assertion names a user, it
 * must be the credential's owner; and when the ceremony named no credentials
 * ({@code allowCredentials} empty: a passkey sign-in, where the user is not known
 * beforehand), it must name one. Otherwise the assertion is refused with {@link Mismatch}
 * before Spring verifies it, so a refused assertion changes nothing (not the signature
 * counter, not the last use).
 */
final class UserHandleCheck implements WebAuthnRelyingPartyOperations {

    private final WebAuthnRelyingPartyOperations delegate;

    private final UserCredentialRepository credentials;

    UserHandleCheck(WebAuthnRelyingPartyOperations delegate, UserCredentialRepository credentials) {
        this.delegate = delegate;
        this.credentials = credentials;
    }

    @Override
    public PublicKeyCredentialCreationOptions createPublicKeyCredentialCreationOptions(
            PublicKeyCredentialCreationOptionsRequest request) {
        return this.delegate.createPublicKeyCredentialCreationOptions(request);
    }

    @Override
    public CredentialRecord registerCredential(RelyingPartyRegistrationRequest request) {
        return this.delegate.registerCredential(request);
    }

    @Override
    public PublicKeyCredentialRequestOptions createCredentialRequestOptions(
            PublicKeyCredentialRequestOptionsRequest request) {
        return this.delegate.createCredentialRequestOptions(request);
    }

    @Override
    public PublicKeyCredentialUserEntity authenticate(RelyingPartyAuthenticationRequest request) {
        PublicKeyCredential<AuthenticatorAssertionResponse> credential = request.getPublicKey();
        if (credential != null && credential.getRawId() != null && credential.getResponse() != null) {
            CredentialRecord record = this.credentials.findByCredentialId(credential.getRawId());
            // An unknown credential is refused by Spring, as before.
            if (record != null) {
                check(credential.getResponse().getUserHandle(), record.getUserEntityUserId(),
                        identifiedBefore(request.getRequestOptions()));
            }
        }
        return this.delegate.authenticate(request);
    }

    private static void check(@Nullable Bytes userHandle, Bytes owner, boolean identifiedBefore) {
        // Some authenticators send an empty handle for a credential that keeps none.
        if (userHandle == null || userHandle.getBytes().length == 0) {
            if (!identifiedBefore) {
                throw new Mismatch("The passkey's answer names no user (userHandle).");
            }
            return;
        }
        if (!userHandle.equals(owner)) {
            throw new Mismatch("The passkey's answer names another user (userHandle) than the passkey's owner.");
        }
    }

    /** Whether the ceremony asked for the credentials of a user known beforehand. */
    private static boolean identifiedBefore(PublicKeyCredentialRequestOptions options) {
        List<PublicKeyCredentialDescriptor> allowed = (options != null) ? options.getAllowCredentials() : null;
        return allowed != null && !allowed.isEmpty();
    }

    /**
     * An assertion whose {@code userHandle} does not name the credential's owner; its
     * message may be shown.
     */
    static final class Mismatch extends IllegalArgumentException {

        Mismatch(String message) {
            super(message);
        }

    }

}
