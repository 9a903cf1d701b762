package dev.gatehouse.authserver.config;

import java.time.Clock;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.session.autoconfigure.SessionTimeout;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.session.web.http.SessionRepositoryFilter;
import org.springframework.web.servlet.handler.AbstractHandlerMapping;
import org.thymeleaf.ITemplateEngine;

import dev.gatehouse.authserver.web.MaskedCsrfTokens;
import dev.gatehouse.authserver.web.DatabaseUnavailableFilter;
import dev.gatehouse.authserver.web.PassThroughCorsProcessor;
import dev.gatehouse.authserver.web.UndecodablePathFilter;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.ObjectPostProcessor;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.csrf.CsrfFilter;
import org.springframework.security.web.authentication.SimpleUrlAuthenticationFailureHandler;

import dev.gatehouse.authserver.login.AfterPasswordLogin;
import dev.gatehouse.authserver.login.ExpiredSignInForm;
import dev.gatehouse.authserver.login.RetiredSessionIds;
import dev.gatehouse.authserver.login.SignInSessionLifetime;
import dev.gatehouse.authserver.login.SubjectAuthenticationProvider;
import dev.gatehouse.authserver.user.UserDirectory;

/**
 * The pages: login (email + password, CSRF-protected), consent, logout
 * ({@code /v2/logout}) and errors. Everything here is unframeable. The SSO session is the
 * servlet session; its cookie is named and flagged in {@code application.yml}
 * ({@code server.servlet.session.cookie.*}).
 */
@Configuration(proxyBeanMethods = false)
public class WebSecurityConfig {

    /**
     * The Content-Security-Policy of every page: nothing from elsewhere, forms post to
     * this server or a client's callback, never framed. The protocol chain's error page
     * sends it too.
     */
    static final String PAGE_POLICY = "default-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "form-action 'self' http: https:; frame-ancestors 'none'";

    /**
     * A database outage answered as 503 with Retry-After, for every request: registered
     * before Spring Session's filter, which reads the database for any request with a
     * session cookie.
     */
    @Bean
    FilterRegistrationBean<DatabaseUnavailableFilter> databaseUnavailableFilter(ITemplateEngine templates) {
        FilterRegistrationBean<DatabaseUnavailableFilter> registration = new FilterRegistrationBean<>(
                new DatabaseUnavailableFilter(templates));
        registration.setOrder(SessionRepositoryFilter.DEFAULT_ORDER - 10);
        return registration;
    }

    /**
     * Right after Spring Session's filter: a session's lifetime is decided before it is
     * saved.
     */
    @Bean
    FilterRegistrationBean<SignInSessionLifetime> signInSessionLifetime(GatehouseProperties properties,
            SessionTimeout ssoTimeout) {
        // The timeout Spring Session gives every session (spring.session.timeout, else
        // server.servlet.session.timeout), read as Spring Boot reads it.
        FilterRegistrationBean<SignInSessionLifetime> registration = new FilterRegistrationBean<>(
                new SignInSessionLifetime(properties.signInTimeout(), ssoTimeout.getTimeout()));
        registration.setOrder(SessionRepositoryFilter.DEFAULT_ORDER + 1);
        return registration;
    }

    /**
     * Right after Spring Session's filter: the id a sign-in replaced is recorded before
     * the session is saved.
     */
    @Bean
    FilterRegistrationBean<RetiredSessionIds> retiredSessionIds(JdbcClient jdbc, Clock clock) {
        FilterRegistrationBean<RetiredSessionIds> registration = new FilterRegistrationBean<>(
                new RetiredSessionIds(jdbc, clock));
        registration.setOrder(SessionRepositoryFilter.DEFAULT_ORDER + 2);
        return registration;
    }

    /**
     * Spring MVC's handler mappings (pages, static files) pass a request they have no
     * CORS configuration for untouched at every log level, as the CORS filters do.
     */
    @Bean
    static BeanPostProcessor handlerMappingsPassRequestsWithoutCorsConfiguration() {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessBeforeInitialization(Object bean, String name) {
                if (bean instanceof AbstractHandlerMapping mapping) {
                    mapping.setCorsProcessor(new PassThroughCorsProcessor());
                }
                return bean;
            }
        };
    }

    /** Before every other filter: some of them parse the path. */
    @Bean
    FilterRegistrationBean<UndecodablePathFilter> undecodablePathFilter() {
        FilterRegistrationBean<UndecodablePathFilter> registration = new FilterRegistrationBean<>(
                new UndecodablePathFilter());
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
        return registration;
    }

    @Bean
    @Order(2)
    SecurityFilterChain pagesChain(HttpSecurity http, AuthenticationProvider passwordLogin, UserDirectory users,
            Clock clock, Customizer<HttpSecurity> passkeyPages, AfterPasswordLogin afterPasswordLogin)
            throws Exception {
        SimpleUrlAuthenticationFailureHandler failure = new SimpleUrlAuthenticationFailureHandler("/login?error");
        // Passkeys: Spring Security's WebAuthn filters (sign-in, registration), issue 15.
        passkeyPages.customize(http);
        http.authorizeHttpRequests(authorize -> authorize
            .requestMatchers("/login", "/v2/logout", "/logged-out", "/error", "/css/**", "/js/**", "/favicon.ico",
                    "/actuator/health", "/actuator/health/**")
            .permitAll()
            .anyRequest()
            .authenticated())
            .authenticationManager(new ProviderManager(new SubjectAuthenticationProvider(passwordLogin, users, clock)))
            .formLogin(form -> form.loginPage("/login")
                .usernameParameter("email")
                .passwordParameter("password")
                .failureHandler(failure)
                .successHandler(afterPasswordLogin)
                .permitAll())
            // /v2/logout is a top-level GET navigation from the SPA (auth0-compatibility
            // L-1),
            // so it cannot carry a
            // CSRF token; the returnTo allow-list is what protects it.
            .logout(logout -> logout.disable())
            .headers(headers -> headers.frameOptions(frame -> frame.deny())
                .contentSecurityPolicy(csp -> csp.policyDirectives(PAGE_POLICY)))
            // Session-held tokens (the default): the pages are plain server-rendered
            // forms.
            // A form whose session ended says so; only the CSRF check answers this way.
            .csrf(csrf -> csrf.csrfTokenRequestHandler(new MaskedCsrfTokens())
                .withObjectPostProcessor(new ObjectPostProcessor<CsrfFilter>() {
                    @Override
                    public <O extends CsrfFilter> O postProcess(O filter) {
                        filter.setAccessDeniedHandler(new ExpiredSignInForm());
                        return filter;
                    }
                }));
        return http.build();
    }

}
