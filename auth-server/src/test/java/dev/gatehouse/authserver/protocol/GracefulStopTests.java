package dev.gatehouse.authserver.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import dev.gatehouse.authserver.AuthServerApplication;

/**
 * A stopping instance leaves its load balancer cleanly: readiness goes down at once, the
 * instance keeps serving for {@code gatehouse.shutdown.drain-delay} so the balancer can
 * take it out, and only then stops taking connections.
 */
class GracefulStopTests {

    @TempDir
    Path dir;

    @Test
    void stoppingInstanceTurnsReadinessDownAndKeepsServingForTheDrainDelay() throws Exception {
        ConfigurableApplicationContext app = new SpringApplicationBuilder(AuthServerApplication.class).run(
                "--server.port=0",
                "--spring.datasource.url=jdbc:h2:file:" + this.dir.resolve("db")
                        + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH",
                "--gatehouse.shutdown.drain-delay=3s");
        OAuthTestClient client = new OAuthTestClient(((WebServerApplicationContext) app).getWebServer().getPort())
            .withFreshConnections();
        assertThat(client.get("/actuator/health/readiness").statusCode()).isEqualTo(200);

        CompletableFuture<Void> stopping = CompletableFuture.runAsync(app::close);
        Thread.sleep(1_000);
        assertThat(client.get("/actuator/health/readiness").statusCode()).as("out of the balancer").isEqualTo(503);
        assertThat(client.get("/.well-known/jwks.json").statusCode()).as("still serving").isEqualTo(200);

        stopping.get(30, TimeUnit.SECONDS);
        assertThatExceptionOfType(IllegalStateException.class).isThrownBy(() -> client.get("/.well-known/jwks.json"));
    }

}
