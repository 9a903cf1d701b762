package dev.gatehouse.authserver.passkey;

import org.jspecify.annotations.Nullable;
import org.springframework.security.web.webauthn.api.PublicKeyCredentialCreationOptions;
import org.springframework.security.web.webauthn.api.PublicKeyCredentialRequestOptions;
import org.springframework.security.web.webauthn.authentication.HttpSessionPublicKeyCredentialRequestOptionsRepository;
import org.springframework.security.web.webauthn.authentication.PublicKeyCredentialRequestOptionsRepository;
import org.springframework.security.web.webauthn.registration.HttpSessionPublicKeyCredentialCreationOptionsRepository;
import org.springframework.security.web.webauthn.registration.PublicKeyCredentialCreationOptionsRepository;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

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

    static PublicKeyCredentialCreationOptionsRepository creations(UsedChallenges used) {
        HttpSessionPublicKeyCredentialCreationOptionsRepository session = new HttpSessionPublicKeyCredentialCreationOptionsRepository();
        return new PublicKeyCredentialCreationOptionsRepository() {
            @Override
            public void save(HttpServletRequest request, HttpServletResponse response,
                    @Nullable PublicKeyCredentialCreationOptions options) {
                session.save(request, response, options);
            }

            @Override
            public @Nullable PublicKeyCredentialCreationOptions load(HttpServletRequest request) {
                PublicKeyCredentialCreationOptions options = session.load(request);
                return (options != null && used.consume(options.getChallenge())) ? options : null;
            }
        };
    }

}
