package dev.gatehouse.api.config;

import org.apache.catalina.core.StandardHost;

import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.gatehouse.api.error.HeadErrorReportValve;

/**
 * Errors Tomcat answers before Spring sees the request (oversized head) get the API's
 * JSON shape too.
 */
@Configuration(proxyBeanMethods = false)
class TomcatConfig {

    @Bean
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> jsonHeadErrors() {
        return (factory) -> factory.addContextCustomizers((context) -> {
            if (context.getParent() instanceof StandardHost host) {
                host.setErrorReportValveClass(HeadErrorReportValve.class.getName());
            }
        });
    }

}
