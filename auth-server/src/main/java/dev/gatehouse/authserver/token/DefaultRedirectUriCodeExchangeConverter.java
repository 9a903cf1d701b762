package dev.gatehouse.authserver.token;

import org.jspecify.annotations.Nullable;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.endpoint.OAuth2AuthorizationRequest;
import org.springframework.security.oauth2.core.endpoint.OAuth2ParameterNames;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.web.authentication.OAuth2AuthorizationCodeAuthenticationConverter;
import org.springframework.security.web.authentication.AuthenticationConverter;

import dev.gatehouse.authserver.authorize.Auth0AuthorizationRequestConverter;

import jakarta.servlet.http.HttpServletRequest;

/**
 * The code exchange for an authorization request that had no {@code redirect_uri}: spa-js
 * then sends none on the token request either (auth0-compatibility T-6), while SAS, which
 * stored the client's default callback with the request, insists on the same value. Only
 * a request marked by {@link Auth0AuthorizationRequestConverter} as defaulted gets its
 * stored callback filled in; a code issued for an explicit {@code redirect_uri} still
 * needs it repeated (RFC 6749 §4.1.3), so leaving it out stays an {@code invalid_grant}.
 */
public class DefaultRedirectUriCodeExchangeConverter implements AuthenticationConverter {

    private static final OAuth2TokenType CODE = new OAuth2TokenType(OAuth2ParameterNames.CODE);

    private final AuthenticationConverter delegate = new OAuth2AuthorizationCodeAuthenticationConverter();

    private final OAuth2AuthorizationService authorizations;

    public DefaultRedirectUriCodeExchangeConverter(OAuth2AuthorizationService authorizations) {
        this.authorizations = authorizations;
    }

    @Override
    public @Nullable Authentication convert(HttpServletRequest request) {
        Authentication converted = this.delegate.convert(request);
        if (!(converted instanceof OAuth2AuthorizationCodeAuthenticationToken token)
                || (token.getRedirectUri() != null && !token.getRedirectUri().isEmpty())) {
            return converted;
        }
        OAuth2Authorization authorization = this.authorizations.findByToken(token.getCode(), CODE);
        OAuth2AuthorizationRequest original = authorization == null ? null
                : authorization.getAttribute(OAuth2AuthorizationRequest.class.getName());
        if (original == null || !original.getAdditionalParameters()
            .containsKey(Auth0AuthorizationRequestConverter.DEFAULT_REDIRECT_URI)) {
            return converted; // SAS reports the unknown code or the missing redirect_uri
        }
        return new OAuth2AuthorizationCodeAuthenticationToken(token.getCode(), (Authentication) token.getPrincipal(),
                original.getRedirectUri(), token.getAdditionalParameters());
    }

}
