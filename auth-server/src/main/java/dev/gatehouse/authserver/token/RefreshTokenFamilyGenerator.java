package dev.gatehouse.authserver.token;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;

import org.jspecify.annotations.Nullable;
import org.springframework.security.crypto.keygen.Base64StringKeyGenerator;
import org.springframework.security.crypto.keygen.StringKeyGenerator;
import org.springframework.security.oauth2.core.OAuth2RefreshToken;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationCode;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenContext;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenGenerator;

import dev.gatehouse.authserver.client.TenantRegisteredClientRepository;

/**
 * Issues refresh tokens the way Auth0 does for SPAs: also to public clients (SAS's own
 * generator refuses them), only when {@code offline_access} was granted, each with an
 * idle lifetime ({@code refreshTokenTimeToLive}) capped by the family's absolute lifetime
 * counted from the original login (the authorization code's issue time).
 */
public class RefreshTokenFamilyGenerator implements OAuth2TokenGenerator<OAuth2RefreshToken> {

    private final StringKeyGenerator keys = new Base64StringKeyGenerator(Base64.getUrlEncoder().withoutPadding(), 48);

    private final Clock clock;

    public RefreshTokenFamilyGenerator(Clock clock) {
        this.clock = clock;
    }

    @Override
    public @Nullable OAuth2RefreshToken generate(OAuth2TokenContext context) {
        if (!OAuth2TokenType.REFRESH_TOKEN.equals(context.getTokenType())
                || !context.getAuthorizedScopes().contains("offline_access")) {
            return null;
        }
        Instant now = this.clock.instant();
        Instant expiresAt = now.plus(context.getRegisteredClient().getTokenSettings().getRefreshTokenTimeToLive());
        Duration absolute = context.getRegisteredClient()
            .getTokenSettings()
            .getSetting(TenantRegisteredClientRepository.REFRESH_TOKEN_ABSOLUTE_TTL);
        Instant familyStart = familyStart(context.getAuthorization(), now);
        if (absolute != null && familyStart.plus(absolute).isBefore(expiresAt)) {
            expiresAt = familyStart.plus(absolute);
        }
        if (!expiresAt.isAfter(now)) {
            return null;
        }
        return new OAuth2RefreshToken(this.keys.generateKey(), now, expiresAt);
    }

    private static Instant familyStart(@Nullable OAuth2Authorization authorization, Instant now) {
        if (authorization == null) {
            return now;
        }
        OAuth2Authorization.Token<OAuth2AuthorizationCode> code = authorization.getToken(OAuth2AuthorizationCode.class);
        return code != null && code.getToken().getIssuedAt() != null ? code.getToken().getIssuedAt() : now;
    }

}
