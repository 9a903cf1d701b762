package dev.gatehouse.authserver.token;

import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
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
 * Keeps authorization codes, access, ID and refresh tokens out of the database in clear:
 * values are replaced by their {@link TokenHasher hash} before the delegate stores them,
 * and lookups hash the presented value.
 *
 * <p>
 * Written by hand because SAS's JDBC service stores token values verbatim (and its
 * columns are unindexable blobs). SAS never reads a token's value back from storage, only
 * its timestamps, metadata and claims, so the hashed copy serves every endpoint. The
 * token handed to the client is the generated one, never the reloaded one.
 */
public class HashingAuthorizationService implements OAuth2AuthorizationService {

    private final OAuth2AuthorizationService delegate;

    public HashingAuthorizationService(OAuth2AuthorizationService delegate) {
        this.delegate = delegate;
    }

    @Override
    public void save(OAuth2Authorization authorization) {
        if (AuthorizationGrantType.CLIENT_CREDENTIALS.equals(authorization.getAuthorizationGrantType())) {
            // Machine tokens are self-contained JWTs that nothing looks up again (no
            // refresh token, no userinfo);
            // like Auth0, they are not stored, which keeps the client_credentials path
            // free of a database write.
            return;
        }
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
        String hash = TokenHasher.hash(token);
        OAuth2Authorization found = this.delegate.findByToken(hash, tokenType);
        return found == null ? null : withPresentedValue(found, hash, token);
    }

    /**
     * Puts the presented clear value back into the token it matched, in memory only: some
     * SAS providers look the token up in the authorization by its value (revocation,
     * introspection). Saving hashes it again.
     */
    static OAuth2Authorization withPresentedValue(OAuth2Authorization authorization, String hash, String presented) {
        OAuth2Authorization.Builder builder = OAuth2Authorization.from(authorization);
        replace(builder, authorization.getToken(OAuth2AuthorizationCode.class), hash, presented);
        replace(builder, authorization.getToken(OAuth2AccessToken.class), hash, presented);
        replace(builder, authorization.getToken(OAuth2RefreshToken.class), hash, presented);
        replace(builder, authorization.getToken(OidcIdToken.class), hash, presented);
        return builder.build();
    }

    private static <T extends OAuth2Token> void replace(OAuth2Authorization.Builder builder,
            OAuth2Authorization.@Nullable Token<T> token, String hash, String presented) {
        if (token != null && token.getToken().getTokenValue().equals(hash)) {
            builder.token(copy(token.getToken(), presented), m -> m.putAll(token.getMetadata()));
        }
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
        if (token == null || TokenHasher.isStoredForm(token.getToken().getTokenValue())) {
            return;
        }
        T original = token.getToken();
        Map<String, Object> metadata = token.getMetadata();
        builder.token(copy(original, TokenHasher.hash(original.getTokenValue())), m -> m.putAll(metadata));
    }

    /** The same token with another value. */
    private static OAuth2Token copy(OAuth2Token original, String value) {
        if (original instanceof OAuth2AuthorizationCode code) {
            return new OAuth2AuthorizationCode(value, code.getIssuedAt(), code.getExpiresAt());
        }
        if (original instanceof OAuth2AccessToken access) {
            return new OAuth2AccessToken(access.getTokenType(), value, access.getIssuedAt(), access.getExpiresAt(),
                    access.getScopes());
        }
        if (original instanceof OAuth2RefreshToken refresh) {
            return new OAuth2RefreshToken(value, refresh.getIssuedAt(), refresh.getExpiresAt());
        }
        if (original instanceof OidcIdToken id) {
            return new OidcIdToken(value, id.getIssuedAt(), id.getExpiresAt(), id.getClaims());
        }
        throw new IllegalArgumentException("Unsupported token type " + original.getClass().getName());
    }

}
