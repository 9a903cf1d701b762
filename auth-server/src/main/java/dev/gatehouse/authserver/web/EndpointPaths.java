package dev.gatehouse.authserver.web;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;

import org.jspecify.annotations.Nullable;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.OrRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.web.util.UriUtils;

import jakarta.servlet.http.HttpServletRequest;

/**
 * Endpoint paths, any method, matched as SAS (and Spring Security's WebAuthn filters)
 * match their endpoints: a percent-encoded path ({@code /oauth/%74oken}) reaches the
 * endpoint, so it must meet what the endpoint's filters do too (its checks, a JSON body,
 * CORS, an outage's JSON answer). A path without a {@code %} is compared as it is, which
 * is what every client sends and costs no parse on the token endpoint's hot path; inside
 * the security filter chain the firewall refuses the other spellings that could reach an
 * endpoint ({@code //}, {@code ./}, {@code ;}). A path that cannot be decoded (Tomcat
 * leaves path parameters such as {@code ;x=%zz} undecoded, and a filter outside the chain
 * sees them) matches nothing.
 */
public final class EndpointPaths implements RequestMatcher {

    private final Set<String> paths;

    /** What every path under it starts with, or {@code null} for exact paths only. */
    private final @Nullable String prefix;

    private final @Nullable RequestMatcher encoded;

    private EndpointPaths(Collection<String> paths, @Nullable String prefix) {
        this.paths = Set.copyOf(paths);
        this.prefix = prefix;
        List<String> patterns = new ArrayList<>(this.paths);
        if (prefix != null) {
            patterns.add(prefix + "**");
        }
        List<RequestMatcher> matchers = patterns.stream()
            .map((pattern) -> (RequestMatcher) PathPatternRequestMatcher.withDefaults().matcher(pattern))
            .toList();
        this.encoded = matchers.isEmpty() ? null : new OrRequestMatcher(matchers);
    }

    public static EndpointPaths of(Collection<String> paths) {
        return new EndpointPaths(paths, null);
    }

    public static EndpointPaths of(String path) {
        return new EndpointPaths(Set.of(path), null);
    }

    /** Every path under {@code prefix}, which ends with a slash. */
    public static EndpointPaths under(String prefix) {
        return new EndpointPaths(Set.of(), prefix);
    }

    /**
     * Whether a path as sent (without the context path) names one of these endpoints, for
     * code that sees it as text only: the error page, after a dispatch to it. Path
     * parameters are dropped and escapes decoded, as the endpoints' own matching does;
     * undecodable escapes outside them match nothing.
     */
    public boolean matchesPath(String path) {
        String plain = path;
        if (plain.indexOf(';') >= 0) {
            String[] segments = plain.split("/", -1);
            StringBuilder withoutParameters = new StringBuilder(plain.length());
            for (int i = 0; i < segments.length; i++) {
                int parameters = segments[i].indexOf(';');
                withoutParameters.append((i > 0) ? "/" : "")
                    .append((parameters < 0) ? segments[i] : segments[i].substring(0, parameters));
            }
            plain = withoutParameters.toString();
        }
        if (plain.indexOf('%') >= 0) {
            try {
                plain = UriUtils.decode(plain, StandardCharsets.UTF_8);
            }
            catch (IllegalArgumentException ex) {
                return false;
            }
        }
        return this.paths.contains(plain) || (this.prefix != null && plain.startsWith(this.prefix));
    }

    @Override
    public boolean matches(HttpServletRequest request) {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        if (path.indexOf('%') < 0 || this.encoded == null) {
            return this.paths.contains(path) || (this.prefix != null && path.startsWith(this.prefix));
        }
        try {
            return this.encoded.matches(request);
        }
        catch (IllegalArgumentException ex) {
            return false;
        }
    }

}
