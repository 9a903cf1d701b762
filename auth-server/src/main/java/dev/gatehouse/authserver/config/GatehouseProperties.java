package dev.gatehouse.authserver.config;

import java.nio.file.Path;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The authorization server's own settings ({@code gatehouse.*}); each is documented in the README's settings table.
 *
 * @param issuer           the exact {@code iss} of every token and the discovery document; Auth0-style, with a
 *                         trailing slash (env {@code GATEHOUSE_ISSUER})
 * @param tenantFile       a Deploy CLI style {@code tenant.yaml}; {@code null} loads the built-in demo tenant
 *                         (env {@code GATEHOUSE_TENANT_FILE})
 * @param allowDemoUsers   load the demo tenant's well-known users even when the issuer is not a localhost URL
 */
@ConfigurationProperties("gatehouse")
public record GatehouseProperties(
        @DefaultValue(GatehouseProperties.DEFAULT_ISSUER) String issuer,
        @Nullable Path tenantFile,
        @DefaultValue("false") boolean allowDemoUsers) {

    public static final String DEFAULT_ISSUER = "http://localhost:9000/";
}
