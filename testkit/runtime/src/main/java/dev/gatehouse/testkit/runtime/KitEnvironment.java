package dev.gatehouse.testkit.runtime;

import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.core.env.ConfigurablePropertyResolver;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.env.PropertySource.StubPropertySource;
import org.springframework.web.context.support.StandardServletEnvironment;

/**
 * The test server's environment: the settings the kit passes and the server's own
 * {@code application.yml}, but not the JVM's system properties nor the process
 * environment. Both belong to the project under test: a {@code -Dspring.datasource.url}
 * or a {@code GATEHOUSE_TENANT_FILE} meant for it (or left in a developer's shell) must
 * not reach the test server.
 */
final class KitEnvironment extends StandardServletEnvironment {

    @Override
    protected void customizePropertySources(MutablePropertySources propertySources) {
        // Placeholders Spring replaces with the servlet context's parameters once it
        // runs.
        propertySources.addLast(new StubPropertySource(SERVLET_CONFIG_PROPERTY_SOURCE_NAME));
        propertySources.addLast(new StubPropertySource(SERVLET_CONTEXT_PROPERTY_SOURCE_NAME));
    }

    @Override
    protected ConfigurablePropertyResolver createPropertyResolver(MutablePropertySources propertySources) {
        return ConfigurationPropertySources.createPropertyResolver(propertySources);
    }

}
