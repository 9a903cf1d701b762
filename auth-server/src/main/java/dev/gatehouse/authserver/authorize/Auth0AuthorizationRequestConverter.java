package dev.gatehouse.authserver.authorize;

import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;

import org.jspecify.annotations.Nullable;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.oidc.OidcScopes;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.web.authentication.OAuth2AuthorizationCodeRequestAuthenticationConverter;
import org.springframework.security.web.authentication.AuthenticationConverter;

import dev.gatehouse.authserver.tenant.ResourceServer;
import dev.gatehouse.authserver.tenant.TenantClient;
import dev.gatehouse.authserver.tenant.TenantDirectory;

import jakarta.servlet.http.HttpServletRequest;

/**
 * Narrows the requested scopes as Auth0 does before SAS validates them: OIDC scopes plus the scopes the requested
 * API declares survive; anything else is dropped silently (SAS would answer {@code invalid_scope}).
 * {@code offline_access} survives only when the client may use refresh tokens and the API allows offline access.
 */
public class Auth0AuthorizationRequestConverter implements AuthenticationConverter {

    static final Set<String> OIDC_SCOPES = Set.of(OidcScopes.OPENID, OidcScopes.PROFILE, OidcScopes.EMAIL);

    private final AuthenticationConverter delegate = new OAuth2AuthorizationCodeRequestAuthenticationConverter();
    private final TenantDirectory tenants;

    public Auth0AuthorizationRequestConverter(TenantDirectory tenants) {
        this.tenants = tenants;
    }

    @Override
    public @Nullable Authentication convert(HttpServletRequest request) {
        Authentication converted = this.delegate.convert(request);
        if (!(converted instanceof OAuth2AuthorizationCodeRequestAuthenticationToken token)) {
            return converted;
        }
        Optional<TenantClient> client = this.tenants.findClient(token.getClientId());
        if (client.isEmpty()) {
            return converted;
        }
        Object audience = token.getAdditionalParameters().get("audience");
        Optional<ResourceServer> api = Optional.empty();
        if (audience instanceof String aud && !aud.isEmpty()) {
            api = this.tenants.findResourceServer(aud);
            if (api.isEmpty()) {
                return converted; // AudienceValidator reports the unknown API
            }
        }
        Set<String> allowed = new LinkedHashSet<>(OIDC_SCOPES);
        api.ifPresent(a -> a.scopes().forEach(s -> allowed.add(s.value())));
        if (client.get().grantTypes().contains("refresh_token")
                && api.map(ResourceServer::allowOfflineAccess).orElse(true)) {
            allowed.add("offline_access");
        }
        Set<String> scopes = new LinkedHashSet<>(token.getScopes());
        scopes.retainAll(allowed);
        if (scopes.equals(token.getScopes())) {
            return converted;
        }
        return new OAuth2AuthorizationCodeRequestAuthenticationToken(token.getAuthorizationUri(), token.getClientId(),
                (Authentication) token.getPrincipal(), token.getRedirectUri(), token.getState(), scopes,
                token.getAdditionalParameters());
    }
}
