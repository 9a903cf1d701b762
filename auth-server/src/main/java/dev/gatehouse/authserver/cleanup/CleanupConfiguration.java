package dev.gatehouse.authserver.cleanup;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import dev.gatehouse.authserver.config.GatehouseProperties;

/** Scheduled deletion of expired rows, with the statements for the store's own tables. */
@Configuration(proxyBeanMethods = false)
@EnableScheduling
public class CleanupConfiguration {

    @Bean
    public ExpiredRowCleaner expiredRowCleaner(JdbcClient jdbc, PlatformTransactionManager transactions,
            List<CleanupStatement> statements) {
        return new ExpiredRowCleaner(jdbc, new TransactionTemplate(transactions), statements, Clock.systemUTC());
    }

    @Bean
    public CleanupStatement loginThrottleCleanup() {
        return new CleanupStatement("login_throttle", "DELETE FROM login_throttle WHERE expires_at < ?", Duration.ZERO);
    }

    /**
     * Authorizations (protocol side, {@code V20}) whose every issued token has expired. A
     * token without an expiry (e.g. a non-expiring refresh token) keeps its row; rows
     * that never got a token are {@link #abandonedAuthorizationCleanup() aged by their
     * creation time}.
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

    /**
     * Authorizations that never got a token: a login abandoned at the consent page (or a
     * declined consent) leaves a row holding only its {@code state}. A day is far beyond
     * any consent round trip (the SSO session itself lasts 8 hours idle).
     */
    @Bean
    public CleanupStatement abandonedAuthorizationCleanup() {
        return new CleanupStatement("oauth2_authorization_abandoned",
                "DELETE FROM oauth2_authorization WHERE authorization_code_value IS NULL AND access_token_value IS NULL"
                        + " AND refresh_token_value IS NULL AND oidc_id_token_value IS NULL AND user_code_value IS NULL"
                        + " AND device_code_value IS NULL AND created_at < ?",
                Duration.ofDays(1));
    }

    /**
     * Rotated-out refresh tokens (protocol side, {@code V22}) past the expiry their
     * family would have had.
     */
    @Bean
    public CleanupStatement rotatedRefreshTokenCleanup() {
        return new CleanupStatement("refresh_token_rotated", "DELETE FROM refresh_token_rotated WHERE expires_at < ?",
                Duration.ZERO);
    }

    /**
     * Answers kept for a retry within the reuse interval ({@code V28}) are cleared once
     * the interval is over: the tokens they hold are not kept longer than needed, even
     * encrypted.
     */
    @Bean
    public CleanupStatement refreshRetryAnswerCleanup() {
        return new CleanupStatement("refresh_token_rotated_retry_answer",
                "UPDATE refresh_token_rotated SET retry_answer = NULL, retry_until = NULL WHERE retry_until < ?",
                Duration.ZERO);
    }

    /**
     * Answered WebAuthn challenges ({@code V29}) matter until they expire; then nothing
     * can answer them any more.
     */
    @Bean
    public CleanupStatement usedChallengeCleanup() {
        return new CleanupStatement("webauthn_challenge_used",
                "DELETE FROM webauthn_challenge_used WHERE expires_at < ?", Duration.ZERO);
    }

    /** A ceremony of the SDK's passkey API ({@code V29}) not finished in time is gone. */
    @Bean
    public CleanupStatement passkeyAuthSessionCleanup() {
        return new CleanupStatement("passkey_auth_session", "DELETE FROM passkey_auth_session WHERE expires_at < ?",
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
