package dev.gatehouse.authserver.login;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The way back after a login is the saved request's path and query, whatever host, port
 * or query the saved URL holds.
 */
class SavedRequestsTests {

    @Test
    void pathOfAnAbsoluteUrlIsItsPathAndQuery() {
        assertThat(SavedRequests.pathOf("http://evil.example/authorize?client_id=a&redirect_uri=http://x/y&continue"))
            .isEqualTo("/authorize?client_id=a&redirect_uri=http://x/y&continue");
        assertThat(SavedRequests.pathOf("https://[::1]:9443/authorize")).isEqualTo("/authorize");
        assertThat(SavedRequests.pathOf("http://evil.example")).isEqualTo("/");
    }

    @Test
    void pathOfARelativeUrlIsItselfButNeverNamesAHost() {
        assertThat(SavedRequests.pathOf("/authorize?redirect_uri=http://x/y"))
            .isEqualTo("/authorize?redirect_uri=http://x/y");
        assertThat(SavedRequests.pathOf("http://localhost:9000//evil.example/authorize"))
            .isEqualTo("/evil.example/authorize");
        assertThat(SavedRequests.pathOf("//evil.example/authorize")).isEqualTo("/evil.example/authorize");
    }

}
