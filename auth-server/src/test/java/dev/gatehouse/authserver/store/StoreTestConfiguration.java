package dev.gatehouse.authserver.store;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.JdbcClientAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.JdbcTemplateAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

import dev.gatehouse.authserver.cleanup.CleanupConfiguration;
import dev.gatehouse.authserver.config.GatehouseProperties;
import dev.gatehouse.authserver.key.SigningKeyConfiguration;
import dev.gatehouse.authserver.tenant.TenantConfiguration;
import dev.gatehouse.authserver.user.UserConfiguration;

/**
 * The store's beans on a real database, without the protocol side's security
 * configuration: data source, Flyway with the application's migrations, and the tenant,
 * user, key and cleanup configurations exactly as the application declares them. A new
 * context on the same URL is a server restart.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(GatehouseProperties.class)
@Import({ UserConfiguration.class, TenantConfiguration.class, SigningKeyConfiguration.class,
        CleanupConfiguration.class })
public class StoreTestConfiguration {

    public static ApplicationContextRunner runner(String jdbcUrl, String username, String password) {
        return new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class,
                    DataSourceTransactionManagerAutoConfiguration.class, JdbcTemplateAutoConfiguration.class,
                    JdbcClientAutoConfiguration.class, FlywayAutoConfiguration.class))
            .withUserConfiguration(StoreTestConfiguration.class)
            .withPropertyValues("spring.datasource.url=" + jdbcUrl, "spring.datasource.username=" + username,
                    "spring.datasource.password=" + password, "spring.flyway.locations=classpath:db/migration");
    }

}
