package dev.gatehouse.authserver.tenant;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import dev.gatehouse.authserver.config.GatehouseProperties;
import dev.gatehouse.authserver.token.UserGrantRevocation;
import dev.gatehouse.authserver.user.JdbcUserDirectory;

/**
 * The tenant: applied from the tenant file (or the demo tenant) while the context starts,
 * so a bad file stops startup before the server listens, and {@link TenantDirectory} is
 * only handed out after the import.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(TenantKeywordProperties.class)
public class TenantConfiguration {

    @Bean
    public TenantImporter tenantImporter(JdbcClient jdbc, PlatformTransactionManager transactionManager,
            PasswordEncoder passwordEncoder, JdbcUserDirectory userDirectory, JdbcTemplate jdbcTemplate,
            GatehouseProperties properties, TenantKeywordProperties keywords) {
        TenantImporter importer = new TenantImporter(jdbc, new TransactionTemplate(transactionManager), passwordEncoder,
                userDirectory, new UserGrantRevocation(jdbcTemplate));
        importer.importConfigured(properties, keywords.keywords(System.getenv()));
        return importer;
    }

    /**
     * Depends on the importer so that nobody reads the directory before the tenant is
     * applied.
     */
    @Bean
    public JdbcTenantDirectory tenantDirectory(JdbcClient jdbc, TenantImporter tenantImporter) {
        return new JdbcTenantDirectory(jdbc);
    }

    /** Passkey and multi-factor settings; after the import, like the directory. */
    @Bean
    public LoginSettings loginSettings(JdbcClient jdbc, TenantImporter tenantImporter) {
        return new LoginSettings(jdbc, java.time.Clock.systemUTC());
    }

}
