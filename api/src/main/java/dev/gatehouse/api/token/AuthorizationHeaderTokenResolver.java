package dev.gatehouse.api.token;

import java.util.Enumeration;

import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.server.resource.BearerTokenErrors;
import org.springframework.security.oauth2.server.resource.web.BearerTokenResolver;
import org.springframework.security.oauth2.server.resource.web.DefaultBearerTokenResolver;

/**
 * Reads the bearer token from the {@code Authorization} header (RFC 6750 §2.1) with the
 * same answers as Spring's {@link DefaultBearerTokenResolver} in its default settings
 * (header only, never a query or form parameter), in one pass over the characters, with
 * one difference: more than one {@code Authorization} header is {@code invalid_request}
 * (Spring takes the first). Spring's resolver matches a regular expression over the whole
 * ~1 KB token on every request: about a tenth of the API's CPU per authenticated request
 * in the profile behind {@code benchmarks/results}, and the largest gap between
 * {@code /api/external} and {@code /api/public}.
 * {@code AuthorizationHeaderTokenResolverTests} checks it against Spring's resolver on
 * hostile and random input.
 */
public final class AuthorizationHeaderTokenResolver implements BearerTokenResolver {

    private static final String SCHEME = "bearer";

    @Override
    public String resolve(HttpServletRequest request) {
        return credentials(soleAuthorization(request), SCHEME);
    }

    /**
     * The request's one {@code Authorization} header, or {@code null} when it has none;
     * throws {@code invalid_request} (400) when it has more than one, whatever their
     * schemes. Spring reads only the first, so a second token would be ignored by the API
     * but could be the one a proxy in front checked. One lookup, walking the headers
     * once, as {@code getHeader} does.
     */
    static @Nullable String soleAuthorization(HttpServletRequest request) {
        Enumeration<String> values = request.getHeaders(HttpHeaders.AUTHORIZATION);
        if (values == null || !values.hasMoreElements()) {
            return null;
        }
        String header = values.nextElement();
        if (values.hasMoreElements()) {
            throw new OAuth2AuthenticationException(
                    BearerTokenErrors.invalidRequest("The request has more than one Authorization header"));
        }
        return header;
    }

    /**
     * The token68 credentials of an {@code Authorization} header of {@code scheme} (lower
     * case), or {@code null} when the header is absent or of another scheme; throws
     * {@code invalid_token} when it is of that scheme but malformed.
     */
    static @Nullable String credentials(@Nullable String header, String scheme) {
        if (header == null || !header.regionMatches(true, 0, scheme, 0, scheme.length())) {
            return null; // another scheme (or none): not ours to judge, the request stays
                         // anonymous
        }
        int start = scheme.length() + 1;
        if (header.length() <= start || header.charAt(start - 1) != ' ') {
            throw malformed(scheme);
        }
        int end = header.length();
        int i = start;
        while (i < end && isToken68(header.charAt(i))) {
            i++;
        }
        if (i == start) {
            throw malformed(scheme);
        }
        while (i < end && header.charAt(i) == '=') {
            i++;
        }
        if (i != end) {
            throw malformed(scheme);
        }
        return header.substring(start);
    }

    /** RFC 6750's b64token characters, before the optional trailing {@code =} padding. */
    private static boolean isToken68(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.'
                || c == '_' || c == '~' || c == '+' || c == '/';
    }

    private static OAuth2AuthenticationException malformed(String scheme) {
        String name = SCHEME.equals(scheme) ? "Bearer" : "DPoP";
        return new OAuth2AuthenticationException(BearerTokenErrors.invalidToken(name + " token is malformed"));
    }

}
