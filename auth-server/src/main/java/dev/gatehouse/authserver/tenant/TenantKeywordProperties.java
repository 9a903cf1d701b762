package dev.gatehouse.authserver.tenant;

import java.nio.file.Path;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where the tenant file's Deploy CLI keywords ({@code ##KEY##}, {@code @@KEY@@}) get
 * their values ({@code gatehouse.tenant-keywords.*}); see {@link DeployCliKeywords}.
 *
 * @param mappingsFile a JSON file: a Deploy CLI {@code config.json} (its
 * {@code AUTH0_KEYWORD_REPLACE_MAPPINGS} object) or a plain object of keywords (env
 * {@code GATEHOUSE_TENANT_KEYWORDS_MAPPINGS_FILE})
 * @param fromEnvironment whether every environment variable is a keyword too, as with
 * {@code a0deploy --env} (env {@code GATEHOUSE_TENANT_KEYWORDS_FROM_ENVIRONMENT})
 */
@ConfigurationProperties("gatehouse.tenant-keywords")
public record TenantKeywordProperties(@Nullable Path mappingsFile, @DefaultValue("true") boolean fromEnvironment) {

    /** The keywords of this start, from the settings and {@code environment}. */
    public DeployCliKeywords keywords(Map<String, String> environment) {
        return DeployCliKeywords.of(this.mappingsFile, environment, this.fromEnvironment);
    }

}
