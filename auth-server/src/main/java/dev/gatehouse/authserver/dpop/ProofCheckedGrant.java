package dev.gatehouse.authserver.dpop;

import org.jspecify.annotations.Nullable;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationGrantAuthenticationToken;

/**
 * Puts {@link TokenEndpointProofs} in front of a grant's provider: a token request that
 * carries a DPoP proof reaches the provider only once the proof passed every check (and
 * its {@code jti} is spent), so SAS's own check, the binding ({@code cnf.jkt}) and the
 * token type {@code DPoP} then follow from a proof known to be good. Runs before the
 * grant's database transaction, in its own statement.
 */
public final class ProofCheckedGrant implements AuthenticationProvider {

    private final AuthenticationProvider delegate;

    private final TokenEndpointProofs proofs;

    ProofCheckedGrant(AuthenticationProvider delegate, TokenEndpointProofs proofs) {
        this.delegate = delegate;
        this.proofs = proofs;
    }

    @Override
    public @Nullable Authentication authenticate(Authentication authentication) throws AuthenticationException {
        if (authentication instanceof OAuth2AuthorizationGrantAuthenticationToken grant) {
            this.proofs.verifyIfPresent(grant);
        }
        return this.delegate.authenticate(authentication);
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return this.delegate.supports(authentication);
    }

}
