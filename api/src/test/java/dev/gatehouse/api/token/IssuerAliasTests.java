package dev.gatehouse.api.token;

import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

import dev.gatehouse.api.support.ApiAgainstTestIssuer;
import dev.gatehouse.api.support.TestIssuer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tokens the authorization server issued on its HTTPS address name that address as
 * {@code iss} (as an Auth0 custom domain does); the API accepts the aliases it is told,
 * signed by the issuer's own keys, and nothing else.
 */
@TestPropertySource(properties = "gatehouse.api.jwt.issuer-aliases=https://localhost:9443/,https://auth.example.test/")
class IssuerAliasTests extends ApiAgainstTestIssuer {

    static final TestIssuer issuer = TestIssuer.start();

    @Test
    void tokenWhenIssuedOnAnAliasThenAccepted() {
        assertThat(api().get("/api/external", issuer.token((c) -> c.issuer("https://localhost:9443/"))).statusCode())
            .isEqualTo(200);
        assertThat(api().get("/api/external", issuer.token((c) -> c.issuer("https://auth.example.test/"))).statusCode())
            .isEqualTo(200);
        assertThat(api().get("/api/external", issuer.token((c) -> {
        })).statusCode()).isEqualTo(200);
    }

    @Test
    void tokenWhenIssuerIsNeitherTheIssuerNorAnAliasThenRefused() {
        assertThat(api().get("/api/external", issuer.token((c) -> c.issuer("https://localhost:9443"))).statusCode())
            .isEqualTo(401);
        assertThat(api().get("/api/external", issuer.token((c) -> c.issuer("https://localhost:9444/"))).statusCode())
            .isEqualTo(401);
    }

    @Test
    void tokenWhenOnAnAliasButSignedByAnotherKeyThenRefused() {
        String forged = issuer.sign(issuer.attackerKey(), com.nimbusds.jose.JWSAlgorithm.RS256,
                (h) -> h.keyID(issuer.signingKey().getKeyID()), (c) -> c.issuer("https://localhost:9443/"));
        assertThat(api().get("/api/external", forged).statusCode()).isEqualTo(401);
    }

}
