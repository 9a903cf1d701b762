package dev.gatehouse.api.config;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.security.oauth2.server.resource.autoconfigure.OAuth2ResourceServerProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.configuration.WebSecurityCustomizer;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.server.resource.OAuth2ProtectedResourceMetadata;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.oauth2.server.resource.authentication.DPoPAuthenticationProvider;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationProvider;
import org.springframework.security.oauth2.server.resource.web.authentication.BearerTokenAuthenticationFilter;
import org.springframework.security.web.DefaultSecurityFilterChain;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.AuthenticationFilter;
import org.springframework.security.web.context.RequestAttributeSecurityContextRepository;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.firewall.StrictHttpFirewall;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.CorsConfigurationSource;
import org.springframework.web.filter.CorsFilter;
import org.springframework.web.cors.UrlBasedCorsConfigurationSource;

import dev.gatehouse.api.error.BearerTokenErrorHandlers;
import dev.gatehouse.api.error.JsonCorsRejection;
import dev.gatehouse.api.error.UndecodablePathFilter;
import dev.gatehouse.api.token.AccessTokenAuthenticationConverter;
import dev.gatehouse.api.token.AccessTokenClaimsVerifier;
import dev.gatehouse.api.token.AuthorizationHeaderTokenResolver;
import dev.gatehouse.api.token.BearerTokenUse;
import dev.gatehouse.api.token.DPoPProofChecks;
import dev.gatehouse.api.token.DPoPRequestConverter;
import dev.gatehouse.api.token.ProofReplayCache;

/**
 * One stateless filter chain: access tokens only, as bearer tokens or DPoP-bound with a
 * proof (no session, cookie, CSRF token, form or basic login), CORS for the configured
 * origins, and RFC 6750 / RFC 9449 errors. Paths are listed explicitly; a path no
 * controller serves is let through so it answers 404 rather than 401
 * ({@code EndpointProtectionTests} checks every mapped API path is listed).
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfig {

    @Bean
    SecurityFilterChain apiSecurity(HttpSecurity http, JwtDecoder jwtDecoder, ApiProperties properties,
            OAuth2ResourceServerProperties resourceServerProperties) throws Exception {
        String permission = properties.privateScopedPermission();
        BearerTokenErrorHandlers errors = new BearerTokenErrorHandlers(properties.dpop().required(),
                properties.dpop().algorithms());
        AuthenticationEntryPoint entryPoint = errors.entryPoint();
        AccessDeniedHandler accessDenied = errors.accessDenied(permission);
        AuthenticationFilter dpop = dpopFilter(jwtDecoder, properties, errors);
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
                    .jwtAuthenticationConverter(new BearerTokenUse(properties.dpop().required())))
                .authenticationEntryPoint(entryPoint)
                .accessDeniedHandler(accessDenied)
                .protectedResourceMetadata((metadata) -> metadata.protectedResourceMetadataCustomizer((resource) ->
                    resourceMetadata(resource, resourceServerProperties.getJwt().getIssuerUri(),
                            properties.dpop().algorithms(), properties.dpop().required()))))
            .exceptionHandling((exceptions) -> exceptions
                .authenticationEntryPoint(entryPoint)
                .accessDeniedHandler(accessDenied))
            // Spring's CORS filter with the refusal in the API's JSON shape
            .cors((cors) -> cors.disable())
            .addFilter(corsFilter(corsConfiguration(properties)))
            .csrf((csrf) -> csrf.disable())
            .sessionManagement((session) -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
            .requestCache((cache) -> cache.disable())
            .securityContext((context) -> context.requireExplicitSave(true))
            .formLogin((form) -> form.disable())
            .httpBasic((basic) -> basic.disable())
            .logout((logout) -> logout.disable())
            .addFilterBefore(dpop, BearerTokenAuthenticationFilter.class);
        // @formatter:on
        DefaultSecurityFilterChain chain = http.build();
        // The resource-server configurer always adds Spring's own DPoP filter, which can
        // be neither configured nor switched off (its proof checks and its answers are
        // those DPoPProofChecks and BearerTokenErrorHandlers replace). Ours runs first
        // and answers every DPoP request, so Spring's would only check each proof again.
        chain.getFilters().removeIf((filter) -> filter instanceof AuthenticationFilter && filter != dpop);
        return chain;
    }

    /**
     * {@code Authorization: DPoP} requests: Spring Security's
     * {@link DPoPAuthenticationProvider} (the access token through the same strict
     * decoder as bearer tokens, then the proof) with our proof checks, our header parsing
     * and our challenges.
     */
    private static AuthenticationFilter dpopFilter(JwtDecoder jwtDecoder, ApiProperties properties,
            BearerTokenErrorHandlers errors) {
        NativeCrypto.install(properties.dpop().nativeCrypto());
        JwtAuthenticationProvider tokens = new JwtAuthenticationProvider(jwtDecoder);
        tokens.setJwtAuthenticationConverter(new AccessTokenAuthenticationConverter());
        Duration skew = AccessTokenClaimsVerifier.clampSkew(properties.jwt().clockSkew());
        DPoPProofChecks checks = new DPoPProofChecks(properties.dpop().algorithms(), skew,
                new ProofReplayCache(Clock.systemUTC(), DPoPProofChecks.MAX_AGE.plus(skew), 4_000_000),
                Clock.systemUTC());
        DPoPAuthenticationProvider provider = new DPoPAuthenticationProvider(new ProviderManager(tokens));
        provider.setDPoPProofVerifierFactory(checks.decoders());
        AuthenticationFilter filter = new AuthenticationFilter(new ProviderManager(provider),
                new DPoPRequestConverter());
        filter.setRequestMatcher(DPoPRequestConverter::matches);
        filter.setSuccessHandler((request, response, authentication) -> request
            .setAttribute(BearerTokenErrorHandlers.DPOP_AUTHENTICATED, Boolean.TRUE));
        filter.setFailureHandler(errors.dpopFailure());
        filter.setSecurityContextRepository(new RequestAttributeSecurityContextRepository());
        return filter;
    }

    private static CorsFilter corsFilter(CorsConfigurationSource configuration) {
        CorsFilter filter = new CorsFilter(configuration);
        filter.setCorsProcessor(new JsonCorsRejection());
        return filter;
    }

    /**
     * RFC 9728 metadata, which Spring Security serves for every resource server: tokens
     * from the configured issuer, in a header, bound to a DPoP key or not; never to a
     * client certificate (Spring's default claims so, and this API checks none).
     */
    private static void resourceMetadata(OAuth2ProtectedResourceMetadata.Builder resource, @Nullable String issuer,
            List<String> dpopAlgorithms, boolean dpopRequired) {
        if (issuer != null && !issuer.isBlank()) {
            resource.authorizationServer(issuer.strip());
        }
        resource.claims((claims) -> claims.remove("tls_client_certificate_bound_access_tokens"))
            .claim("dpop_signing_alg_values_supported", dpopAlgorithms)
            .claim("dpop_bound_access_tokens_required", dpopRequired);
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

    /** Before every other filter: Spring Security's chain parses the path first thing. */
    @Bean
    FilterRegistrationBean<UndecodablePathFilter> undecodablePathFilter() {
        FilterRegistrationBean<UndecodablePathFilter> registration = new FilterRegistrationBean<>(
                new UndecodablePathFilter());
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
        return registration;
    }

    private static CorsConfigurationSource corsConfiguration(ApiProperties properties) {
        CorsConfiguration cors = new CorsConfiguration();
        cors.setAllowedOrigins(properties.cors().allowedOrigins());
        cors.setAllowedMethods(List.of(HttpMethod.GET.name(), HttpMethod.HEAD.name()));
        cors.setAllowedHeaders(List.of(HttpHeaders.AUTHORIZATION, HttpHeaders.CONTENT_TYPE, DPoPRequestConverter.DPOP));
        // Lets the SPA read why a call was refused.
        cors.setExposedHeaders(List.of(HttpHeaders.WWW_AUTHENTICATE, "DPoP-Nonce"));
        // Bearer tokens travel in a header, never in cookies: no credentialed CORS.
        cors.setAllowCredentials(false);
        cors.setMaxAge(Duration.ofHours(1));
        UrlBasedCorsConfigurationSource source = new UrlBasedCorsConfigurationSource();
        source.registerCorsConfiguration("/**", cors);
        return source;
    }

}
