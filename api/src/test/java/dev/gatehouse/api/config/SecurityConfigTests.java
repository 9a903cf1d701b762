package dev.gatehouse.api.config;

import java.util.Collection;
import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.security.oauth2.server.resource.web.authentication.BearerTokenAuthenticationFilter;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.AuthenticationFilter;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.security.oauth2.server.resource.autoconfigure.OAuth2ResourceServerProperties;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.core.convert.converter.Converter;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.test.web.servlet.MockMvc;

import dev.gatehouse.api.token.AccessTokenAuthenticationConverter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.jwt;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * The access rules of {@link SecurityConfig} on the controller slice: which path needs
 * what, with authorities derived by our converter from the token's {@code scope} and
 * {@code permissions}. Token validation itself is proven over real HTTP elsewhere; the
 * decoder here is the real one, unused because the tokens are pre-authenticated.
 */
@WebMvcTest
@Import({ SecurityConfig.class, JwtDecoderConfig.class })
@EnableConfigurationProperties({ ApiProperties.class, OAuth2ResourceServerProperties.class })
class SecurityConfigTests {

    private static final AccessTokenAuthenticationConverter converter = new AccessTokenAuthenticationConverter();

    private static final Converter<Jwt, Collection<GrantedAuthority>> authorities = (jwt) -> converter.convert(jwt)
        .getAuthorities();

    @Autowired
    MockMvc mvc;

    @Autowired
    SecurityFilterChain chain;

    /**
     * Ours answers every DPoP request; Spring's own DPoP filter, which the
     * resource-server configurer always adds, is taken out so no proof is checked twice
     * with weaker rules.
     */
    @Test
    void exactlyOneFilterAuthenticatesDPoPRequests() {
        assertThat(this.chain.getFilters().stream().filter(AuthenticationFilter.class::isInstance)).hasSize(1);
        assertThat(this.chain.getFilters()).anyMatch(BearerTokenAuthenticationFilter.class::isInstance);
    }

    @Test
    void publicWhenAnonymousThenOk() throws Exception {
        this.mvc.perform(get("/api/public")).andExpect(status().isOk()).andExpect(jsonPath("$.msg").isString());
    }

    @Test
    void privateWhenAuthenticatedThenOkAndWhenAnonymousThen401() throws Exception {
        this.mvc.perform(get("/api/private").with(jwt())).andExpect(status().isOk());
        this.mvc.perform(get("/api/private"))
            .andExpect(status().isUnauthorized())
            .andExpect(header().string("WWW-Authenticate", "Bearer"))
            .andExpect(jsonPath("$.error").value("unauthorized"));
    }

    @Test
    void privateScopedWhenScopeOrPermissionThenOk() throws Exception {
        this.mvc
            .perform(get("/api/private-scoped")
                .with(jwt().jwt((token) -> token.claim("scope", "openid read:messages")).authorities(authorities)))
            .andExpect(status().isOk());
        this.mvc.perform(get("/api/private-scoped")
            .with(jwt().jwt((token) -> token.claim("permissions", List.of("read:messages"))).authorities(authorities)))
            .andExpect(status().isOk());
    }

    @Test
    void privateScopedWhenNeitherThen403InsufficientScope() throws Exception {
        this.mvc
            .perform(get("/api/private-scoped")
                .with(jwt().jwt((token) -> token.claim("scope", "openid profile")).authorities(authorities)))
            .andExpect(status().isForbidden())
            .andExpect(
                    header().string("WWW-Authenticate", "Bearer error=\"insufficient_scope\", scope=\"read:messages\""))
            .andExpect(jsonPath("$.error").value("insufficient_scope"));
    }

}
