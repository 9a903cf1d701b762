package dev.gatehouse.api;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * The protected API the SPA calls (port 3001). It knows the authorization server only
 * through {@code spring.security.oauth2.resourceserver.jwt.*}: issuer, audience and,
 * optionally, the JWKS address.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class ApiApplication {

    public static void main(String[] args) {
        SpringApplication.run(ApiApplication.class, args);
    }

}
