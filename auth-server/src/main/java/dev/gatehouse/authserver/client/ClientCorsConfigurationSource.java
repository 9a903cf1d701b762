package dev.gatehouse.authserver.client;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.CorsConfigurationSource;
import org.springframework.web.cors.CorsUtils;
import org.springframework.web.filter.CorsFilter;

import dev.gatehouse.authserver.tenant.TenantClient;
import dev.gatehouse.authserver.web.EndpointPaths;
import dev.gatehouse.authserver.web.PassThroughCorsProcessor;
import dev.gatehouse.authserver.tenant.TenantDirectory;

import jakarta.servlet.http.HttpServletRequest;

/**
 * CORS for the authorization server's endpoints (auth0-compatibility X-1..X-5).
 *
 * <ul>
 * <li>{@code /oauth/token} and {@code /oauth/revoke}: only origins a client lists in
 * {@code web_origins} or {@code allowed_origins}. A preflight carries no
 * {@code client_id}, so it is answered for the union of all clients' origins; the actual
 * request is checked against the origins of the {@code client_id} it names. Any request
 * header may be sent (spa-js adds {@code Auth0-Client}, and {@code DPoP} when enabled);
 * no credentials.</li>
 * <li>Discovery, JWKS and {@code /userinfo}: public documents and bearer-token calls, any
 * origin.</li>
 * </ul>
 * An origin outside the list gets no {@code Access-Control-Allow-Origin} (Spring's
 * processor answers 403).
 */
public class ClientCorsConfigurationSource implements CorsConfigurationSource {

    /** Read, never changed, by the processor for a request that is not cross-origin. */
    private static final CorsConfiguration NOT_CROSS_ORIGIN = base();

    private final TenantDirectory tenants;

    private final EndpointPaths clientPaths;

    private final EndpointPaths publicPaths;

    public ClientCorsConfigurationSource(TenantDirectory tenants, Set<String> clientPaths, Set<String> publicPaths) {
        this.tenants = tenants;
        this.clientPaths = EndpointPaths.of(clientPaths);
        this.publicPaths = EndpointPaths.of(publicPaths);
    }

    @Override
    public @Nullable CorsConfiguration getCorsConfiguration(HttpServletRequest request) {
        if (this.publicPaths.matches(request)) {
            CorsConfiguration config = base();
            config.addAllowedOriginPattern("*");
            config.setAllowedMethods(List.of(HttpMethod.GET.name(), HttpMethod.POST.name()));
            return config;
        }
        if (!this.clientPaths.matches(request)) {
            return null;
        }
        if (!isCrossOrigin(request)) {
            // Without a foreign Origin, Spring's processor only adds Vary (and only when
            // given a configuration); building one listed every allowed origin on each
            // token request of a machine client.
            return NOT_CROSS_ORIGIN;
        }
        Set<String> origins = new LinkedHashSet<>();
        String clientId = CorsUtils.isPreFlightRequest(request) ? null : authenticatingClient(request);
        if (clientId != null && this.tenants.findClient(clientId).isPresent()) {
            addOrigins(origins, this.tenants.findClient(clientId).get());
        }
        else {
            // No client named, or an unknown one: the error answer must still be readable
            // by listed origins.
            this.tenants.clients().forEach(client -> addOrigins(origins, client));
        }
        CorsConfiguration config = base();
        config.setAllowedOrigins(new ArrayList<>(origins));
        config.setAllowedMethods(List.of(HttpMethod.POST.name()));
        return config;
    }

    /**
     * The CORS filter for this source: a request this source has no configuration for
     * passes untouched at every log level ({@link PassThroughCorsProcessor}; at
     * {@code /authorize}, for one).
     */
    public CorsFilter filter() {
        CorsFilter filter = new CorsFilter(this);
        filter.setCorsProcessor(new PassThroughCorsProcessor());
        return filter;
    }

    /**
     * Whether the request comes from a foreign origin. An {@code Origin} that is no URL
     * (no browser sends one) makes Spring's check throw; it counts as none here, because
     * Spring's processor, given any configuration, refuses such a request with 403 as it
     * does an unlisted origin, and a client's mistake must not be a server error.
     */
    private static boolean isCrossOrigin(HttpServletRequest request) {
        try {
            return CorsUtils.isCorsRequest(request);
        }
        catch (IllegalArgumentException ex) {
            return false;
        }
    }

    /**
     * The client the request authenticates as: the user of HTTP Basic, else the
     * {@code client_id} parameter (form or JSON body, which is read into parameters
     * before this runs).
     */
    static @Nullable String authenticatingClient(HttpServletRequest request) {
        String authorization = request.getHeader(HttpHeaders.AUTHORIZATION);
        if (authorization != null && authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            try {
                String decoded = new String(Base64.getDecoder().decode(authorization.substring(6).trim()),
                        StandardCharsets.UTF_8);
                int colon = decoded.indexOf(':');
                return URLDecoder.decode((colon < 0) ? decoded : decoded.substring(0, colon), StandardCharsets.UTF_8);
            }
            catch (IllegalArgumentException ex) {
                return null;
            }
        }
        return request.getParameter("client_id");
    }

    private static CorsConfiguration base() {
        CorsConfiguration config = new CorsConfiguration();
        config.addAllowedHeader(CorsConfiguration.ALL);
        config.addExposedHeader("DPoP-Nonce");
        // When to try a 503 again (the database is away), for a browser client that asks.
        config.addExposedHeader("Retry-After");
        config.setAllowCredentials(false);
        config.setMaxAge(Duration.ofMinutes(10));
        return config;
    }

    private static void addOrigins(Set<String> origins, TenantClient client) {
        for (String origin : client.webOrigins()) {
            origins.add(trim(origin));
        }
        for (String origin : client.allowedOrigins()) {
            origins.add(trim(origin));
        }
    }

    private static String trim(String origin) {
        return origin.endsWith("/") ? origin.substring(0, origin.length() - 1) : origin;
    }

}
