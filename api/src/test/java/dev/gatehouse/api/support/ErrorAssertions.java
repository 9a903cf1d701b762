package dev.gatehouse.api.support;

import java.net.http.HttpResponse;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** What every error answer of the API must look like, and must not contain. */
public final class ErrorAssertions {

    /**
     * Class names, stack frames and upstream addresses that must never reach a client.
     */
    private static final List<String> LEAKS = List.of("Exception", "\tat ", "at org.", "at java.", "dev.gatehouse",
            "com.nimbusds", "org.springframework", "org.apache", "java.", "jakarta.", "Caused by", "localhost",
            "127.0.0.1", "jwks", "well-known", "Tomcat", "trace");

    private ErrorAssertions() {
    }

    /**
     * A small JSON body with {@code error} and {@code error_description}, and nothing
     * that leaks internals.
     */
    public static void assertCleanErrorBody(HttpResponse<String> response, String expectedError) {
        assertThat(response.headers().firstValue("Content-Type"))
            .hasValueSatisfying((type) -> assertThat(type).startsWith("application/json"));
        String body = response.body();
        assertThat(body).startsWith("{\"error\":\"" + expectedError + "\",\"error_description\":\"").endsWith("\"}");
        assertThat(body.length()).isLessThan(300);
        assertNoLeak(body);
        response.headers().allValues("WWW-Authenticate").forEach(ErrorAssertions::assertNoLeak);
    }

    public static void assertNoLeak(String text) {
        for (String leak : LEAKS) {
            assertThat(text).as("must not contain %s", leak).doesNotContainIgnoringCase(leak);
        }
    }

}
