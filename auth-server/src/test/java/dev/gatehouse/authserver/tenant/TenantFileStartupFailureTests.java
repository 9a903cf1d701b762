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
import org.springframework.context.annotation.Import;

import dev.gatehouse.authserver.store.StoreTestConfiguration;
import dev.gatehouse.authserver.store.TestDatabases;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/** A bad tenant file seen the way an operator sees it: the startup report, not a stack trace. */
@ExtendWith(OutputCaptureExtension.class)
class TenantFileStartupFailureTests {

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
        assertThatException().isThrownBy(() -> new SpringApplicationBuilder(StoreApp.class)
                .web(WebApplicationType.NONE)
                .properties("spring.datasource.url=" + TestDatabases.newH2Url(), "gatehouse.tenant-file=" + file)
                .run());

        assertThat(output).contains("APPLICATION FAILED TO START")
                .contains("Tenant file " + file + " is invalid")
                .contains("clients[0].web_origins[0] (line 6)")
                .contains("Fix the tenant file")
                .doesNotContain("\tat dev.gatehouse");
    }

    @SpringBootConfiguration
    @ImportAutoConfiguration({ DataSourceAutoConfiguration.class, DataSourceTransactionManagerAutoConfiguration.class,
            JdbcTemplateAutoConfiguration.class, JdbcClientAutoConfiguration.class, FlywayAutoConfiguration.class })
    @Import(StoreTestConfiguration.class)
    static class StoreApp {
    }
}
