package dev.gatehouse.authserver.tenant;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

import dev.gatehouse.authserver.store.TestDatabases;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/**
 * Keyword replacement at startup, set up as an operator does it: the tenant file with
 * {@code ##KEY##} / {@code @@KEY@@}, the values in {@code gatehouse.tenant-keywords.*}.
 */
@ExtendWith(OutputCaptureExtension.class)
class TenantKeywordStartupTests {

    @TempDir
    Path dir;

    @Test
    void tenantFileWithKeywordsIsAppliedWithTheMappedValuesAndDerivedIdsAreLogged(CapturedOutput output)
            throws IOException {
        Path tenant = Files.writeString(this.dir.resolve("tenant.yaml"), """
                clients:
                  - name: ##APP_NAME##
                    app_type: spa
                    callbacks: @@CALLBACKS@@
                """);
        Path mappings = Files.writeString(this.dir.resolve("config.json"), """
                {"AUTH0_KEYWORD_REPLACE_MAPPINGS": {"APP_NAME": "Keyword SPA", "CALLBACKS": ["http://localhost:4300/"]}}
                """);
        try (ConfigurableApplicationContext context = start("gatehouse.tenant-file=" + tenant,
                "gatehouse.tenant-keywords.mappings-file=" + mappings)) {
            TenantClient client = context.getBean(TenantDirectory.class)
                .findClient(DerivedClientIds.of("Keyword SPA"))
                .orElseThrow();
            assertThat(client.name()).isEqualTo("Keyword SPA");
            assertThat(client.callbacks()).containsExactly("http://localhost:4300/");
            assertThat(output).contains("client 'Keyword SPA' has no client_id; using the id derived from its name: "
                    + DerivedClientIds.of("Keyword SPA"));
        }
    }

    @Test
    void keywordWithoutValueStopsStartupWithAShortReport(CapturedOutput output) throws IOException {
        Path tenant = Files.writeString(this.dir.resolve("tenant.yaml"), """
                clients:
                  - name: SPA
                    client_id: spa
                    app_type: spa
                    callbacks: ["##GATEHOUSE_TEST_UNSET_CALLBACK##"]
                """);
        assertThatException().isThrownBy(() -> start("gatehouse.tenant-file=" + tenant));

        assertThat(output).contains("APPLICATION FAILED TO START")
            .contains("(line 5): the keyword ##GATEHOUSE_TEST_UNSET_CALLBACK## has no value")
            .contains("gatehouse.tenant-keywords.mappings-file")
            .doesNotContain("\tat dev.gatehouse");
    }

    private static ConfigurableApplicationContext start(String... properties) {
        return new SpringApplicationBuilder(TenantStartupTests.StoreApp.class).web(WebApplicationType.NONE)
            .properties("spring.datasource.url=" + TestDatabases.newH2Url())
            .properties(properties)
            .run();
    }

}
