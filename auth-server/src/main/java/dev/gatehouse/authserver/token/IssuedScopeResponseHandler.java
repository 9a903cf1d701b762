package dev.gatehouse.authserver.token;

import java.io.IOException;
import java.text.ParseException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.OAuth2AccessToken;
import org.springframework.security.oauth2.core.endpoint.OAuth2ParameterNames;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AccessTokenAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.web.authentication.OAuth2AccessTokenResponseAuthenticationSuccessHandler;
import org.springframework.security.web.authentication.AuthenticationSuccessHandler;

import com.nimbusds.jwt.JWTParser;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * SAS's token response, with {@code scope} saying what the access token carries (RFC 6749
 * section 5.1: the scope issued). SAS fills it with the scopes the grant authorized, but
 * with an API's RBAC on, {@link Auth0TokenCustomizer} keeps an API scope in the token
 * only while the user holds that permission: a user without the role was told
 * {@code read:messages} while the token and introspection said otherwise.
 *
 * <p>
 * The access token is one of ours, just signed, so its claims are read without a check.
 * Machine tokens are left alone: their scope is never narrowed, and reading it would cost
 * the hottest path a parse.
 */
public final class IssuedScopeResponseHandler implements AuthenticationSuccessHandler {

    private final AuthenticationSuccessHandler delegate = new OAuth2AccessTokenResponseAuthenticationSuccessHandler();

    @Override
    public void onAuthenticationSuccess(HttpServletRequest request, HttpServletResponse response,
            Authentication authentication) throws IOException, ServletException {
        this.delegate.onAuthenticationSuccess(request, response, withIssuedScope(request, authentication));
    }

    private static Authentication withIssuedScope(HttpServletRequest request, Authentication authentication) {
        if (!(authentication instanceof OAuth2AccessTokenAuthenticationToken tokens)
                || AuthorizationGrantType.CLIENT_CREDENTIALS.getValue().equals(request.getParameter("grant_type"))
                || !(tokens.getPrincipal() instanceof Authentication client)) {
            return authentication;
        }
        OAuth2AccessToken access = tokens.getAccessToken();
        Set<String> issued = scopeClaim(access.getTokenValue());
        if (issued == null || issued.equals(access.getScopes())) {
            return authentication;
        }
        OAuth2AccessToken corrected = new OAuth2AccessToken(access.getTokenType(), access.getTokenValue(),
                access.getIssuedAt(), access.getExpiresAt(), issued);
        Map<String, Object> parameters = tokens.getAdditionalParameters();
        if (issued.isEmpty()) {
            // SAS leaves an empty scope out, and a missing scope means "as requested"
            parameters = new LinkedHashMap<>(parameters);
            parameters.put(OAuth2ParameterNames.SCOPE, "");
        }
        return new OAuth2AccessTokenAuthenticationToken(tokens.getRegisteredClient(), client, corrected,
                tokens.getRefreshToken(), parameters);
    }

    /** The {@code scope} claim of a JWT, or {@code null} when the token is none. */
    private static @Nullable Set<String> scopeClaim(String token) {
        try {
            Object scope = JWTParser.parse(token).getJWTClaimsSet().getClaim("scope");
            if (scope == null) {
                return Set.of();
            }
            return (scope instanceof String text && !text.isBlank())
                    ? new LinkedHashSet<>(Arrays.asList(text.trim().split(" +"))) : null;
        }
        catch (ParseException ex) {
            return null;
        }
    }

}
