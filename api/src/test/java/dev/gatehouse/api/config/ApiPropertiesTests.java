package dev.gatehouse.api.config;

import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Binding of {@code gatehouse.api.*}: defaults, and a permission that could not be named
 * in a {@code WWW-Authenticate} challenge stops the startup with the property's name.
 */
class ApiPropertiesTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner().withUserConfiguration(Bind.class);

    @Test
    void privateScopedPermissionWhenUnsetThenReadMessages() {
        this.runner.run((context) -> assertThat(context.getBean(ApiProperties.class).privateScopedPermission())
            .isEqualTo("read:messages"));
    }

    @Test
    void privateScopedPermissionWhenSetThenUsed() {
        this.runner.withPropertyValues("gatehouse.api.private-scoped-permission=read:orders")
            .run((context) -> assertThat(context.getBean(ApiProperties.class).privateScopedPermission())
                .isEqualTo("read:orders"));
    }

    @Test
    void privateScopedPermissionWhenNotOneScopeTokenThenStartupFailsNamingTheProperty() {
        for (String bad : new String[] { "read messages", "", "read:\"x\"", "read:été" }) {
            this.runner.withPropertyValues("gatehouse.api.private-scoped-permission=" + bad)
                .run((context) -> assertThat(context).hasFailed()
                    .getFailure()
                    .rootCause()
                    .hasMessageContaining("gatehouse.api.private-scoped-permission"));
        }
    }

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(ApiProperties.class)
    static class Bind {

    }

}
