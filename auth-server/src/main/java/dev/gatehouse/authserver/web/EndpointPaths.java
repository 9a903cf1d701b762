package dev.gatehouse.authserver.web;

import java.util.Collection;
import java.util.Set;

import org.jspecify.annotations.Nullable;

import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.OrRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;

import jakarta.servlet.http.HttpServletRequest;

/**
 * Endpoint paths, any method, matched as SAS matches its endpoints: a percent-encoded
 * path ({@code /oauth/%74oken}) reaches the endpoint, so it must meet what the endpoint's
 * filters do too (its checks, a JSON body, CORS, an outage's JSON answer). A path without
 * a {@code %} is compared as it is, which is what every client sends and costs no parse
 * on the token endpoint's hot path; the firewall refuses the other spellings that could
 * reach an endpoint ({@code //}, {@code ./}, {@code ;}).
 */
public final class EndpointPaths implements RequestMatcher {

    private final Set<String> paths;

    private final @Nullable RequestMatcher encoded;

    private EndpointPaths(Collection<String> paths) {
        this.paths = Set.copyOf(paths);
        this.encoded = this.paths.isEmpty() ? null
                : new OrRequestMatcher(this.paths.stream()
                    .map((path) -> (RequestMatcher) PathPatternRequestMatcher.withDefaults().matcher(path))
                    .toList());
    }

    public static EndpointPaths of(Collection<String> paths) {
        return new EndpointPaths(paths);
    }

    public static EndpointPaths of(String path) {
        return new EndpointPaths(Set.of(path));
    }

    @Override
    public boolean matches(HttpServletRequest request) {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        if (path.indexOf('%') < 0 || this.encoded == null) {
            return this.paths.contains(path);
        }
        return this.encoded.matches(request);
    }

}
