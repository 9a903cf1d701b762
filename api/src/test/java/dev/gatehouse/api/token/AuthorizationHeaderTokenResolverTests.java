package dev.gatehouse.api.token;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.server.resource.web.BearerTokenResolver;
import org.springframework.security.oauth2.server.resource.web.DefaultBearerTokenResolver;

/**
 * Our one-pass resolver must answer exactly as Spring's
 * {@link DefaultBearerTokenResolver} does: the same token, the same "not a bearer
 * request" ({@code null}), or the same {@code invalid_token} error, for hostile headers
 * and for many random ones built from the characters that matter.
 */
class AuthorizationHeaderTokenResolverTests {

    private final BearerTokenResolver ours = new AuthorizationHeaderTokenResolver();

    private final BearerTokenResolver spring = new DefaultBearerTokenResolver();

    @Test
    void hostileAndOrdinaryHeadersGetTheSameAnswerAsSpringsResolver() {
        List<String> headers = new ArrayList<>(List.of("Bearer abc.def.ghi", "bearer abc", "BEARER abc", "BeArEr a",
                "Bearer", "Bearer ", "Bearer  abc", "Bearer abc ", "Bearer abc def", "Bearer abc==", "Bearer abc=",
                "Bearer =abc", "Bearer abc=d", "Bearer a-b._~+/c", "Bearer a,b", "Bearer a\"b", "Bearerabc",
                "Bearer\tabc", "Basic dXNlcjpwYXNz", "Digest x", "", " Bearer abc", "Bearer ===", "bearerx y",
                "Bearer é", "Bearer abc\u0000", "Bearer abc\n", "Token abc", "Bear abc", "B"));
        headers.add("Bearer " + "a".repeat(20_000));
        headers.add(null);
        for (String header : headers) {
            assertSameAnswer(header);
        }
    }

    @Test
    void randomHeadersGetTheSameAnswerAsSpringsResolver() {
        Random random = new Random(6750);
        String alphabet = "aZ09-._~+/= \t,\"\\é\u0000bB";
        String[] prefixes = { "Bearer ", "bearer ", "Bearer", "BEARER  ", "Basic ", "", "Bearer=" };
        for (int n = 0; n < 20_000; n++) {
            StringBuilder header = new StringBuilder(prefixes[random.nextInt(prefixes.length)]);
            int length = random.nextInt(12);
            for (int i = 0; i < length; i++) {
                header.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            assertSameAnswer(header.toString());
        }
    }

    /**
     * Where ours answers differently on purpose: Spring's resolver reads the first header
     * only, so a second token would pass unseen by the API but not by a proxy reading the
     * last one.
     */
    @Test
    void requestWhenTwoAuthorizationHeadersThenInvalidRequestWhateverTheSchemes() {
        for (String second : List.of("Bearer abc", "Bearer def", "DPoP abc", "Basic dXNlcjpwYXNz", "")) {
            MockHttpServletRequest request = new MockHttpServletRequest("GET", "/api/external");
            request.addHeader("Authorization", (second.startsWith("Basic") ? "Bearer abc" : "Basic dXNlcjpwYXNz"));
            request.addHeader("Authorization", second);
            assertThat(answer(this.ours, request)).as(second)
                .isEqualTo("error:invalid_request:The request has more than one Authorization header");
        }
    }

    private void assertSameAnswer(String header) {
        MockHttpServletRequest request = new MockHttpServletRequest("GET", "/api/external");
        if (header != null) {
            request.addHeader("Authorization", header);
        }
        assertThat(answer(this.ours, request)).as("Authorization: %s", header).isEqualTo(answer(this.spring, request));
    }

    private static String answer(BearerTokenResolver resolver, MockHttpServletRequest request) {
        try {
            String token = resolver.resolve(request);
            return (token != null) ? "token:" + token : "none";
        }
        catch (OAuth2AuthenticationException ex) {
            return "error:" + ex.getError().getErrorCode() + ":" + ex.getError().getDescription();
        }
    }

}
