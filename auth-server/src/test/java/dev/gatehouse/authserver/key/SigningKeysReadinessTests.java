package dev.gatehouse.authserver.key;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import dev.gatehouse.authserver.AuthServerApplication;
import dev.gatehouse.authserver.store.TestDatabases;

/**
 * An instance that cannot read its signing keys for longer than the pre-publication
 * period (here the table is out of its reach while the database answers) leaves
 * readiness, since its JWKS may lack the key other instances sign with; the first probe
 * after the keys can be read again brings it back.
 */
class SigningKeysReadinessTests {

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void readinessWhenTheKeysWereNotReadForAPrePublicationPeriodThenDownUntilTheyAreReadAgain() throws Exception {
        try (ConfigurableApplicationContext app = new SpringApplicationBuilder(AuthServerApplication.class).run(
                "--server.port=0", "--spring.datasource.url=" + TestDatabases.newH2Url(),
                "--gatehouse.https.enabled=false", "--gatehouse.signing-keys.reload-interval=PT1S",
                "--gatehouse.signing-keys.pre-publication=PT5S")) {
            int port = ((WebServerApplicationContext) app).getWebServer().getPort();
            JdbcTemplate jdbc = app.getBean(JdbcTemplate.class);
            assertThat(readiness(port)).isEqualTo(200);

            jdbc.execute("ALTER TABLE signing_key RENAME TO signing_key_away");
            try {
                Thread.sleep(1_500); // a reload failed
                assertThat(readiness(port)).as("within the pre-publication period").isEqualTo(200);
                long deadline = System.nanoTime() + 15_000_000_000L;
                while (readiness(port) == 200 && System.nanoTime() < deadline) {
                    Thread.sleep(200);
                }
                assertThat(readiness(port)).isEqualTo(503);
                assertThat(status(port, "/actuator/health/liveness")).isEqualTo(200);
            }
            finally {
                jdbc.execute("ALTER TABLE signing_key_away RENAME TO signing_key");
            }
            assertThat(readiness(port)).as("the probe itself reads the keys again").isEqualTo(200);
        }
    }

    private int readiness(int port) throws Exception {
        return status(port, "/actuator/health/readiness");
    }

    private int status(int port, String path) throws Exception {
        return this.http
            .send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).build(),
                    HttpResponse.BodyHandlers.discarding())
            .statusCode();
    }

}
