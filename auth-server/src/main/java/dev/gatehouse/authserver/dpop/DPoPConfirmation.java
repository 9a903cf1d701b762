package dev.gatehouse.authserver.dpop;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.token.JwtEncodingContext;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenContext;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenCustomizer;

import dev.gatehouse.authserver.client.TenantRegisteredClientRepository;
import dev.gatehouse.authserver.tenant.ResourceServer;
import dev.gatehouse.authserver.tenant.TenantClient;
import dev.gatehouse.authserver.tenant.TenantDirectory;

/**
 * Binds an access token to the key of the request's DPoP proof ({@code cnf.jkt}, RFC 9449
 * section 6; auth0-compatibility D-2), after {@code Auth0TokenCustomizer} has shaped it;
 * SAS then answers {@code token_type: DPoP}. SAS does this in a customizer of its own,
 * but only in the token generator it assembles itself, and ours is declared as a bean
 * (for refresh tokens of public clients), so the step is here.
 *
 * <p>
 * It also refuses a token that must be sender-constrained and has no proof
 * (auth0-compatibility D-4): the client's {@code require_proof_of_possession}, or an API
 * in the token's {@code aud} with {@code proof_of_possession.required}. Nothing is stored
 * when it refuses (the code stays unused, the refresh token unrotated), so the client may
 * repeat the request with a proof.
 */
public final class DPoPConfirmation implements OAuth2TokenCustomizer<JwtEncodingContext> {

    private final TenantDirectory tenants;

    DPoPConfirmation(TenantDirectory tenants) {
        this.tenants = tenants;
    }

    @Override
    public void customize(JwtEncodingContext context) {
        if (!OAuth2TokenType.ACCESS_TOKEN.equals(context.getTokenType())) {
            return;
        }
        Jwt proof = context.get(OAuth2TokenContext.DPOP_PROOF_KEY);
        if (proof == null) {
            requireNoProof(context);
            return;
        }
        Map<String, Object> confirmation = new LinkedHashMap<>();
        confirmation.put("jkt", TokenEndpointProofs.thumbprint(proof));
        context.getClaims().claim("cnf", confirmation);
    }

    private void requireNoProof(JwtEncodingContext context) {
        TenantClient client = TenantRegisteredClientRepository.tenantClient(context.getRegisteredClient());
        if (client != null && client.requireProofOfPossession()) {
            throw required("the application " + client.clientId() + " requires sender-constrained tokens");
        }
        List<String> audiences = context.getClaims().build().getAudience();
        if (audiences == null) {
            return;
        }
        for (String audience : audiences) {
            if (this.tenants.findResourceServer(audience).filter(ResourceServer::requiresDPoP).isPresent()) {
                throw required("the API " + audience + " requires sender-constrained tokens");
            }
        }
    }

    private static OAuth2AuthenticationException required(String why) {
        return new OAuth2AuthenticationException(
                new OAuth2Error(OAuth2ErrorCodes.INVALID_DPOP_PROOF, "A DPoP proof is required: " + why, null));
    }

}
