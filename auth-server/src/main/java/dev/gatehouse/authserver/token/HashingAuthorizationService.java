package dev.gatehouse.authserver.token;

import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.springframework.security.oauth2.core.OAuth2AccessToken;
import org.springframework.security.oauth2.core.OAuth2RefreshToken;
import org.springframework.security.oauth2.core.OAuth2Token;
import org.springframework.security.oauth2.core.endpoint.OAuth2ParameterNames;
import org.springframework.security.oauth2.core.oidc.OidcIdToken;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationCode;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;

/**
 * Keeps authorization codes, access, ID and refresh tokens out of the database in clear: values are replaced by
 * their {@link TokenHasher hash} before the delegate stores them, and lookups hash the presented value.
 *
 * <p>Written by hand because SAS's JDBC service stores token values verbatim (and its columns are unindexable
 * blobs). SAS never reads a token's value back from storage, only its timestamps, metadata and claims, so the
 * hashed copy serves every endpoint. The token handed to the client is the generated one, never the reloaded one.
 */
public class HashingAuthorizationService implements OAuth2AuthorizationService {

    private final OAuth2AuthorizationService delegate;

    public HashingAuthorizationService(OAuth2AuthorizationService delegate) {
        this.delegate = delegate;
    }

    @Override
    public void save(OAuth2Authorization authorization) {
        this.delegate.save(hashed(authorization));
    }

    @Override
    public void remove(OAuth2Authorization authorization) {
        this.delegate.remove(authorization);
    }

    @Override
    public @Nullable OAuth2Authorization findById(String id) {
        return this.delegate.findById(id);
    }

    @Override
    public @Nullable OAuth2Authorization findByToken(String token, @Nullable OAuth2TokenType tokenType) {
        if (tokenType != null && OAuth2ParameterNames.STATE.equals(tokenType.getValue())) {
            // state is a lookup key for the consent round trip, not a credential
            return this.delegate.findByToken(token, tokenType);
        }
        return this.delegate.findByToken(TokenHasher.hash(token), tokenType);
    }

    static OAuth2Authorization hashed(OAuth2Authorization authorization) {
        OAuth2Authorization.Builder builder = OAuth2Authorization.from(authorization);
        hash(builder, authorization.getToken(OAuth2AuthorizationCode.class), OAuth2AuthorizationCode.class);
        hash(builder, authorization.getToken(OAuth2AccessToken.class), OAuth2AccessToken.class);
        hash(builder, authorization.getToken(OAuth2RefreshToken.class), OAuth2RefreshToken.class);
        hash(builder, authorization.getToken(OidcIdToken.class), OidcIdToken.class);
        return builder.build();
    }

    private static <T extends OAuth2Token> void hash(OAuth2Authorization.Builder builder,
            OAuth2Authorization.@Nullable Token<T> token, Class<T> type) {
        if (token == null || TokenHasher.isHashed(token.getToken().getTokenValue())) {
            return;
        }
        T original = token.getToken();
        String value = TokenHasher.hash(original.getTokenValue());
        OAuth2Token copy;
        if (original instanceof OAuth2AuthorizationCode code) {
            copy = new OAuth2AuthorizationCode(value, code.getIssuedAt(), code.getExpiresAt());
        }
        else if (original instanceof OAuth2AccessToken access) {
            copy = new OAuth2AccessToken(access.getTokenType(), value, access.getIssuedAt(), access.getExpiresAt(),
                    access.getScopes());
        }
        else if (original instanceof OAuth2RefreshToken refresh) {
            copy = new OAuth2RefreshToken(value, refresh.getIssuedAt(), refresh.getExpiresAt());
        }
        else if (original instanceof OidcIdToken id) {
            copy = new OidcIdToken(value, id.getIssuedAt(), id.getExpiresAt(), id.getClaims());
        }
        else {
            return;
        }
        Map<String, Object> metadata = token.getMetadata();
        builder.token(copy, m -> m.putAll(metadata));
    }
}
