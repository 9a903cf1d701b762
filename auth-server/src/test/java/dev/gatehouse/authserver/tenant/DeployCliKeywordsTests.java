package dev.gatehouse.authserver.tenant;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.core.io.ClassPathResource;

import dev.gatehouse.authserver.tenant.TenantFileException.Problem;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The Deploy CLI's keyword replacement in tenant files: {@code ##KEY##} as text,
 * {@code @@KEY@@} as JSON, values from a mapping file, from
 * {@code AUTH0_KEYWORD_REPLACE_MAPPINGS} and from the environment, and a clear error for
 * a keyword without a value.
 */
class DeployCliKeywordsTests {

    private static final Map<String, String> NO_ENVIRONMENT = Map.of();

    @TempDir
    Path dir;

    @Test
    void hashKeywordIsReplacedAsTextAndAtKeywordAsJson() throws IOException {
        Path mappings = json("plain.json", """
                {"NAME": "Orders", "URLS": ["http://localhost:4300/", "http://localhost:4301/"],
                 "LIFETIME": 600, "FIRST_PARTY": false}
                """);
        DeployCliKeywords keywords = DeployCliKeywords.of(mappings, NO_ENVIRONMENT, false);

        String text = keywords.apply("t.yaml", """
                name: ##NAME## SPA
                callbacks: @@URLS@@
                quoted: "@@NAME@@"
                single: '@@NAME@@'
                lifetime: @@LIFETIME@@
                first: ##FIRST_PARTY##
                """);

        assertThat(text).isEqualTo("""
                name: Orders SPA
                callbacks: ["http://localhost:4300/","http://localhost:4301/"]
                quoted: "Orders"
                single: "Orders"
                lifetime: 600
                first: false
                """);
    }

    @Test
    void deployCliConfigJsonUsesItsMappingsObject() throws IOException {
        Path config = json("config.json", """
                {"AUTH0_DOMAIN": "dev.example.auth0.com", "AUTH0_ALLOW_DELETE": false,
                 "AUTH0_KEYWORD_REPLACE_MAPPINGS": {"ENVIRONMENT": "dev"}}
                """);

        String text = DeployCliKeywords.of(config, NO_ENVIRONMENT, false).apply("t.yaml", "name: ##ENVIRONMENT##");

        assertThat(text).isEqualTo("name: dev");
    }

    @Test
    void environmentVariablesOverrideTheMappingsAndTheMappingsVariableOverridesTheFile() throws IOException {
        Path file = json("m.json", """
                {"A": "from-file", "B": "from-file", "C": "from-file"}
                """);
        Map<String, String> environment = Map.of("AUTH0_KEYWORD_REPLACE_MAPPINGS",
                "{\"B\": \"from-variable\", \"C\": \"from-variable\"}", "C", "from-environment");

        String text = DeployCliKeywords.of(file, environment, true).apply("t.yaml", "##A## ##B## ##C##");

        assertThat(text).isEqualTo("from-file from-variable from-environment");
        assertThat(DeployCliKeywords.of(file, environment, false).apply("t.yaml", "##C##"))
            .as("with from-environment off only the mappings count")
            .isEqualTo("from-variable");
    }

    @Test
    void environmentValueInsertedWithAtIsAJsonString() {
        DeployCliKeywords keywords = DeployCliKeywords.of(null, Map.of("SECRET", "s3cr\"et"), true);

        assertThat(keywords.apply("t.yaml", "client_secret: @@SECRET@@")).isEqualTo("client_secret: \"s3cr\\\"et\"");
    }

    @Test
    void keywordWithoutValueStopsTheImportNamingItsLineButOneInACommentIsLeftAlone() {
        DeployCliKeywords keywords = DeployCliKeywords.of(null, Map.of("KNOWN", "x"), true);
        String yaml = """
                # set ##UNSET_IN_COMMENT## in production
                name: ##KNOWN## # and @@UNSET_AFTER_VALUE@@ here too
                description: "issue #5: ##MISSING##"
                callbacks: @@ALSO_MISSING@@
                """;

        assertThatExceptionOfType(TenantFileException.class).isThrownBy(() -> keywords.apply("t.yaml", yaml))
            .satisfies((ex) -> assertThat(ex.problems()).extracting(Problem::line, Problem::message)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(3, "the keyword ##MISSING## has no value: set the "
                        + "environment variable MISSING or add MISSING to AUTH0_KEYWORD_REPLACE_MAPPINGS (looked in the "
                        + "environment variables)"),
                        org.assertj.core.groups.Tuple.tuple(4,
                                "the keyword @@ALSO_MISSING@@ has no value: set the "
                                        + "environment variable ALSO_MISSING or add ALSO_MISSING to "
                                        + "AUTH0_KEYWORD_REPLACE_MAPPINGS (looked in the environment variables)")));
    }

    @Test
    void listValueInsertedAsTextIsRefusedWithTheFix() throws IOException {
        DeployCliKeywords keywords = DeployCliKeywords.of(json("m.json", "{\"URLS\": [\"http://a.example\"]}"),
                NO_ENVIRONMENT, false);

        assertThatExceptionOfType(TenantFileException.class)
            .isThrownBy(() -> keywords.apply("t.yaml", "callbacks: ##URLS##"))
            .withMessageContaining("write @@URLS@@ to insert it as a YAML value");
    }

    @Test
    void unreadableMappingsAreReportedNamingFileOrVariable() throws IOException {
        Path broken = json("broken.json", "{\"A\": ");
        Path list = json("list.json", "[1, 2]");

        assertThatExceptionOfType(TenantFileException.class)
            .isThrownBy(() -> DeployCliKeywords.of(broken, NO_ENVIRONMENT, false))
            .withMessageContaining(
                    "Tenant file of the keywords " + broken + " (gatehouse.tenant-keywords.mappings-file) is invalid")
            .withMessageContaining("not valid JSON");
        assertThatExceptionOfType(TenantFileException.class)
            .isThrownBy(() -> DeployCliKeywords.of(list, NO_ENVIRONMENT, false))
            .withMessageContaining("must be a JSON object of keywords");
        assertThatExceptionOfType(TenantFileException.class)
            .isThrownBy(() -> DeployCliKeywords.of(this.dir.resolve("none.json"), NO_ENVIRONMENT, false))
            .withMessageContaining("the file does not exist");
        assertThatExceptionOfType(TenantFileException.class)
            .isThrownBy(() -> DeployCliKeywords.of(null, Map.of("AUTH0_KEYWORD_REPLACE_MAPPINGS", "nope"), true))
            .withMessageContaining("environment variable AUTH0_KEYWORD_REPLACE_MAPPINGS");
    }

    /**
     * A Deploy CLI export without ids, its keywords filled from a mapping file and the
     * environment, loads: every client gets its name-derived id and the grant that names
     * its client by name points at it.
     */
    @Test
    void deployCliExportWithoutIdsAndWithKeywordsLoads() throws IOException {
        Path export = new ClassPathResource("tenant/deploy-cli-export-without-ids.yaml").getFile().toPath();
        Path mappings = json("config.json", """
                {"AUTH0_KEYWORD_REPLACE_MAPPINGS": {
                  "ENVIRONMENT": "dev", "DOMAIN": "example.local", "API_TOKEN_LIFETIME": 3600,
                  "SPA_URLS": ["http://localhost:4300/"], "SPA_ORIGIN": "http://localhost:4300"}}
                """);
        DeployCliKeywords keywords = DeployCliKeywords.of(mappings, Map.of("BACKEND_SECRET", "backend-secret-42"),
                true);

        Tenant tenant = TenantFileReader.read(export, keywords);

        String spaId = DerivedClientIds.of("Orders SPA");
        String backendId = DerivedClientIds.of("Orders Backend");
        assertThat(tenant.clients()).extracting(TenantClient::clientId).containsExactly(spaId, backendId);
        TenantClient spa = tenant.clients().get(0);
        assertThat(spa.callbacks()).containsExactly("http://localhost:4300/");
        assertThat(spa.allowedLogoutUrls()).containsExactly("http://localhost:4300/");
        assertThat(spa.webOrigins()).containsExactly("http://localhost:4300");
        assertThat(tenant.clients().get(1).clientSecret()).isEqualTo("backend-secret-42");
        assertThat(tenant.resourceServers()).singleElement().satisfies((api) -> {
            assertThat(api.identifier()).isEqualTo("https://orders.example.local/api");
            assertThat(api.tokenLifetime()).isEqualTo(3600);
        });
        assertThat(tenant.clientGrants())
            .containsExactly(new ClientGrant(backendId, "https://orders.example.local/api", List.of("read:orders")));
    }

    @Test
    void derivedClientIdIsTheFirst32HexDigitsOfTheNamesSha256() {
        // printf '%s' 'Orders SPA' | sha256sum | cut -c1-32
        assertThat(DerivedClientIds.of("Orders SPA")).isEqualTo("a6ba510a2ee77a49addf419595c39da9");
    }

    @Test
    void clientWithoutNameOrIdIsStillReportedAndAWrittenIdIsKept() {
        String yaml = """
                clients:
                  - app_type: spa
                  - name: Named
                    client_id: my-own-id
                    app_type: spa
                """;
        assertThatExceptionOfType(TenantFileException.class)
            .isThrownBy(() -> TenantFileReader.read("inline.yaml", new StringReader(yaml)))
            .satisfies((ex) -> assertThat(ex.problems()).extracting(Problem::path)
                .containsExactly("clients[0].name", "clients[0].client_id"));
        Tenant tenant = TenantFileReader.read("inline.yaml", new StringReader(yaml.replace("  - app_type: spa\n", "")));
        assertThat(tenant.clients()).extracting(TenantClient::clientId).containsExactly("my-own-id");
    }

    private Path json(String name, String content) throws IOException {
        return Files.writeString(this.dir.resolve(name), content);
    }

}
