package dev.gatehouse.authserver.token;

import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;

import org.jspecify.annotations.Nullable;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientCredentialsAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.web.authentication.OAuth2ClientCredentialsAuthenticationConverter;
import org.springframework.security.web.authentication.AuthenticationConverter;

import dev.gatehouse.authserver.tenant.ClientGrant;
import dev.gatehouse.authserver.tenant.TenantDirectory;

import jakarta.servlet.http.HttpServletRequest;

/**
 * Auth0's {@code client_credentials} semantics on top of SAS's converter: an
 * {@code audience} is required and must be an API the machine client holds a client grant
 * for; without {@code scope} the token carries every granted scope, and a requested scope
 * outside the grant is refused (Auth0: {@code access_denied}).
 */
public class ClientCredentialsAudienceConverter implements AuthenticationConverter {

    private final AuthenticationConverter delegate = new OAuth2ClientCredentialsAuthenticationConverter();

    private final TenantDirectory tenants;

    public ClientCredentialsAudienceConverter(TenantDirectory tenants) {
        this.tenants = tenants;
    }

    @Override
    public @Nullable Authentication convert(HttpServletRequest request) {
        Authentication converted = this.delegate.convert(request);
        // Without client authentication the principal is whatever else authenticated the
        // request (a browser's SSO session): SAS's provider answers invalid_client for
        // it.
        if (!(converted instanceof OAuth2ClientCredentialsAuthenticationToken token)
                || !(token.getPrincipal() instanceof OAuth2ClientAuthenticationToken client)) {
            return converted;
        }
        String clientId = client.getRegisteredClient() != null ? client.getRegisteredClient().getClientId()
                : String.valueOf(client.getPrincipal());
        Object audience = token.getAdditionalParameters().get(Auth0TokenCustomizer.AUDIENCE);
        if (!(audience instanceof String aud) || aud.isEmpty()) {
            throw denied(OAuth2ErrorCodes.ACCESS_DENIED,
                    "No audience parameter was provided, and no default audience has been configured");
        }
        if (this.tenants.findResourceServer(aud).isEmpty()) {
            throw denied(OAuth2ErrorCodes.ACCESS_DENIED, "Service not found: " + aud);
        }
        Optional<ClientGrant> grant = this.tenants.findClientGrant(clientId, aud);
        if (grant.isEmpty()) {
            throw denied(OAuth2ErrorCodes.ACCESS_DENIED, "Client \"" + clientId + "\" is not authorized to access \""
                    + aud + "\". You need to create a " + "client-grant associated to this API.");
        }
        Set<String> scopes = new LinkedHashSet<>(token.getScopes());
        if (scopes.isEmpty()) {
            scopes.addAll(grant.get().scope());
        }
        else if (!grant.get().scope().containsAll(scopes)) {
            Set<String> extra = new LinkedHashSet<>(scopes);
            extra.removeAll(grant.get().scope());
            throw denied(OAuth2ErrorCodes.ACCESS_DENIED,
                    "Client has not been granted scopes: " + String.join(", ", extra));
        }
        return new OAuth2ClientCredentialsAuthenticationToken(client, scopes, token.getAdditionalParameters());
    }

    private static OAuth2AuthenticationException denied(String code, String description) {
        return new OAuth2AuthenticationException(new OAuth2Error(code, description, null));
    }

}
