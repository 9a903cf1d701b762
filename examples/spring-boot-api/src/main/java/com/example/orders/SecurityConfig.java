package com.example.orders;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.oauth2.jwt.JwtTypeValidator;
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

    /**
     * Gatehouse types its access tokens {@code at+jwt} (RFC 9068); Spring Security 7
     * accepts only {@code JWT} (or no type) unless a type validator is declared. Spring
     * Boot adds this bean to the decoder's validators in place of its default one.
     */
    @Bean
    JwtTypeValidator accessTokenTypes() {
        JwtTypeValidator types = new JwtTypeValidator("JWT", "at+jwt");
        types.setAllowEmpty(true);
        return types;
    }

}
