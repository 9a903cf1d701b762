package dev.gatehouse.api.config;

import java.time.Duration;
import java.util.List;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.configuration.WebSecurityCustomizer;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.firewall.StrictHttpFirewall;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.CorsConfigurationSource;
import org.springframework.web.cors.UrlBasedCorsConfigurationSource;

import dev.gatehouse.api.error.BearerTokenErrorHandlers;
import dev.gatehouse.api.token.AccessTokenAuthenticationConverter;
import dev.gatehouse.api.token.AuthorizationHeaderTokenResolver;

/**
 * One stateless filter chain: bearer tokens only (no session, cookie, CSRF token, form or
 * basic login), CORS for the configured origins, and RFC 6750 errors. Paths are listed
 * explicitly; a path no controller serves is let through so it answers 404 rather than
 * 401 ({@code EndpointProtectionTests} checks every mapped API path is listed).
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfig {

    @Bean
    SecurityFilterChain apiSecurity(HttpSecurity http, JwtDecoder jwtDecoder, ApiProperties properties)
            throws Exception {
        String permission = properties.privateScopedPermission();
        AuthenticationEntryPoint entryPoint = BearerTokenErrorHandlers.entryPoint();
        AccessDeniedHandler accessDenied = BearerTokenErrorHandlers.accessDenied(permission);
        // @formatter:off
        http
            .authorizeHttpRequests((authorize) -> authorize
                .requestMatchers("/api/public", "/actuator/health", "/actuator/health/**").permitAll()
                .requestMatchers("/api/private-scoped")
                    .hasAuthority(AccessTokenAuthenticationConverter.AUTHORITY_PREFIX + permission)
                .requestMatchers("/api/external", "/api/private").authenticated()
                .anyRequest().permitAll())
            .oauth2ResourceServer((resourceServer) -> resourceServer
                .bearerTokenResolver(new AuthorizationHeaderTokenResolver())
                .jwt((jwt) -> jwt
                    .decoder(jwtDecoder)
                    .jwtAuthenticationConverter(new AccessTokenAuthenticationConverter()))
                .authenticationEntryPoint(entryPoint)
                .accessDeniedHandler(accessDenied))
            .exceptionHandling((exceptions) -> exceptions
                .authenticationEntryPoint(entryPoint)
                .accessDeniedHandler(accessDenied))
            .cors(Customizer.withDefaults())
            .csrf((csrf) -> csrf.disable())
            .sessionManagement((session) -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
            .requestCache((cache) -> cache.disable())
            .securityContext((context) -> context.requireExplicitSave(true))
            .formLogin((form) -> form.disable())
            .httpBasic((basic) -> basic.disable())
            .logout((logout) -> logout.disable());
        // @formatter:on
        return http.build();
    }

    /**
     * Spring Security's default firewall, with its header-value rule checked without a
     * regular expression.
     */
    @Bean
    WebSecurityCustomizer headerValueFirewall() {
        StrictHttpFirewall firewall = new StrictHttpFirewall();
        firewall.setAllowedHeaderValues(HeaderValuePolicy::allowed);
        return (web) -> web.httpFirewall(firewall);
    }

    /**
     * No observation per security filter: with Actuator on the class path each of the
     * chain's filters records events and timers on every request, about a quarter of the
     * API's CPU under load in a JFR profile, and this API exports neither metrics nor
     * traces (the per-request HTTP timer is off too, in {@code application.yml}).
     */
    @Bean
    SecurityObservationSettings securityObservationSettings() {
        return SecurityObservationSettings.noObservations();
    }

    @Bean
    CorsConfigurationSource corsConfigurationSource(ApiProperties properties) {
        CorsConfiguration cors = new CorsConfiguration();
        cors.setAllowedOrigins(properties.cors().allowedOrigins());
        cors.setAllowedMethods(List.of(HttpMethod.GET.name(), HttpMethod.HEAD.name()));
        cors.setAllowedHeaders(List.of(HttpHeaders.AUTHORIZATION, HttpHeaders.CONTENT_TYPE));
        // Lets the SPA read why a call was refused.
        cors.setExposedHeaders(List.of(HttpHeaders.WWW_AUTHENTICATE));
        // Bearer tokens travel in a header, never in cookies: no credentialed CORS.
        cors.setAllowCredentials(false);
        cors.setMaxAge(Duration.ofHours(1));
        UrlBasedCorsConfigurationSource source = new UrlBasedCorsConfigurationSource();
        source.registerCorsConfiguration("/**", cors);
        return source;
    }

}
