package dev.gatehouse.authserver.token;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;
import org.springframework.security.crypto.keygen.Base64StringKeyGenerator;
import org.springframework.security.crypto.keygen.StringKeyGenerator;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
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
 *
 * <p>
 * A token reads {@code <family>.<generation>.<secret>}: the id of the authorization that
 * holds the family, a count of the family's rotations, then 48 random bytes. The first
 * two parts are no secret and prove nothing; they only let {@link RotatedRefreshTokens}
 * file a family's rotated-out tokens in the order they were issued. Clients treat the
 * token as opaque, as they must.
 */
public class RefreshTokenFamilyGenerator implements OAuth2TokenGenerator<OAuth2RefreshToken> {

    /** What an authorization id looks like: SAS makes them from random UUIDs. */
    private static final Pattern FAMILY = Pattern.compile("[A-Za-z0-9-]{1,36}");

    /** A token that names its family: an authorization id, a generation, a secret. */
    private static final Pattern NAMED = Pattern.compile("(" + FAMILY.pattern() + ")\\.([0-9]{1,9})\\.[A-Za-z0-9_-]+");

    private static final long MAX_GENERATION = 999_999_999;

    private final StringKeyGenerator keys = new Base64StringKeyGenerator(Base64.getUrlEncoder().withoutPadding(), 48);

    private final Clock clock;

    public RefreshTokenFamilyGenerator(Clock clock) {
        this.clock = clock;
    }

    @Override
    public @Nullable OAuth2RefreshToken generate(OAuth2TokenContext context) {
        if (!OAuth2TokenType.REFRESH_TOKEN.equals(context.getTokenType()) || !offlineAccessGranted(context)) {
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
        return new OAuth2RefreshToken(named(context.getAuthorization(), this.keys.generateKey()), now, expiresAt);
    }

    /**
     * Whether the login granted {@code offline_access}. A refresh may ask for fewer
     * scopes than were granted (RFC 6749 section 6), which narrows its access token; the
     * family itself keeps what the login granted, so a narrowed refresh still rotates:
     * without a successor token SAS would answer {@code server_error}.
     */
    private static boolean offlineAccessGranted(OAuth2TokenContext context) {
        Set<String> granted = (AuthorizationGrantType.REFRESH_TOKEN.equals(context.getAuthorizationGrantType())
                && context.getAuthorization() != null) ? context.getAuthorization().getAuthorizedScopes()
                        : context.getAuthorizedScopes();
        return granted.contains("offline_access");
    }

    /**
     * The next token of the family: one generation after the token being exchanged (the
     * first when a code is, or when the token named no family).
     */
    private static String named(@Nullable OAuth2Authorization family, String secret) {
        if (family == null || !FAMILY.matcher(family.getId()).matches()) {
            return secret;
        }
        OAuth2Authorization.Token<OAuth2RefreshToken> current = family.getRefreshToken();
        Name previous = (current != null) ? name(current.getToken().getTokenValue()) : null;
        long generation = (previous != null && previous.family().equals(family.getId()))
                ? Math.min(previous.generation() + 1, MAX_GENERATION) : 0;
        return family.getId() + "." + generation + "." + secret;
    }

    /**
     * The family and generation a presented refresh token names, or {@code null} when it
     * names none (issued before tokens named their family, or not one of ours).
     */
    static @Nullable Name name(String presented) {
        Matcher matcher = NAMED.matcher(presented);
        return matcher.matches() ? new Name(matcher.group(1), Long.parseLong(matcher.group(2))) : null;
    }

    /** What a refresh token says of itself: no proof of anything, a filing hint. */
    record Name(String family, long generation) {
    }

    private static Instant familyStart(@Nullable OAuth2Authorization authorization, Instant now) {
        if (authorization == null) {
            return now;
        }
        OAuth2Authorization.Token<OAuth2AuthorizationCode> code = authorization.getToken(OAuth2AuthorizationCode.class);
        return code != null && code.getToken().getIssuedAt() != null ? code.getToken().getIssuedAt() : now;
    }

}
