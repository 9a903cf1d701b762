package dev.gatehouse.authserver.token;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Set;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.springframework.security.authentication.TestingAuthenticationToken;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.core.OAuth2RefreshToken;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationCode;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.settings.TokenSettings;
import org.springframework.security.oauth2.server.authorization.token.DefaultOAuth2TokenContext;

import dev.gatehouse.authserver.client.TenantRegisteredClientRepository;

/**
 * Idle and absolute refresh-token lifetimes (Auth0's {@code idle_token_lifetime} and
 * {@code token_lifetime}).
 */
class RefreshTokenFamilyGeneratorTests {

    private static final Instant LOGIN = Instant.parse("2026-01-01T00:00:00Z");

    private final RegisteredClient client = RegisteredClient.withId("spa")
        .clientId("spa")
        .clientAuthenticationMethod(ClientAuthenticationMethod.NONE)
        .authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE)
        .authorizationGrantType(AuthorizationGrantType.REFRESH_TOKEN)
        .redirectUri("http://localhost:4200")
        .tokenSettings(TokenSettings.builder()
            .refreshTokenTimeToLive(Duration.ofDays(15))
            .setting(TenantRegisteredClientRepository.REFRESH_TOKEN_ABSOLUTE_TTL, Duration.ofDays(30))
            .build())
        .build();

    private final String familyId = "4f1c2b8e-7d3a-4e29-9c51-0b6f2d8a1e47";

    private OAuth2RefreshToken generate(Instant now, Set<String> scopes) {
        return generate(now, scopes, null);
    }

    private OAuth2RefreshToken generate(Instant now, Set<String> scopes, @Nullable String exchanged) {
        OAuth2Authorization.Builder builder = OAuth2Authorization.withRegisteredClient(this.client)
            .id(this.familyId)
            .principalName("auth0|1")
            .authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE)
            .authorizedScopes(scopes)
            .token(new OAuth2AuthorizationCode("code", LOGIN, LOGIN.plusSeconds(300)));
        if (exchanged != null) {
            builder.refreshToken(new OAuth2RefreshToken(exchanged, LOGIN, LOGIN.plusSeconds(60)));
        }
        OAuth2Authorization family = builder.build();
        return new RefreshTokenFamilyGenerator(Clock.fixed(now, ZoneOffset.UTC))
            .generate(DefaultOAuth2TokenContext.builder()
                .registeredClient(this.client)
                .principal(new TestingAuthenticationToken("auth0|1", null))
                .authorization(family)
                .authorizedScopes(scopes)
                .tokenType(OAuth2TokenType.REFRESH_TOKEN)
                .authorizationGrantType(AuthorizationGrantType.REFRESH_TOKEN)
                .build());
    }

    @Test
    void refreshTokenExpiresAfterTheIdleLifetime() {
        OAuth2RefreshToken token = generate(LOGIN, Set.of("openid", "offline_access"));
        assertThat(token.getExpiresAt()).isEqualTo(LOGIN.plus(Duration.ofDays(15)));
    }

    @Test
    void rotationNeverOutlivesTheFamilysAbsoluteLifetime() {
        Instant later = LOGIN.plus(Duration.ofDays(20));
        assertThat(generate(later, Set.of("offline_access")).getExpiresAt()).isEqualTo(LOGIN.plus(Duration.ofDays(30)));
        assertThat(generate(LOGIN.plus(Duration.ofDays(31)), Set.of("offline_access"))).isNull();
    }

    @Test
    void refreshTokenNamesItsFamilyAndGenerationBeforeARandomSecret() {
        String first = generate(LOGIN, Set.of("offline_access"), null).getTokenValue();
        assertThat(first).matches(this.familyId + "\\.0\\.[A-Za-z0-9_-]{64}");
        assertThat(RefreshTokenFamilyGenerator.name(first))
            .isEqualTo(new RefreshTokenFamilyGenerator.Name(this.familyId, 0));

        String second = generate(LOGIN, Set.of("offline_access"), first).getTokenValue();
        assertThat(second).startsWith(this.familyId + ".1.").isNotEqualTo(first);
        assertThat(generate(LOGIN, Set.of("offline_access"), second).getTokenValue()).startsWith(this.familyId + ".2.");
        // A token that names no family, or another one, starts the count again
        assertThat(generate(LOGIN, Set.of("offline_access"), "unnamed-secret").getTokenValue())
            .startsWith(this.familyId + ".0.");
        assertThat(generate(LOGIN, Set.of("offline_access"), "other-family.7.secret").getTokenValue())
            .startsWith(this.familyId + ".0.");

        assertThat(RefreshTokenFamilyGenerator.name("unnamed-secret")).isNull();
        assertThat(RefreshTokenFamilyGenerator.name("bad/family.1.secret")).isNull();
        assertThat(RefreshTokenFamilyGenerator.name("family.x.secret")).isNull();
        assertThat(RefreshTokenFamilyGenerator.name("family.1234567890.secret")).isNull();
    }

    @Test
    void refreshThatNarrowsItsScopeStillGetsASuccessorWhenTheLoginGrantedOfflineAccess() {
        OAuth2Authorization family = OAuth2Authorization.withRegisteredClient(this.client)
            .id(this.familyId)
            .principalName("auth0|1")
            .authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE)
            .authorizedScopes(Set.of("openid", "offline_access"))
            .token(new OAuth2AuthorizationCode("code", LOGIN, LOGIN.plusSeconds(300)))
            .build();
        RefreshTokenFamilyGenerator generator = new RefreshTokenFamilyGenerator(Clock.fixed(LOGIN, ZoneOffset.UTC));
        DefaultOAuth2TokenContext.Builder narrowed = DefaultOAuth2TokenContext.builder()
            .registeredClient(this.client)
            .principal(new TestingAuthenticationToken("auth0|1", null))
            .authorization(family)
            .authorizedScopes(Set.of("openid"))
            .tokenType(OAuth2TokenType.REFRESH_TOKEN);

        assertThat(generator.generate(narrowed.authorizationGrantType(AuthorizationGrantType.REFRESH_TOKEN).build()))
            .isNotNull();
        // A code exchange decides from what it was granted, as before
        assertThat(
                generator.generate(narrowed.authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE).build()))
            .isNull();
    }

    @Test
    void noRefreshTokenWithoutOfflineAccess() {
        assertThat(generate(LOGIN, Set.of("openid", "profile"))).isNull();
    }

}
