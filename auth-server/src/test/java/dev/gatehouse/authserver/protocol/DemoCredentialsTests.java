package dev.gatehouse.authserver.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import dev.gatehouse.authserver.AuthServerApplication;

/**
 * The demo tenant's secrets are public, so they only work on a localhost issuer unless
 * the operator says otherwise: on {@code https://auth.example.com/} without a tenant file
 * the demo machine client is refused like the demo users.
 */
@ExtendWith(OutputCaptureExtension.class)
class DemoCredentialsTests {

    @TempDir
    Path dir;

    @Test
    void demoMachineSecretIsRefusedOnANonLocalIssuerAndTheLogSaysWhy(CapturedOutput output) {
        try (ConfigurableApplicationContext app = start()) {
            HttpResponse<String> token = clientCredentials(app);
            assertThat(token.statusCode()).as(token.body()).isEqualTo(401);
            assertThat(OAuthTestClient.json(token).get("error").asString()).isEqualTo("invalid_client");
        }
        assertThat(output).contains("public credentials")
            .contains("NOT loaded because the issuer https://auth.example.com/ is not a localhost URL")
            .contains("gatehouse.allow-demo-credentials=true");
    }

    @Test
    void demoMachineSecretWorksOnANonLocalIssuerWhenTheOperatorAllowsDemoCredentials() {
        try (ConfigurableApplicationContext app = start("--gatehouse.allow-demo-credentials=true")) {
            HttpResponse<String> token = clientCredentials(app);
            assertThat(token.statusCode()).as(token.body()).isEqualTo(200);
        }
    }

    private static HttpResponse<String> clientCredentials(ConfigurableApplicationContext app) {
        return new OAuthTestClient(((WebServerApplicationContext) app).getWebServer().getPort())
            .postForm("/oauth/token", Map.of("grant_type", "client_credentials", "client_id", "gatehouse-m2m",
                    "client_secret", "gatehouse-m2m-secret", "audience", "https://gatehouse.local/api"));
    }

    private ConfigurableApplicationContext start(String... extra) {
        String[] args = new String[3 + extra.length];
        args[0] = "--server.port=0";
        args[1] = "--spring.datasource.url=jdbc:h2:file:" + this.dir.resolve("db")
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH";
        args[2] = "--gatehouse.issuer=https://auth.example.com/";
        System.arraycopy(extra, 0, args, 3, extra.length);
        return new SpringApplicationBuilder(AuthServerApplication.class).run(args);
    }

}
