package dev.gatehouse.authserver.https;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The HTTPS port: served with the generated localhost certificate, which a client
 * trusting only the generated CA accepts (hostname checked), and answered as the HTTPS
 * issuer; the HTTP port keeps answering as the configured issuer.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class HttpsPortTests {

    static Path tls;

    @LocalServerPort
    int httpPort;

    @Autowired
    HttpsPort https;

    @DynamicPropertySource
    static void settings(DynamicPropertyRegistry registry) throws IOException {
        Path dir = Files.createTempDirectory("gatehouse-https-");
        tls = dir.resolve("tls");
        registry.add("spring.datasource.url", () -> "jdbc:h2:file:" + dir.resolve("db")
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH");
        registry.add("gatehouse.https.directory", () -> tls.toString());
    }

    @Test
    void discoveryOverHttpsNamesTheHttpsIssuerAndTrustsTheGeneratedCa() throws Exception {
        int port = this.https.port();
        HttpClient client = HttpClient.newBuilder().sslContext(trusting(tls.resolve("gatehouse-ca.pem"))).build();

        HttpResponse<String> response = client
            .send(HttpRequest.newBuilder(URI.create("https://localhost:" + port + "/.well-known/openid-configuration"))
                .build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode discovery = JsonMapper.builder().build().readTree(response.body());
        String issuer = "https://localhost:" + port + "/";
        assertThat(discovery.get("issuer").asString()).isEqualTo(issuer);
        assertThat(discovery.get("token_endpoint").asString()).isEqualTo("https://localhost:" + port + "/oauth/token");
        assertThat(discovery.get("jwks_uri").asString()).startsWith("https://localhost:" + port + "/");
    }

    @Test
    void httpPortStillAnswersAsTheConfiguredIssuer() throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient()
            .send(HttpRequest
                .newBuilder(URI.create("http://localhost:" + this.httpPort + "/.well-known/openid-configuration"))
                .build(), HttpResponse.BodyHandlers.ofString());

        assertThat(JsonMapper.builder().build().readTree(response.body()).get("issuer").asString())
            .isEqualTo("http://localhost:9000/");
    }

    @Test
    void clientThatDoesNotTrustTheLocalCaIsRefusedTheHandshake() {
        HttpClient client = HttpClient.newHttpClient();
        assertThatExceptionOfType(SSLHandshakeException.class).isThrownBy(() -> client.send(
                HttpRequest.newBuilder(URI.create("https://localhost:" + this.https.port() + "/.well-known/jwks.json"))
                    .build(),
                HttpResponse.BodyHandlers.ofString()));
    }

    static SSLContext trusting(Path caPem) throws Exception {
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        try (InputStream in = Files.newInputStream(caPem)) {
            store.setCertificateEntry("gatehouse-ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(store);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return context;
    }

}
