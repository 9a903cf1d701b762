package dev.gatehouse.api.token;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.gen.OctetSequenceKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which keys of a JWKS the API will ever verify with, fetched over real HTTP: only public
 * signature keys fit for an allowed algorithm. A JWKS is the issuer's word, but a
 * misconfigured or compromised one must not widen what we accept.
 */
class IssuerKeysTests {

    private HttpServer server;

    @AfterEach
    void stop() {
        if (this.server != null) {
            this.server.stop(0);
        }
    }

    @Test
    void selectWhenJwksMixesKeysThenOnlyStrongPublicSignatureKeysForAllowedAlgorithms() throws Exception {
        List<JWK> keys = List.of(new RSAKeyGenerator(2048).keyID("good").keyUse(KeyUse.SIGNATURE).generate(),
                new RSAKeyGenerator(2048).keyID("no-use-no-alg").generate(),
                new RSAKeyGenerator(1024, true).keyID("weak").keyUse(KeyUse.SIGNATURE).generate(),
                new RSAKeyGenerator(2048).keyID("encryption").keyUse(KeyUse.ENCRYPTION).generate(),
                new RSAKeyGenerator(2048).keyID("rs384-only").algorithm(JWSAlgorithm.RS384).generate(),
                new OctetSequenceKeyGenerator(256).keyID("hmac").algorithm(JWSAlgorithm.HS256).generate(),
                // A private key published by mistake: only its public half may be kept.
                new RSAKeyGenerator(2048).keyID("private-too").generate());
        String jwks = new JWKSet(keys).toString(false);
        IssuerKeys issuerKeys = new IssuerKeys("http://issuer.test/", serve(jwks), Set.of(JWSAlgorithm.RS256),
                Duration.ofSeconds(30), Duration.ofSeconds(2), Duration.ofMinutes(10));

        assertThat(issuerKeys.select("good", (key) -> true)).hasSize(1);
        assertThat(issuerKeys.select("no-use-no-alg", (key) -> true)).hasSize(1);
        assertThat(issuerKeys.select("private-too", (key) -> true)).singleElement()
            .isInstanceOf(java.security.interfaces.RSAPublicKey.class);
        for (String unusable : List.of("weak", "encryption", "rs384-only", "hmac")) {
            assertThat(issuerKeys.select(unusable, (key) -> true)).as(unusable).isEmpty();
        }
        assertThat(issuerKeys.size()).isEqualTo(3);
    }

    private URI serve(String body) throws Exception {
        this.server = HttpServer.create(new InetSocketAddress("localhost", 0), 10);
        this.server.createContext("/jwks", (exchange) -> {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        this.server.start();
        return URI.create("http://localhost:" + this.server.getAddress().getPort() + "/jwks");
    }

}
