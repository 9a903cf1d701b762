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

    /** Retired keys leave the JWKS after the grace period; then nothing can need them. */
    @Bean
    public CleanupStatement signingKeyCleanup(GatehouseProperties properties) {
        return new CleanupStatement("signing_key",
                "DELETE FROM signing_key WHERE retired_at IS NOT NULL AND retired_at < ?",
                properties.signingKeys().gracePeriod());
    }
}
