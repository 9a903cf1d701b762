package dev.gatehouse.api.token;

import java.util.Enumeration;

import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.server.resource.authentication.DPoPAuthenticationToken;
import org.springframework.security.web.authentication.AuthenticationConverter;

/**
 * Reads {@code Authorization: DPoP <token>} and its {@code DPoP} proof header into Spring
 * Security's {@link DPoPAuthenticationToken}. Spring's own converter does the same with a
 * regular expression over the whole token, which this API avoids on every request (see
 * {@link AuthorizationHeaderTokenResolver}); its answers are kept: exactly one
 * {@code Authorization} header (the same rule and answer as for bearer tokens, whichever
 * header comes first) and exactly one proof. The target URI is the request URL as the
 * client addressed it (behind the SPA's proxy, from its {@code X-Forwarded-*} headers,
 * see {@code server.forward-headers-strategy}).
 */
public final class DPoPRequestConverter implements AuthenticationConverter {

    /** Header and scheme name of RFC 9449. */
    public static final String DPOP = "DPoP";

    private static final String SCHEME = "dpop";

    /** Whether the request uses the {@code DPoP} scheme. */
    public static boolean matches(HttpServletRequest request) {
        String header = request.getHeader(HttpHeaders.AUTHORIZATION);
        return header != null && header.regionMatches(true, 0, SCHEME, 0, SCHEME.length())
                && (header.length() == SCHEME.length() || header.charAt(SCHEME.length()) == ' ');
    }

    @Override
    public @Nullable Authentication convert(HttpServletRequest request) {
        String token = AuthorizationHeaderTokenResolver
            .credentials(AuthorizationHeaderTokenResolver.soleAuthorization(request), SCHEME);
        if (token == null) {
            return null;
        }
        if (token.length() > StrictJwtDecoder.MAX_TOKEN_CHARS) {
            throw invalidProof("The access token is too large");
        }
        int proofs = count(request.getHeaders(DPOP));
        if (proofs == 0) {
            throw invalidProof("The request has no DPoP proof (DPoP header)");
        }
        if (proofs > 1) {
            throw invalidProof("The request has more than one DPoP proof");
        }
        String proof = request.getHeader(DPOP);
        if (proof.isEmpty() || proof.length() > StrictJwtDecoder.MAX_TOKEN_CHARS) {
            throw invalidProof("The DPoP proof is empty or too large");
        }
        return new DPoPAuthenticationToken(token, proof, request.getMethod(), request.getRequestURL().toString());
    }

    private static int count(@Nullable Enumeration<String> values) {
        int count = 0;
        while (values != null && values.hasMoreElements()) {
            values.nextElement();
            count++;
        }
        return count;
    }

    private static OAuth2AuthenticationException invalidProof(String description) {
        return new OAuth2AuthenticationException(
                new OAuth2Error(OAuth2ErrorCodes.INVALID_DPOP_PROOF, description, null));
    }

}
