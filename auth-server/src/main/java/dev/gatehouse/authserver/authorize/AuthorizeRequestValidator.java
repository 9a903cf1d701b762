package dev.gatehouse.authserver.authorize;

import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationContext;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationException;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;

import dev.gatehouse.authserver.client.TenantRegisteredClientRepository;
import dev.gatehouse.authserver.dpop.AuthorizationCodeBinding;
import dev.gatehouse.authserver.tenant.TenantClient;
import dev.gatehouse.authserver.tenant.TenantDirectory;

/**
 * Checks SAS does not know about, run after its own (client, redirect_uri, scope, PKCE,
 * prompt) checks:
 * <ul>
 * <li>{@code audience} must name an API of the tenant; otherwise Auth0's
 * {@code access_denied} / {@code Service not found: <audience>}, sent to the (already
 * validated) redirect URI with {@code state};</li>
 * <li>{@code response_mode} must be {@code query} or {@code web_message}; otherwise
 * {@code invalid_request} at the redirect URI, in the query;</li>
 * <li>{@code response_mode=web_message} posts the result to the redirect URI's origin,
 * which must be one of the client's web origins (Auth0's "Allowed Web Origins");
 * otherwise an error page, never a message to a stranger;</li>
 * <li>{@code max_age}, when given, must be a whole number of seconds, 0 or more;
 * otherwise {@code invalid_request} at the redirect URI.</li>
 * <li>{@code dpop_jkt}, when given, must be a JWK SHA-256 thumbprint (43 base64url
 * characters); otherwise {@code invalid_request} at the redirect URI. The code is then
 * bound to that key ({@code AuthorizationCodeBinding}).</li>
 * </ul>
 */
public class AuthorizeRequestValidator implements Consumer<OAuth2AuthorizationCodeRequestAuthenticationContext> {

    private static final Logger log = LoggerFactory.getLogger(AuthorizeRequestValidator.class);

    private final TenantDirectory tenants;

    public AuthorizeRequestValidator(TenantDirectory tenants) {
        this.tenants = tenants;
    }

    @Override
    public void accept(OAuth2AuthorizationCodeRequestAuthenticationContext context) {
        OAuth2AuthorizationCodeRequestAuthenticationToken request = context.getAuthentication();
        RegisteredClient client = context.getRegisteredClient();
        String redirectUri = AuthorizationResponses.redirectUri(request, client);

        Object responseMode = request.getAdditionalParameters().get("response_mode");
        if (responseMode instanceof String mode && !mode.isEmpty()
                && !AuthorizationResponses.RESPONSE_MODES.contains(mode)) {
            // A client that asked for another mode (jwt, say) would not find the code
            // where it looks; tell it, in the query, rather than answer there.
            throw error(OAuth2ErrorCodes.INVALID_REQUEST, "Unsupported response_mode: " + mode + " (supported: "
                    + String.join(", ", AuthorizationResponses.RESPONSE_MODES) + ")", request, redirectUri);
        }
        if (AuthorizationResponses.WEB_MESSAGE.equals(responseMode)) {
            TenantClient tenantClient = TenantRegisteredClientRepository.tenantClient(client);
            String origin = AuthorizationResponses.origin(redirectUri);
            if (origin == null || !tenantClient.webOrigins().contains(origin)) {
                // Loud on purpose: the SDK only ever sees a 60 s timeout for this
                // (auth0-compatibility S-17).
                log.warn("response_mode=web_message refused for client {}: origin {} is not in its web_origins {}",
                        client.getClientId(), origin, tenantClient.webOrigins());
                throw error(OAuth2ErrorCodes.INVALID_REQUEST,
                        "The redirect_uri origin " + origin + " is not an allowed web origin of this application.",
                        request, null);
            }
        }

        Object maxAge = request.getAdditionalParameters().get("max_age");
        if (maxAge != null && !isNonNegativeInteger(maxAge)) {
            throw error(OAuth2ErrorCodes.INVALID_REQUEST, "max_age must be a whole number of seconds, 0 or more",
                    request, redirectUri);
        }

        Object dpopJkt = request.getAdditionalParameters().get(AuthorizationCodeBinding.PARAMETER);
        if (dpopJkt != null && !AuthorizationCodeBinding.isThumbprint(dpopJkt)) {
            throw error(OAuth2ErrorCodes.INVALID_REQUEST,
                    "dpop_jkt must be the base64url SHA-256 thumbprint (RFC 7638) of the client's DPoP key", request,
                    redirectUri);
        }

        Object audience = request.getAdditionalParameters().get("audience");
        if (audience instanceof String aud && !aud.isEmpty() && this.tenants.findResourceServer(aud).isEmpty()) {
            throw error(OAuth2ErrorCodes.ACCESS_DENIED, "Service not found: " + aud, request, redirectUri);
        }
    }

    private static boolean isNonNegativeInteger(Object value) {
        try {
            return value instanceof String s && Long.parseLong(s.trim()) >= 0;
        }
        catch (NumberFormatException ex) {
            return false;
        }
    }

    static OAuth2AuthorizationCodeRequestAuthenticationException error(String code, String description,
            OAuth2AuthorizationCodeRequestAuthenticationToken request, String redirectUri) {
        OAuth2AuthorizationCodeRequestAuthenticationToken result = new OAuth2AuthorizationCodeRequestAuthenticationToken(
                request.getAuthorizationUri(), request.getClientId(), (Authentication) request.getPrincipal(),
                redirectUri, request.getState(), request.getScopes(), request.getAdditionalParameters());
        return new OAuth2AuthorizationCodeRequestAuthenticationException(new OAuth2Error(code, description, null),
                result);
    }

}
