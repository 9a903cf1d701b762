package dev.gatehouse.authserver.passkey;

import java.io.Serializable;
import java.time.Duration;

import org.jspecify.annotations.Nullable;
import org.springframework.security.web.webauthn.api.AttestationConveyancePreference;
import org.springframework.security.web.webauthn.api.Bytes;
import org.springframework.security.web.webauthn.api.ImmutablePublicKeyCredentialUserEntity;
import org.springframework.security.web.webauthn.api.PublicKeyCredentialParameters;
import org.springframework.security.web.webauthn.api.PublicKeyCredentialRpEntity;
import org.springframework.security.web.webauthn.api.PublicKeyCredentialCreationOptions;
import org.springframework.security.web.webauthn.api.PublicKeyCredentialRequestOptions;
import org.springframework.security.web.webauthn.authentication.HttpSessionPublicKeyCredentialRequestOptionsRepository;
import org.springframework.security.web.webauthn.authentication.PublicKeyCredentialRequestOptionsRepository;
import org.springframework.security.web.webauthn.registration.PublicKeyCredentialCreationOptionsRepository;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;

/**
 * Spring Security's session-held ceremony options, each handed out for one answer only:
 * reading the options to verify an answer consumes their challenge in
 * {@link UsedChallenges}, so a replayed answer finds nothing to be checked against.
 */
final class OneTimeChallenges {

    private OneTimeChallenges() {
    }

    static PublicKeyCredentialRequestOptionsRepository requests(UsedChallenges used) {
        HttpSessionPublicKeyCredentialRequestOptionsRepository session = new HttpSessionPublicKeyCredentialRequestOptionsRepository();
        return new PublicKeyCredentialRequestOptionsRepository() {
            @Override
            public void save(HttpServletRequest request, HttpServletResponse response,
                    @Nullable PublicKeyCredentialRequestOptions options) {
                session.save(request, response, options);
            }

            @Override
            public @Nullable PublicKeyCredentialRequestOptions load(HttpServletRequest request) {
                PublicKeyCredentialRequestOptions options = session.load(request);
                return (options != null && used.consume(options.getChallenge())) ? options : null;
            }
        };
    }

    /**
     * Registration options in the session as a serializable snapshot: Spring's
     * {@code PublicKeyCredentialCreationOptions} is not {@code Serializable}, and the
     * session lives in the database (Spring Session JDBC). What the verification reads
     * (challenge, RP, user, algorithms, user verification) is rebuilt from it.
     */
    static PublicKeyCredentialCreationOptionsRepository creations(UsedChallenges used) {
        String attribute = OneTimeChallenges.class.getName() + ".CREATION";
        return new PublicKeyCredentialCreationOptionsRepository() {
            @Override
            public void save(HttpServletRequest request, HttpServletResponse response,
                    @Nullable PublicKeyCredentialCreationOptions options) {
                if (options == null) {
                    HttpSession session = request.getSession(false);
                    if (session != null) {
                        session.removeAttribute(attribute);
                    }
                    return;
                }
                request.getSession()
                    .setAttribute(attribute,
                            new Creation(options.getChallenge().getBytes(), options.getRp().getId(),
                                    options.getRp().getName(), options.getUser().getId().getBytes(),
                                    options.getUser().getName(), options.getUser().getDisplayName()));
            }

            @Override
            public @Nullable PublicKeyCredentialCreationOptions load(HttpServletRequest request) {
                HttpSession session = request.getSession(false);
                Object stored = (session != null) ? session.getAttribute(attribute) : null;
                if (!(stored instanceof Creation creation)) {
                    return null;
                }
                PublicKeyCredentialCreationOptions options = creation.options();
                return used.consume(options.getChallenge()) ? options : null;
            }
        };
    }

    /** What a registration's verification needs of its options. */
    record Creation(byte[] challenge, String rpId, String rpName, byte[] userId, String userName,
            String displayName) implements Serializable {

        PublicKeyCredentialCreationOptions options() {
            return PublicKeyCredentialCreationOptions.builder()
                .attestation(AttestationConveyancePreference.NONE)
                .pubKeyCredParams(PublicKeyCredentialParameters.EdDSA, PublicKeyCredentialParameters.ES256,
                        PublicKeyCredentialParameters.RS256)
                .authenticatorSelection(RelyingParty.selection())
                .challenge(new Bytes(this.challenge))
                .timeout(Duration.ofMinutes(5))
                .user(ImmutablePublicKeyCredentialUserEntity.builder()
                    .id(new Bytes(this.userId))
                    .name(this.userName)
                    .displayName(this.displayName)
                    .build())
                .rp(PublicKeyCredentialRpEntity.builder().id(this.rpId).name(this.rpName).build())
                .build();
        }

    }

}
