package dev.gatehouse.authserver.token;

import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import dev.gatehouse.authserver.web.EndpointPaths;
import dev.gatehouse.authserver.tenant.TenantClient;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.endpoint.OAuth2ParameterNames;
import org.springframework.security.oauth2.core.endpoint.PkceParameterNames;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.web.authentication.AuthenticationConverter;

import jakarta.servlet.http.HttpServletRequest;

/**
 * Client authentication for public clients (SPAs) where SAS has none: the
 * {@code refresh_token} grant and {@code /oauth/revoke} with only a {@code client_id}, as
 * spa-js sends them (auth0-compatibility T-6, T-11), and a code exchange without
 * {@code code_verifier}, which must fail as {@code invalid_grant} rather than SAS's
 * {@code invalid_client}. Code exchanges that do carry a verifier are left to SAS's own
 * PKCE authentication.
 */
public final class PublicClientAuthentication {

    private static final String FLOW = "gatehouse.public-client-flow";

    private static final String MISSING_VERIFIER = "missing_verifier";

    private PublicClientAuthentication() {
    }

    /**
     * Recognises the public-client requests described above; returns {@code null} for
     * everything else.
     */
    public static AuthenticationConverter converter(String tokenEndpoint, String revocationEndpoint) {
        EndpointPaths token = EndpointPaths.of(tokenEndpoint);
        EndpointPaths revocation = EndpointPaths.of(revocationEndpoint);
        return request -> convert(request, token, revocation);
    }

    private static @Nullable Authentication convert(HttpServletRequest request, EndpointPaths tokenEndpoint,
            EndpointPaths revocationEndpoint) {
        if (!"POST".equals(request.getMethod()) || request.getHeader(HttpHeaders.AUTHORIZATION) != null
                || request.getParameter(OAuth2ParameterNames.CLIENT_SECRET) != null
                || request.getParameter(OAuth2ParameterNames.CLIENT_ASSERTION) != null) {
            return null;
        }
        String[] clientIds = request.getParameterValues(OAuth2ParameterNames.CLIENT_ID);
        if (clientIds == null || clientIds.length != 1 || clientIds[0].isEmpty()) {
            return null;
        }
        String flow;
        if (revocationEndpoint.matches(request)) {
            flow = "revoke";
        }
        else if (tokenEndpoint.matches(request)) {
            String grantType = request.getParameter(OAuth2ParameterNames.GRANT_TYPE);
            if (AuthorizationGrantType.REFRESH_TOKEN.getValue().equals(grantType)
                    || TenantClient.PASSKEY_GRANT_TYPE.equals(grantType)) {
                flow = grantType;
            }
            else if (AuthorizationGrantType.AUTHORIZATION_CODE.getValue().equals(grantType)
                    && request.getParameter(PkceParameterNames.CODE_VERIFIER) == null) {
                flow = MISSING_VERIFIER;
            }
            else {
                return null;
            }
        }
        else {
            return null;
        }
        return new OAuth2ClientAuthenticationToken(clientIds[0], ClientAuthenticationMethod.NONE, null,
                Map.of(FLOW, flow));
    }

    /**
     * Authenticates what {@link #converter} produced: the client must exist and be a
     * public client.
     */
    public static AuthenticationProvider provider(RegisteredClientRepository clients) {
        return new AuthenticationProvider() {
            @Override
            public @Nullable Authentication authenticate(Authentication authentication) throws AuthenticationException {
                OAuth2ClientAuthenticationToken token = (OAuth2ClientAuthenticationToken) authentication;
                Object flow = token.getAdditionalParameters().get(FLOW);
                if (flow == null || !ClientAuthenticationMethod.NONE.equals(token.getClientAuthenticationMethod())) {
                    return null;
                }
                RegisteredClient client = clients.findByClientId(String.valueOf(token.getPrincipal()));
                if (client == null
                        || !client.getClientAuthenticationMethods().contains(ClientAuthenticationMethod.NONE)) {
                    throw new OAuth2AuthenticationException(new OAuth2Error(OAuth2ErrorCodes.INVALID_CLIENT,
                            "Unknown client or client authentication required.", null));
                }
                if (MISSING_VERIFIER.equals(flow)) {
                    throw new OAuth2AuthenticationException(new OAuth2Error(OAuth2ErrorCodes.INVALID_GRANT,
                            "Parameter 'code_verifier' is required (PKCE).", null));
                }
                return new OAuth2ClientAuthenticationToken(client, ClientAuthenticationMethod.NONE, null);
            }

            @Override
            public boolean supports(Class<?> authentication) {
                return OAuth2ClientAuthenticationToken.class.isAssignableFrom(authentication);
            }
        };
    }

}
