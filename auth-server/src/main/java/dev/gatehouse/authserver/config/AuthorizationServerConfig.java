package dev.gatehouse.authserver.config;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.context.annotation.Primary;
import org.springframework.core.annotation.Order;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.oauth2.server.authorization.OAuth2AuthorizationServerConfigurer;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.core.session.SessionRegistry;
import org.springframework.security.oauth2.core.OAuth2Token;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtEncoder;
import org.springframework.security.oauth2.jwt.JwtIssuerValidator;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.JwtTypeValidator;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.authorization.JdbcOAuth2AuthorizationConsentService;
import org.springframework.security.oauth2.server.authorization.JdbcOAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationConsentService;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.oauth2.server.authorization.authentication.ClientSecretAuthenticationProvider;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeAuthenticationProvider;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientCredentialsAuthenticationProvider;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationProvider;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationValidator;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationConsentAuthenticationProvider;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2RefreshTokenAuthenticationProvider;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.settings.AuthorizationServerSettings;
import org.springframework.security.oauth2.server.authorization.token.DelegatingOAuth2TokenGenerator;
import org.springframework.security.oauth2.server.authorization.token.JwtGenerator;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenGenerator;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.intercept.AuthorizationFilter;
import org.springframework.security.web.authentication.LoginUrlAuthenticationEntryPoint;
import org.springframework.security.web.header.HeaderWriter;
import org.springframework.security.web.header.writers.ContentSecurityPolicyHeaderWriter;
import org.springframework.security.web.header.writers.frameoptions.XFrameOptionsHeaderWriter;
import org.springframework.security.web.savedrequest.HttpSessionRequestCache;
import org.springframework.session.FindByIndexNameSessionRepository;
import org.springframework.session.Session;
import org.springframework.session.security.SpringSessionBackedSessionRegistry;
import org.springframework.web.filter.CorsFilter;
import org.springframework.http.HttpMethod;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.server.resource.web.BearerTokenAuthenticationEntryPoint;
import org.springframework.security.oauth2.server.authorization.context.AuthorizationServerContextHolder;
import org.springframework.security.oauth2.server.authorization.context.AuthorizationServerContext;
import org.springframework.security.oauth2.server.resource.OAuth2ProtectedResourceMetadata;
import org.springframework.security.oauth2.server.resource.web.BearerTokenResolver;
import org.springframework.security.oauth2.server.resource.web.DefaultBearerTokenResolver;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.OrRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;

import org.thymeleaf.ITemplateEngine;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.SecurityContext;

import dev.gatehouse.authserver.web.EndpointPaths;
import dev.gatehouse.authserver.authorize.ActiveUserSessionFilter;
import dev.gatehouse.authserver.authorize.Auth0AuthorizationRequestConverter;
import dev.gatehouse.authserver.authorize.AuthorizationResponses;
import dev.gatehouse.authserver.authorize.ConsentFormCsrfCheck;
import dev.gatehouse.authserver.authorize.PostedAuthorizationRequestFilter;
import dev.gatehouse.authserver.authorize.AuthorizeRequestValidator;
import dev.gatehouse.authserver.authorize.ConsentPageRedirect;
import dev.gatehouse.authserver.authorize.ConsentPolicy;
import dev.gatehouse.authserver.authorize.IdempotentConsentService;
import dev.gatehouse.authserver.authorize.PromptNoneEntryPoint;
import dev.gatehouse.authserver.authorize.ReauthenticationFilter;
import dev.gatehouse.authserver.client.CachingClientSecretEncoder;
import dev.gatehouse.authserver.client.CachingTenantDirectory;
import dev.gatehouse.authserver.client.ClientCorsConfigurationSource;
import dev.gatehouse.authserver.client.ThrottledClientAuthentication;
import dev.gatehouse.authserver.dpop.DPoPConfirmation;
import dev.gatehouse.authserver.dpop.AuthorizationCodeBinding;
import dev.gatehouse.authserver.dpop.TokenEndpointProofs;
import dev.gatehouse.authserver.https.HttpsIssuerFilter;
import dev.gatehouse.authserver.login.Factors;
import dev.gatehouse.authserver.login.MultiFactorPolicy;
import dev.gatehouse.authserver.login.SavedRequests;
import dev.gatehouse.authserver.tenant.TenantClient;
import dev.gatehouse.authserver.mfa.MultiFactorFilter;
import dev.gatehouse.authserver.passkey.PasskeyApiConfiguration.PasskeyGrants;
import dev.gatehouse.authserver.passkey.PasskeyGrant;
import dev.gatehouse.authserver.https.HttpsPort;
import dev.gatehouse.authserver.tenant.JdbcTenantDirectory;
import dev.gatehouse.authserver.tenant.TenantDirectory;
import dev.gatehouse.authserver.token.Auth0TokenCustomizer;
import dev.gatehouse.authserver.token.ClientCredentialsAudienceConverter;
import dev.gatehouse.authserver.token.DefaultRedirectUriCodeExchangeConverter;
import dev.gatehouse.authserver.token.HashingAuthorizationService;
import dev.gatehouse.authserver.token.LockedGrantRedemption;
import dev.gatehouse.authserver.token.ParsedAuthorizationJson;
import dev.gatehouse.authserver.token.PublicClientAuthentication;
import dev.gatehouse.authserver.token.RefreshTokenFamilyGenerator;
import dev.gatehouse.authserver.token.RefreshTokenRotationProvider;
import dev.gatehouse.authserver.token.RotatedRefreshTokens;
import dev.gatehouse.authserver.token.TokenEndpointAdmission;
import dev.gatehouse.authserver.token.IssuedScopeResponseHandler;
import dev.gatehouse.authserver.token.TokenErrorResponseHandler;
import dev.gatehouse.authserver.token.TransactionMemoizedAuthorizations;
import dev.gatehouse.authserver.token.CurrentUserInfo;
import dev.gatehouse.authserver.token.UserGrantRevocation;
import dev.gatehouse.authserver.user.LoginThrottle;
import dev.gatehouse.authserver.user.UserDirectory;
import dev.gatehouse.authserver.web.JsonFormRequestFilter;
import dev.gatehouse.authserver.web.OutagePassThrough;
import dev.gatehouse.authserver.web.RepeatedParameterFilter;

/**
 * The protocol endpoints: Spring Authorization Server at Auth0's paths, with the Auth0
 * behaviours listed in docs/auth0-compatibility.md added at SAS's extension points. The
 * pages (login, consent, logout, errors) are in {@link WebSecurityConfig}.
 */
@Configuration(proxyBeanMethods = false)
public class AuthorizationServerConfig {

    public static final String AUTHORIZE = "/authorize";

    public static final String TOKEN = "/oauth/token";

    public static final String REVOKE = "/oauth/revoke";

    public static final String USERINFO = "/userinfo";

    public static final String JWKS = "/.well-known/jwks.json";

    public static final String DISCOVERY = "/.well-known/openid-configuration";

    public static final String OIDC_LOGOUT = "/oidc/logout";

    public static final String INTROSPECT = "/oauth/introspect";

    /** The consent page SAS sends the browser to ({@code ConsentController}). */
    static final String CONSENT_PAGE = "/consent";

    /** Where the metadata of {@code /userinfo} as a protected resource is served. */
    public static final String RESOURCE_METADATA = "/.well-known/oauth-protected-resource";

    @Bean
    AuthorizationServerSettings authorizationServerSettings(GatehouseProperties properties) {
        return AuthorizationServerSettings.builder()
            .issuer(properties.issuer())
            .authorizationEndpoint(AUTHORIZE)
            .tokenEndpoint(TOKEN)
            .tokenRevocationEndpoint(REVOKE)
            .tokenIntrospectionEndpoint(INTROSPECT)
            .jwkSetEndpoint(JWKS)
            .oidcUserInfoEndpoint(USERINFO)
            .oidcLogoutEndpoint(OIDC_LOGOUT)
            .build();
    }

    @Bean
    AuthorizationResponses authorizationResponses(OAuth2AuthorizationService authorizations,
            RegisteredClientRepository clients, ITemplateEngine templates) {
        return new AuthorizationResponses(authorizations, clients, templates);
    }

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean
    OAuth2AuthorizationService authorizationService(JdbcTemplate jdbc, RegisteredClientRepository clients) {
        JdbcOAuth2AuthorizationService store = new TransactionMemoizedAuthorizations(jdbc, clients);
        ParsedAuthorizationJson json = new ParsedAuthorizationJson(512);
        store.setAuthorizationRowMapper(
                new JdbcOAuth2AuthorizationService.JsonMapperOAuth2AuthorizationRowMapper(clients, json));
        store.setAuthorizationParametersMapper(
                new JdbcOAuth2AuthorizationService.JsonMapperOAuth2AuthorizationParametersMapper(json));
        return new HashingAuthorizationService(store);
    }

    @Bean
    OAuth2AuthorizationConsentService authorizationConsentService(JdbcTemplate jdbc,
            RegisteredClientRepository clients) {
        return new IdempotentConsentService(new JdbcOAuth2AuthorizationConsentService(jdbc, clients));
    }

    /**
     * What the protocol code injects as {@link TenantDirectory}: the store's directory
     * behind a short-lived snapshot, so the token path runs no tenant SQL per request.
     */
    @Bean
    @Primary
    CachingTenantDirectory cachingTenantDirectory(JdbcTenantDirectory store, Clock clock) {
        return new CachingTenantDirectory(store, clock);
    }

    @Bean
    Auth0TokenCustomizer auth0TokenCustomizer(TenantDirectory tenants, UserDirectory users,
            OAuth2AuthorizationConsentService consents, GatehouseProperties properties) {
        return new Auth0TokenCustomizer(tenants, users, consents, properties.issuer());
    }

    /**
     * JWTs (signed by the key store's encoder), and refresh tokens for public clients
     * too. Declaring this bean switches off SAS's own generator assembly, so the
     * customizer is wired here explicitly.
     */
    @Bean
    OAuth2TokenGenerator<OAuth2Token> tokenGenerator(JwtEncoder jwtEncoder, Auth0TokenCustomizer customizer,
            DPoPConfirmation dpop, Clock clock) {
        JwtGenerator jwt = new JwtGenerator(jwtEncoder);
        jwt.setJwtCustomizer((context) -> {
            customizer.customize(context);
            dpop.customize(context);
        });
        return new DelegatingOAuth2TokenGenerator(jwt, new RefreshTokenFamilyGenerator(clock));
    }

    /**
     * Decodes our own access tokens at {@code /userinfo}. SAS's default decoder accepts
     * only {@code typ: JWT}, but the access tokens are {@code at+jwt} (RFC 9068), as
     * Auth0 issues them.
     */
    @Bean
    JwtDecoder jwtDecoder(JWKSource<SecurityContext> jwkSource, GatehouseProperties properties, HttpsPort https) {
        NimbusJwtDecoder decoder = NimbusJwtDecoder.withJwkSource(jwkSource)
            .jwsAlgorithm(SignatureAlgorithm.RS256)
            .jwtProcessorCustomizer(processor -> processor.setJWSTypeVerifier(
                    new DefaultJOSEObjectTypeVerifier<>(new JOSEObjectType("at+jwt"), JOSEObjectType.JWT, null)))
            .build();
        // Our tokens name the issuer, or its HTTPS address when they were issued there.
        OAuth2TokenValidator<Jwt> issuer = (jwt) -> {
            String iss = jwt.getClaimAsString("iss");
            return (properties.issuer().equals(iss) || (iss != null && iss.equals(https.issuer())))
                    ? OAuth2TokenValidatorResult.success() : new JwtIssuerValidator(properties.issuer()).validate(jwt);
        };
        decoder.setJwtValidator(new DelegatingOAuth2TokenValidator<>(new JwtTimestampValidator(), issuer,
                new JwtTypeValidator("at+jwt", "JWT")));
        return decoder;
    }

    /**
     * No observation per security filter: with Actuator present, every filter of the
     * chain records events and timers on each request, and nothing here exports them (the
     * per-request HTTP timer is off too, in {@code application.yml}).
     */
    @Bean
    SecurityObservationSettings securityObservationSettings() {
        return SecurityObservationSettings.noObservations();
    }

    @Bean
    SessionRegistry sessionRegistry(FindByIndexNameSessionRepository<? extends Session> sessions) {
        // The sessions every instance shares (Spring Session JDBC): SAS reads the ID
        // token's sid from here, and RP-initiated logout finds the session by it.
        return new SpringSessionBackedSessionRegistry<>(sessions);
    }

    @Bean
    ClientCorsConfigurationSource corsConfigurationSource(TenantDirectory tenants) {
        return new ClientCorsConfigurationSource(tenants, Set.of(TOKEN, REVOKE), Set.of(USERINFO, JWKS, DISCOVERY));
    }

    @Bean
    @Order(Ordered.HIGHEST_PRECEDENCE)
    SecurityFilterChain authorizationServerChain(HttpSecurity http, TenantDirectory tenants,
            RegisteredClientRepository clients, OAuth2AuthorizationService authorizations, RotatedRefreshTokens rotated,
            ClientCorsConfigurationSource cors, GatehouseProperties properties, PasswordEncoder passwordEncoder,
            Clock clock, TransactionTemplate transactions, JdbcTemplate jdbc, UserDirectory users,
            AuthorizationResponses responses, HttpsPort https, AuthorizationServerSettings settings,
            MultiFactorPolicy multiFactor, PasskeyGrants passkeyGrants,
            OAuth2TokenGenerator<OAuth2Token> tokenGenerator, TokenEndpointProofs dpop) throws Exception {
        UserGrantRevocation revocation = new UserGrantRevocation(jdbc);
        ConsentPolicy consent = new ConsentPolicy(tenants, properties.issuer());
        TokenErrorResponseHandler tokenErrors = new TokenErrorResponseHandler();

        http.oauth2AuthorizationServer(as -> {
            // Preflights are not part of SAS's endpoint matchers (they match POST/GET
            // only); without these the
            // OPTIONS request would fall through to the pages chain and be redirected to
            // the login page.
            http.securityMatcher(new OrRequestMatcher(as.getEndpointsMatcher(),
                    PathPatternRequestMatcher.withDefaults().matcher(HttpMethod.GET, RESOURCE_METADATA),
                    preflight(TOKEN), preflight(REVOKE), preflight(USERINFO), preflight(JWKS), preflight(DISCOVERY)));
            as.registeredClientRepository(clients)
                .authorizationService(authorizations)
                .authorizationEndpoint(authorize -> authorize.consentPage(CONSENT_PAGE)
                    .authorizationRequestConverters(
                            converters -> converters.set(0, new Auth0AuthorizationRequestConverter(tenants)))
                    .authenticationProviders(providers -> providers.forEach(provider -> {
                        if (provider instanceof OAuth2AuthorizationCodeRequestAuthenticationProvider request) {
                            request
                                .setAuthenticationValidator(new OAuth2AuthorizationCodeRequestAuthenticationValidator()
                                    .andThen(new AuthorizeRequestValidator(tenants)));
                            request.setAuthorizationConsentRequired(consent);
                        }
                        else if (provider instanceof OAuth2AuthorizationConsentAuthenticationProvider consentProvider) {
                            consentProvider.setAuthorizationConsentCustomizer(consent);
                        }
                    }))
                    .authorizationResponseHandler(responses)
                    .errorResponseHandler(responses))
                .clientAuthentication(clientAuth -> clientAuth
                    .authenticationConverters(
                            converters -> converters.add(0, PublicClientAuthentication.converter(TOKEN, REVOKE)))
                    .authenticationProviders(providers -> {
                        providers.add(0, PublicClientAuthentication.provider(clients));
                        providers.replaceAll(provider -> {
                            if (provider instanceof ClientSecretAuthenticationProvider secretCheck) {
                                CachingClientSecretEncoder secrets = new CachingClientSecretEncoder(passwordEncoder,
                                        Duration.ofMinutes(10), clock);
                                secretCheck.setPasswordEncoder(secrets);
                                return new ThrottledClientAuthentication(secretCheck, clients, secrets,
                                        new LoginThrottle("client", JdbcClient.create(jdbc), transactions,
                                                properties.loginThrottle(), clock),
                                        clock);
                            }
                            return provider;
                        });
                    })
                    .errorResponseHandler(tokenErrors))
                .tokenEndpoint(token -> token.accessTokenRequestConverters(converters -> {
                    converters.add(0, new ClientCredentialsAudienceConverter(tenants));
                    converters.add(0, new DefaultRedirectUriCodeExchangeConverter(authorizations));
                    // The SDK's passkey grant (issue 15).
                    converters.add(PasskeyGrant.converter());
                })
                    .authenticationProvider(
                            passkeyGrants.provider(authorizations, tokenGenerator, dpop::verifyIfPresent))
                    .authenticationProviders(providers -> providers.replaceAll(provider -> {
                        // DPoP proofs are checked first (dpop.guard), outside the grant's
                        // transaction.
                        if (provider instanceof OAuth2RefreshTokenAuthenticationProvider) {
                            return dpop.guard(LockedGrantRedemption.of(new RefreshTokenRotationProvider(provider,
                                    authorizations, rotated, users, revocation, clock), transactions, jdbc));
                        }
                        if (provider instanceof OAuth2AuthorizationCodeAuthenticationProvider) {
                            return dpop.guard(LockedGrantRedemption
                                .of(AuthorizationCodeBinding.of(provider, authorizations), transactions, jdbc));
                        }
                        if (provider instanceof OAuth2ClientCredentialsAuthenticationProvider) {
                            return dpop.guard(provider);
                        }
                        return provider;
                    }))
                    .accessTokenResponseHandler(new IssuedScopeResponseHandler())
                    .errorResponseHandler(tokenErrors))
                .tokenRevocationEndpoint(revoke -> revoke.errorResponseHandler(tokenErrors))
                .authorizationServerMetadataEndpoint(
                        metadata -> metadata.authorizationServerMetadataCustomizer(config -> config.claims(claims -> {
                            claims.put("dpop_signing_alg_values_supported", new ArrayList<>(dpop.algorithms()));
                            claims.remove("tls_client_certificate_bound_access_tokens");
                        })))
                .oidc(oidc -> oidc
                    .userInfoEndpoint(userInfo -> userInfo.userInfoMapper(new CurrentUserInfo(users, revocation))
                        .authenticationProviders((providers) -> providers.replaceAll(OutagePassThrough::provider))
                        .errorResponseHandler(OutagePassThrough.userInfoErrors()))
                    .logoutEndpoint(logout -> logout
                        .authenticationProviders((providers) -> providers.replaceAll(OutagePassThrough::provider))
                        .errorResponseHandler(OutagePassThrough.logoutErrors()))
                    .providerConfigurationEndpoint(
                            discovery -> discovery.providerConfigurationCustomizer(config -> config.scopes(s -> {
                                s.clear();
                                s.addAll(List.of("openid", "profile", "email", "offline_access"));
                            }).responseTypes(t -> {
                                t.clear();
                                t.add("code");
                            }).grantTypes(g -> {
                                g.clear();
                                g.addAll(List.of("authorization_code", "refresh_token", "client_credentials",
                                        TenantClient.PASSKEY_GRANT_TYPE));
                            }).codeChallengeMethods(m -> {
                                m.clear();
                                m.add("S256");
                            }).tokenEndpointAuthenticationMethods(m -> {
                                m.clear();
                                m.addAll(List.of("client_secret_basic", "client_secret_post", "none"));
                            })
                                .claim("response_modes_supported", AuthorizationResponses.RESPONSE_MODES)
                                .claim("revocation_endpoint_auth_methods_supported",
                                        List.of("client_secret_basic", "client_secret_post", "none"))
                                .claims(claims -> {
                                    // DPoP-bound tokens with the algorithms we check
                                    // (dpop/); no mTLS-bound ones.
                                    claims.put("dpop_signing_alg_values_supported", new ArrayList<>(dpop.algorithms()));
                                    claims.remove("tls_client_certificate_bound_access_tokens");
                                })
                                .claim("claims_supported",
                                        List.of("sub", "iss", "aud", "exp", "iat", "auth_time", "nonce", "sid", "azp",
                                                "name", "nickname", "picture", "updated_at", "email", "email_verified",
                                                "amr", "acr"))
                                .claim("acr_values_supported", List.of(Factors.MFA_ACR)))));
        });

        http.authorizeHttpRequests(authorize -> authorize.anyRequest().authenticated())
            .cors(c -> c.disable())
            .addFilter(cors.filter())
            // JSON bodies become parameters before CORS is decided: the allowed origin is
            // the
            // one of the client the request authenticates as, whatever the body's format.
            .addFilterBefore(new JsonFormRequestFilter(Set.of(TOKEN, REVOKE)), CorsFilter.class)
            // Requests on the HTTPS port are answered as the HTTPS issuer (issue 15).
            .addFilterBefore(new HttpsIssuerFilter(https, settings), CorsFilter.class)
            // SAS's redirect to the consent page as a path, not a URL with the Host
            // header's host.
            .addFilterBefore(new ConsentPageRedirect(AUTHORIZE, CONSENT_PAGE), CorsFilter.class)
            .addFilterAfter(new RepeatedParameterFilter(AUTHORIZE, Set.of(TOKEN, REVOKE), tokenErrors),
                    CorsFilter.class)
            // A POST authorization request becomes the same GET, which meets every check.
            .addFilterAfter(new PostedAuthorizationRequestFilter(AUTHORIZE), RepeatedParameterFilter.class)
            .addFilterAfter(new ConsentFormCsrfCheck(AUTHORIZE), PostedAuthorizationRequestFilter.class)
            // Just before the token endpoint: after client authentication, so a secret
            // check waiting on the login throttle holds no turn, and after CORS, so a
            // browser can read the 503 of a request that waited too long.
            .addFilterBefore(new TokenEndpointAdmission(TOKEN, properties.tokenEndpoint().effectiveConcurrency(),
                    properties.tokenEndpoint().queueTimeout()), AuthorizationFilter.class)
            .addFilterBefore(new ActiveUserSessionFilter(AUTHORIZE, users), AuthorizationFilter.class)
            .addFilterBefore(new ReauthenticationFilter(AUTHORIZE, clock), AuthorizationFilter.class)
            // A second factor where the tenant or the request asks for one (issue 15).
            .addFilterBefore(
                    new MultiFactorFilter(AUTHORIZE, multiFactor, new PromptNoneEntryPoint(responses, clients)),
                    AuthorizationFilter.class)
            .exceptionHandling(exceptions -> exceptions
                .authenticationEntryPoint(entryPoint(new PromptNoneEntryPoint(responses, clients), tokenErrors)))
            .requestCache(cache -> cache.requestCache(interactiveAuthorizeRequests()))
            .headers(headers -> headers.frameOptions(frame -> frame.disable())
                .addHeaderWriter(denyFramingUnlessWebMessage()))
            .oauth2ResourceServer(rs -> rs.bearerTokenResolver(userinfoOnly()).jwt(jwt -> {
            })
                .protectedResourceMetadata(metadata -> metadata.protectedResourceMetadataCustomizer(
                        resource -> userinfoResourceMetadata(resource, properties.issuer(), dpop.algorithms()))));
        return http.build();
    }

    /**
     * RFC 9728 metadata of the one protected resource served here, {@code /userinfo}: its
     * bearer challenge points at this document (Spring Security adds
     * {@code resource_metadata} to every challenge). Its tokens come from this issuer, in
     * a header, bound to a DPoP key or not; never to a client certificate.
     */
    private static void userinfoResourceMetadata(OAuth2ProtectedResourceMetadata.Builder resource,
            String configuredIssuer, Collection<String> dpopAlgorithms) {
        AuthorizationServerContext context = AuthorizationServerContextHolder.getContext();
        resource.authorizationServer((context != null) ? context.getIssuer() : configuredIssuer)
            .claims(claims -> claims.remove("tls_client_certificate_bound_access_tokens"))
            .claim("dpop_signing_alg_values_supported", new ArrayList<>(dpopAlgorithms));
    }

    /**
     * Bearer tokens authenticate {@code /userinfo} calls and nothing else: an access
     * token sent to {@code /authorize} must not count as a signed-in user.
     */
    static BearerTokenResolver userinfoOnly() {
        DefaultBearerTokenResolver bearer = new DefaultBearerTokenResolver();
        EndpointPaths userinfo = EndpointPaths.of(USERINFO);
        return (request) -> userinfo.matches(request) ? bearer.resolve(request) : null;
    }

    /**
     * What an unauthenticated request to a protocol endpoint gets: silent authorization
     * requests an immediate {@code login_required}; token and revocation requests a JSON
     * {@code invalid_client}; {@code /userinfo} a bearer-token challenge; interactive
     * authorization requests the login page.
     */
    static AuthenticationEntryPoint entryPoint(PromptNoneEntryPoint promptNone, TokenErrorResponseHandler tokenErrors) {
        RequestMatcher silent = PromptNoneEntryPoint.matcher(AUTHORIZE);
        AuthenticationEntryPoint bearer = new BearerTokenAuthenticationEntryPoint();
        AuthenticationEntryPoint login = new LoginUrlAuthenticationEntryPoint("/login");
        EndpointPaths clientAuthenticated = EndpointPaths.of(Set.of(TOKEN, REVOKE, INTROSPECT));
        EndpointPaths authorize = EndpointPaths.of(AUTHORIZE);
        return (request, response, exception) -> {
            if (silent.matches(request)) {
                promptNone.commence(request, response, exception);
            }
            else if (clientAuthenticated.matches(request)) {
                tokenErrors.onAuthenticationFailure(request, response, new OAuth2AuthenticationException(
                        new OAuth2Error(OAuth2ErrorCodes.INVALID_CLIENT, "Client authentication failed.", null)));
            }
            else if (authorize.matches(request)) {
                login.commence(request, response, exception);
            }
            else {
                bearer.commence(request, response, exception);
            }
        };
    }

    /**
     * Only an interactive authorization request is saved for after the login: a silent
     * one ({@code prompt=none}) is answered at once and must not create a session (a new
     * session would replace the browser's cookie), and nothing else returns to a login.
     * The way back is read as a path ({@link SavedRequests}).
     */
    static SavedRequests interactiveAuthorizeRequests() {
        RequestMatcher silent = PromptNoneEntryPoint.matcher(AUTHORIZE);
        EndpointPaths authorize = EndpointPaths.of(AUTHORIZE);
        HttpSessionRequestCache cache = new HttpSessionRequestCache();
        cache.setRequestMatcher((request) -> authorize.matches(request) && "GET".equals(request.getMethod())
                && !silent.matches(request));
        return new SavedRequests(cache);
    }

    private static RequestMatcher preflight(String path) {
        return PathPatternRequestMatcher.withDefaults().matcher(HttpMethod.OPTIONS, path);
    }

    /**
     * X-Frame-Options: DENY and the pages' Content-Security-Policy (frame-ancestors
     * 'none') on every response except the web_message page, which sets its own
     * (auth0-compatibility S-3, S-4). The error page of {@code /authorize} is rendered
     * from this chain.
     */
    static HeaderWriter denyFramingUnlessWebMessage() {
        XFrameOptionsHeaderWriter deny = new XFrameOptionsHeaderWriter(
                XFrameOptionsHeaderWriter.XFrameOptionsMode.DENY);
        ContentSecurityPolicyHeaderWriter policy = new ContentSecurityPolicyHeaderWriter(WebSecurityConfig.PAGE_POLICY);
        return (request, response) -> {
            if (request.getAttribute(AuthorizationResponses.FRAMEABLE) == null) {
                deny.writeHeaders(request, response);
                policy.writeHeaders(request, response);
            }
        };
    }

}
