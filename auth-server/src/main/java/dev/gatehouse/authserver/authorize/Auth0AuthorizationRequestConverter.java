package dev.gatehouse.authserver.authorize;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
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
 * Shapes an authorization request the way Auth0 reads it, before SAS validates it:
 * <ul>
 * <li>Scopes are narrowed: OIDC scopes plus the scopes the requested API declares
 * survive; anything else is dropped silently (SAS would answer {@code invalid_scope}).
 * {@code offline_access} survives only when the client may use refresh tokens and the API
 * allows offline access.</li>
 * <li>A missing {@code redirect_uri} means the client's first callback
 * (auth0-compatibility A-8): spa-js leaves it out of a redirect login when the app
 * configures none, and SAS would refuse an OpenID request without one. The request is
 * marked ({@link #DEFAULT_REDIRECT_URI}) so the code exchange, which then carries no
 * {@code redirect_uri} either, is matched against the same callback; a marker sent by the
 * client itself is dropped.</li>
 * </ul>
 */
public class Auth0AuthorizationRequestConverter implements AuthenticationConverter {

    static final Set<String> OIDC_SCOPES = Set.of(OidcScopes.OPENID, OidcScopes.PROFILE, OidcScopes.EMAIL);

    /**
     * Additional parameter stored with an authorization request whose redirect_uri was
     * filled in here.
     */
    public static final String DEFAULT_REDIRECT_URI = "gatehouse:default_redirect_uri";

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
        Map<String, Object> additional = new LinkedHashMap<>(token.getAdditionalParameters());
        boolean changed = additional.remove(DEFAULT_REDIRECT_URI) != null;
        String redirectUri = token.getRedirectUri();
        if ((redirectUri == null || redirectUri.isEmpty()) && client.isPresent()
                && !client.get().callbacks().isEmpty()) {
            redirectUri = client.get().callbacks().get(0);
            additional.put(DEFAULT_REDIRECT_URI, "true");
            changed = true;
        }
        Set<String> scopes = new LinkedHashSet<>(token.getScopes());
        if (client.isPresent()) {
            changed |= narrowScopes(scopes, client.get(), additional.get("audience"));
        }
        if (!changed) {
            return converted;
        }
        return new OAuth2AuthorizationCodeRequestAuthenticationToken(token.getAuthorizationUri(), token.getClientId(),
                (Authentication) token.getPrincipal(), redirectUri, token.getState(), scopes, additional);
    }

    /** Drops what Auth0 would drop; true when something was dropped. */
    private boolean narrowScopes(Set<String> scopes, TenantClient client, @Nullable Object audience) {
        Optional<ResourceServer> api = Optional.empty();
        if (audience instanceof String aud && !aud.isEmpty()) {
            api = this.tenants.findResourceServer(aud);
            if (api.isEmpty()) {
                return false; // AudienceValidator reports the unknown API
            }
        }
        Set<String> allowed = new LinkedHashSet<>(OIDC_SCOPES);
        api.ifPresent(a -> a.scopes().forEach(s -> allowed.add(s.value())));
        if (client.grantTypes().contains("refresh_token") && api.map(ResourceServer::allowOfflineAccess).orElse(true)) {
            allowed.add("offline_access");
        }
        return scopes.retainAll(allowed);
    }

}
