package dev.gatehouse.authserver.cleanup;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.EnableScheduling;

import dev.gatehouse.authserver.config.GatehouseProperties;

/** Scheduled deletion of expired rows, with the statements for the store's own tables. */
@Configuration(proxyBeanMethods = false)
@EnableScheduling
public class CleanupConfiguration {

    @Bean
    public ExpiredRowCleaner expiredRowCleaner(JdbcClient jdbc, List<CleanupStatement> statements) {
        return new ExpiredRowCleaner(jdbc, statements, Clock.systemUTC());
    }

    @Bean
    public CleanupStatement loginThrottleCleanup() {
        return new CleanupStatement("login_throttle", "DELETE FROM login_throttle WHERE expires_at < ?",
                Duration.ZERO);
    }

    /**
     * Authorizations (protocol side, {@code V20}) whose every issued token has expired. A token without an expiry
     * (e.g. a non-expiring refresh token) keeps its row; rows that never got a token (an abandoned login still at
     * the consent step) carry no timestamp to age them by and are left alone.
     */
    @Bean
    public CleanupStatement authorizationCleanup() {
        StringBuilder sql = new StringBuilder("DELETE FROM oauth2_authorization WHERE COALESCE(");
        List<String> tokens = List.of("authorization_code", "access_token", "refresh_token", "oidc_id_token",
                "user_code", "device_code");
        sql.append(String.join(", ", tokens.stream().map(t -> t + "_value").toList())).append(") IS NOT NULL");
        for (String token : tokens) {
            sql.append(" AND (").append(token).append("_value IS NULL OR ").append(token).append("_expires_at < ?)");
        }
        return new CleanupStatement("oauth2_authorization", sql.toString(), Duration.ZERO);
    }

    /** Rotated-out refresh tokens (protocol side, {@code V22}) past the expiry their family would have had. */
    @Bean
    public CleanupStatement rotatedRefreshTokenCleanup() {
        return new CleanupStatement("refresh_token_rotated", "DELETE FROM refresh_token_rotated WHERE expires_at < ?",
                Duration.ZERO);
    }

    /** Retired keys leave the JWKS after the grace period; then nothing can need them. */
    @Bean
    public CleanupStatement signingKeyCleanup(GatehouseProperties properties) {
        return new CleanupStatement("signing_key",
                "DELETE FROM signing_key WHERE retired_at IS NOT NULL AND retired_at < ?",
                properties.signingKeys().gracePeriod());
    }
}
