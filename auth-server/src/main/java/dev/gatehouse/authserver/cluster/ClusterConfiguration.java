package dev.gatehouse.authserver.cluster;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.gatehouse.authserver.config.GatehouseProperties;

/** What running several instances behind a load balancer needs of each one. */
@Configuration(proxyBeanMethods = false)
class ClusterConfiguration {

    @Bean
    ShutdownDrain shutdownDrain(GatehouseProperties properties) {
        return new ShutdownDrain(properties.shutdown().drainDelay());
    }

}
