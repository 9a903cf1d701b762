package dev.gatehouse.authserver.https;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Your own certificate instead of the generated one: a Spring Boot SSL bundle named by
 * {@code gatehouse.https.ssl-bundle} is served on the HTTPS port, and no local CA is
 * made.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class HttpsSslBundleTests {

    static Path own;

    static Path unused;

    @Autowired
    HttpsPort https;

    @DynamicPropertySource
    static void settings(DynamicPropertyRegistry registry) throws IOException {
        Path dir = Files.createTempDirectory("gatehouse-bundle-");
        own = dir.resolve("own");
        unused = dir.resolve("unused");
        // A certificate made elsewhere, as an operator would bring one.
        LocalCertificateAuthority.Issued issued = new LocalCertificateAuthority(own, Clock.systemUTC()).ensure();
        registry.add("spring.datasource.url", () -> "jdbc:h2:file:" + dir.resolve("db")
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH");
        registry.add("spring.ssl.bundle.pem.own.keystore.certificate",
                () -> issued.certificateChain().toUri().toString());
        registry.add("spring.ssl.bundle.pem.own.keystore.private-key", () -> issued.privateKey().toUri().toString());
        registry.add("gatehouse.https.ssl-bundle", () -> "own");
        registry.add("gatehouse.https.directory", () -> unused.toString());
    }

    @Test
    void theBundlesCertificateIsServedAndNoLocalCaIsMade() throws Exception {
        HttpClient client = HttpClient.newBuilder()
            .sslContext(HttpsPortTests.trusting(own.resolve(LocalCertificateAuthority.CA_CERTIFICATE)))
            .build();
        HttpResponse<String> response = client.send(
                HttpRequest.newBuilder(URI.create("https://localhost:" + this.https.port() + "/.well-known/jwks.json"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(Files.exists(unused)).isFalse();
    }

}
