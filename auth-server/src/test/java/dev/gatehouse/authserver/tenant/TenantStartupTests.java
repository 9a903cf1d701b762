package dev.gatehouse.authserver.tenant;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.JdbcClientAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.JdbcTemplateAutoConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Import;

import dev.gatehouse.authserver.store.StoreTestConfiguration;
import dev.gatehouse.authserver.store.TestDatabases;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/**
 * The tenant at startup as an operator sees it: the log lines and, for a bad file, the
 * failure report.
 */
@ExtendWith(OutputCaptureExtension.class)
class TenantStartupTests {

    @TempDir
    Path dir;

    @Test
    void badTenantFileStopsStartupWithAShortReportNamingFileFieldAndLine(CapturedOutput output) throws IOException {
        Path file = Files.writeString(dir.resolve("tenant.yaml"), """
                clients:
                  - name: SPA
                    client_id: spa
                    app_type: spa
                    web_origins:
                      - http://localhost:4200/path
                """);
        assertThatException().isThrownBy(() -> new SpringApplicationBuilder(StoreApp.class).web(WebApplicationType.NONE)
            .properties("spring.datasource.url=" + TestDatabases.newH2Url(), "gatehouse.tenant-file=" + file)
            .run());

        assertThat(output).contains("APPLICATION FAILED TO START")
            .contains("Tenant file " + file + " is invalid")
            .contains("clients[0].web_origins[0] (line 6)")
            .contains("Fix the tenant file")
            .doesNotContain("\tat dev.gatehouse");
    }

    @Test
    void demoTenantPrintsItsLocalOnlyCredentialsBanner(CapturedOutput output) {
        try (ConfigurableApplicationContext context = start("spring.datasource.url=" + TestDatabases.newH2Url())) {
            assertThat(output).contains("GATEHOUSE DEMO TENANT - FOR LOCAL USE ONLY")
                .contains("demo@example.com")
                .contains("Demo-Passw0rd")
                .contains("viewer@example.com")
                .contains("Viewer-Passw0rd")
                .contains("gatehouse-m2m-secret");
        }
    }

    @Test
    void ownTenantFileListsIgnoredFieldsOnceAndNeverPrintsPasswordsOrSecrets(CapturedOutput output) throws IOException {
        Path file = Files.writeString(dir.resolve("tenant.yaml"), """
                tenant:
                  friendly_name: Mine
                clients:
                  - name: Backend
                    client_id: backend
                    app_type: non_interactive
                    client_secret: very-secret-value-42
                    jwt_configuration:
                      alg: RS256
                users:
                  - email: me@example.com
                    password: My-Own-Passw0rd-42
                """);
        try (ConfigurableApplicationContext context = start("spring.datasource.url=" + TestDatabases.newH2Url(),
                "gatehouse.tenant-file=" + file)) {
            assertThat(output.getOut().lines().filter(l -> l.contains("unsupported field(s) ignored")).toList())
                .singleElement()
                .asString()
                .contains("tenant")
                .contains("clients[0].jwt_configuration");
            assertThat(output).contains("Tenant applied from " + file)
                .doesNotContain("My-Own-Passw0rd-42")
                .doesNotContain("very-secret-value-42")
                .doesNotContain("DEMO TENANT");
        }
    }

    private static ConfigurableApplicationContext start(String... properties) {
        return new SpringApplicationBuilder(StoreApp.class).web(WebApplicationType.NONE).properties(properties).run();
    }

    @SpringBootConfiguration
    @ImportAutoConfiguration({ DataSourceAutoConfiguration.class, DataSourceTransactionManagerAutoConfiguration.class,
            JdbcTemplateAutoConfiguration.class, JdbcClientAutoConfiguration.class, FlywayAutoConfiguration.class })
    @Import(StoreTestConfiguration.class)
    static class StoreApp {

    }

}
