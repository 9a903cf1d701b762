package com.example.orders;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;

/**
 * Bearer tokens only: Spring Boot builds the JWT decoder from
 * {@code spring.security.oauth2.resourceserver.jwt.issuer-uri} (signature, {@code iss},
 * {@code exp}, {@code nbf}) and {@code audiences} ({@code aud}); the {@code scope} claim
 * becomes {@code SCOPE_...} authorities.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfig {

    @Bean
    SecurityFilterChain api(HttpSecurity http) throws Exception {
        http.authorizeHttpRequests(requests -> requests.requestMatchers("/api/orders")
            .hasAuthority("SCOPE_read:orders")
            .anyRequest()
            .authenticated())
            .oauth2ResourceServer(resourceServer -> resourceServer.jwt(Customizer.withDefaults()))
            .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
            .csrf(csrf -> csrf.disable());
        return http.build();
    }

}
