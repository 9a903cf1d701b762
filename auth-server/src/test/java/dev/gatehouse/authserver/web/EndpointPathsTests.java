package dev.gatehouse.authserver.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;

import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;

class EndpointPathsTests {

    private final EndpointPaths token = EndpointPaths.of(Set.of("/oauth/token", "/oauth/revoke"));

    @Test
    void plainAndPercentEncodedSpellingsOfAnEndpointMatch() {
        assertThat(this.token.matches(post("/oauth/token"))).isTrue();
        assertThat(this.token.matches(post("/oauth/%74oken"))).isTrue();
        assertThat(this.token.matches(post("/oauth/t%6Fken"))).isTrue();
        assertThat(this.token.matches(post("/oauth/t%6fken"))).isTrue();
    }

    @Test
    void otherPathsDoNotMatch() {
        assertThat(this.token.matches(post("/oauth/token/"))).isFalse();
        assertThat(this.token.matches(post("/oauth/tokens"))).isFalse();
        assertThat(this.token.matches(post("/oauth/%74okens"))).isFalse();
        assertThat(this.token.matches(post("/OAUTH/token"))).isFalse();
    }

    @Test
    void pathThatCannotBeDecodedMatchesNothingAndThrowsNothing() {
        assertThat(this.token.matches(post("/oauth/%zz"))).isFalse();
        assertThat(this.token.matches(post("/oauth/%"))).isFalse();
        assertThat(this.token.matches(post("/oauth/%74oken;x=%zz"))).isFalse();
    }

    @Test
    void prefixMatchesEveryPathUnderItInEitherSpelling() {
        EndpointPaths webauthn = EndpointPaths.under("/webauthn/");
        assertThat(webauthn.matches(post("/webauthn/register"))).isTrue();
        assertThat(webauthn.matches(post("/%77ebauthn/register"))).isTrue();
        assertThat(webauthn.matches(post("/webauthn"))).isFalse();
        assertThat(webauthn.matches(post("/login/webauthn"))).isFalse();
    }

    private static MockHttpServletRequest post(String uri) {
        MockHttpServletRequest request = new MockHttpServletRequest("POST", uri);
        request.setRequestURI(uri);
        return request;
    }

}
