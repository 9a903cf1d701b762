package dev.gatehouse.authserver.tenant;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.beans.factory.BeanCreationException;
import org.springframework.core.io.ClassPathResource;

import dev.gatehouse.authserver.tenant.TenantClient.AppType;
import dev.gatehouse.authserver.tenant.TenantFileException.Problem;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class TenantFileReaderTests {

    @Test
    void demoTenantDeclaresTheFixedDemoNames() {
        Tenant demo = TenantFileReader.readClasspath(TenantImporter.DEMO_TENANT);

        TenantClient spa = client(demo, "gatehouse-spa");
        assertThat(spa.name()).isEqualTo("Gatehouse SPA");
        assertThat(spa.appType()).isEqualTo(AppType.SPA);
        assertThat(spa.clientSecret()).isNull();
        assertThat(spa.callbacks()).containsExactly("http://localhost:4200");
        assertThat(spa.allowedLogoutUrls()).containsExactly("http://localhost:4200");
        assertThat(spa.webOrigins()).containsExactly("http://localhost:4200");
        assertThat(spa.allowedOrigins()).containsExactly("http://localhost:4200");
        assertThat(spa.grantTypes()).containsExactly("authorization_code", "refresh_token",
                TenantClient.PASSKEY_GRANT_TYPE);
        assertThat(spa.isFirstParty()).isTrue();
        assertThat(spa.refreshToken()).isEqualTo(new TenantClient.RefreshTokenPolicy(true, 2_592_000L, 1_296_000L, 0));

        TenantClient m2m = client(demo, "gatehouse-m2m");
        assertThat(m2m.appType()).isEqualTo(AppType.NON_INTERACTIVE);
        assertThat(m2m.clientSecret()).isEqualTo("gatehouse-m2m-secret");
        assertThat(m2m.grantTypes()).containsExactly("client_credentials");

        assertThat(demo.resourceServers()).singleElement().satisfies(api -> {
            assertThat(api.identifier()).isEqualTo("https://gatehouse.local/api");
            assertThat(api.name()).isEqualTo("Gatehouse API");
            assertThat(api.scopes()).containsExactly(new ResourceServer.Scope("read:messages", "Read messages"));
            assertThat(api.tokenLifetime()).isEqualTo(86_400);
            assertThat(api.tokenLifetimeForWeb()).isEqualTo(7_200);
            assertThat(api.allowOfflineAccess()).isTrue();
            assertThat(api.enforcePolicies()).isTrue();
            assertThat(api.tokenDialect()).isEqualTo("access_token_authz");
            assertThat(api.skipConsentForVerifiableFirstPartyClients()).isFalse();
        });
        assertThat(demo.clientGrants())
            .containsExactly(new ClientGrant("gatehouse-m2m", "https://gatehouse.local/api", List.of("read:messages")));
        assertThat(demo.roles()).singleElement().satisfies(role -> {
            assertThat(role.name()).isEqualTo("reader");
            assertThat(role.permissions())
                .containsExactly(new Role.Permission("read:messages", "https://gatehouse.local/api"));
        });
        assertThat(demo.users())
            .extracting(TenantUser::email, TenantUser::password, TenantUser::name, TenantUser::roles)
            .containsExactly(
                    org.assertj.core.groups.Tuple.tuple("demo@example.com", "Demo-Passw0rd", "Demo User",
                            List.of("reader")),
                    org.assertj.core.groups.Tuple.tuple("viewer@example.com", "Viewer-Passw0rd", "Viewer User",
                            List.of()));
        assertThat(demo.ignoredFields()).isEmpty();
        assertThat(demo.database()).isEqualTo(
                new DatabaseConnection("Username-Password-Authentication", null, true, "both", true, true, false));
        assertThat(demo.guardian().enabledFactors()).containsExactlyInAnyOrder("otp", "webauthn-roaming",
                "webauthn-platform", "recovery-code");
        assertThat(demo.guardian().alwaysRequired()).isFalse();
    }

    @Test
    void deployCliDatabaseAndGuardianSectionsAreRead() {
        String yaml = """
                clients:
                  - name: SPA
                    client_id: spa
                    app_type: spa
                    grant_types: [authorization_code, urn:okta:params:oauth:grant-type:webauthn]
                databases:
                  - name: Username-Password-Authentication
                    strategy: auth0
                    enabled_clients: [SPA]
                    options:
                      passwordPolicy: good
                      disable_signup: true
                      authentication_methods:
                        password: {enabled: true}
                        passkey: {enabled: true}
                      passkey_options:
                        challenge_ui: autofill
                        progressive_enrollment_enabled: false
                        local_enrollment_enabled: true
                guardianFactors:
                  - {name: sms, enabled: false}
                  - {name: otp, enabled: true}
                  - {name: recovery-code, enabled: true}
                guardianPolicies:
                  policies: [all-applications]
                """;
        Tenant tenant = TenantFileReader.read("inline.yaml", new StringReader(yaml));

        assertThat(tenant.clients().get(0).grantTypes()).contains(TenantClient.PASSKEY_GRANT_TYPE);
        assertThat(tenant.database()).isEqualTo(new DatabaseConnection("Username-Password-Authentication",
                List.of("spa"), true, "autofill", false, true, true));
        assertThat(tenant.guardian().enabledFactors()).containsExactlyInAnyOrder("otp", "recovery-code");
        assertThat(tenant.guardian().alwaysRequired()).isTrue();
        assertThat(tenant.ignoredFields()).containsExactly("databases[0].options.passwordPolicy");
    }

    @Test
    void tenantWithoutTheSectionsHasPasswordsOnlyAndNoSecondFactor() {
        Tenant tenant = TenantFileReader.read("inline.yaml", new StringReader("""
                clients:
                  - {name: SPA, client_id: spa, app_type: spa}
                """));
        assertThat(tenant.database()).isEqualTo(DatabaseConnection.PASSWORDS_ONLY);
        assertThat(tenant.guardian()).isEqualTo(GuardianSettings.NEVER);
    }

    @Test
    void exampleTenantFileLoadsWithEveryFieldAndListsItsIgnoredFields() {
        Tenant example = TenantFileReader.read(Path.of("tenant.example.yaml"));

        assertThat(example.clients()).extracting(TenantClient::clientId)
            .containsExactly("example-spa", "example-backend");
        assertThat(example.resourceServers()).singleElement().satisfies(api -> assertThat(api.scopes()).hasSize(2));
        // The grant names its client by name, as Deploy CLI exports do; it is resolved to
        // the client_id.
        assertThat(example.clientGrants()).containsExactly(
                new ClientGrant("example-backend", "https://api.example.local/orders", List.of("read:orders")));
        assertThat(example.roles()).extracting(Role::name).containsExactly("customer", "auditor");
        assertThat(example.users()).extracting(TenantUser::email)
            .containsExactly("alice@example.local", "bob@example.local");
        assertThat(example.users().get(1).passwordHash()).startsWith("{bcrypt}");
        assertThat(example.ignoredFields()).containsExactlyInAnyOrder("tenant", "clients[0].token_endpoint_auth_method",
                "clients[0].jwt_configuration");
    }

    @Test
    void unsupportedDeployCliFieldsAreAcceptedAndListedAsIgnored() {
        Tenant tenant = TenantFileReader.read(path("tenant/with-ignored-fields.yaml"));

        assertThat(tenant.ignoredFields()).containsExactlyInAnyOrder("tenant", "rules",
                "clients[0].token_endpoint_auth_method", "clients[0].grant_types[1] (password)",
                "clients[0].jwt_configuration", "resourceServers[0].signing_alg");
        assertThat(tenant.clients().get(0).grantTypes()).containsExactly("authorization_code");
    }

    static Stream<Arguments> invalidFiles() {
        return Stream.of(
                Arguments.of("bad-app-type.yaml", "clients[1].app_type",
                        "'website' is not allowed; use one of " + "[native, non_interactive, regular_web, spa]"),
                Arguments.of("bad-callback.yaml", "clients[0].callbacks[1]", "not an absolute http(s) URL"),
                Arguments.of("web-origin-with-path.yaml", "clients[0].web_origins[0]", "no path"),
                Arguments.of("unknown-user-role.yaml", "users[0].roles[1]", "role 'admin' is not defined"),
                Arguments.of("grant-undefined-audience.yaml", "clientGrants[0].audience",
                        "no resourceServers entry has identifier 'https://other.test'"),
                Arguments.of("grant-undefined-client.yaml", "clientGrants[0].client_id",
                        "no client has client_id or name 'Nobody'"),
                Arguments.of("grant-undefined-scope.yaml", "clientGrants[0].scope[0]",
                        "scope 'write:things' is not defined on https://api.test"),
                Arguments.of("permission-undefined-api.yaml", "roles[0].permissions[0].resource_server_identifier",
                        "no resourceServers entry has identifier 'https://nowhere.test'"),
                Arguments.of("permission-undefined-scope.yaml", "roles[0].permissions[1].permission_name",
                        "'delete:things' is not a scope of https://api.test"),
                Arguments.of("duplicate-client-id.yaml", "clients[1].client_id", "duplicate client_id 'app'"),
                Arguments.of("duplicate-identifier.yaml", "resourceServers[1].identifier", "duplicate API identifier"),
                Arguments.of("duplicate-email.yaml", "users[1].email", "duplicate email 'a@example.com'"),
                Arguments.of("control-character-email.yaml", "users[1].email", "is not an email address"),
                Arguments.of("blank-client-id.yaml", "clients[0].client_id", "is required"),
                Arguments.of("negative-lifetime.yaml", "resourceServers[0].token_lifetime", "-60 is out of range"),
                Arguments.of("negative-idle-lifetime.yaml", "clients[0].refresh_token.idle_token_lifetime",
                        "-1 is out of range"),
                Arguments.of("bad-boolean.yaml", "clients[0].is_first_party", "'maybe' is not a boolean"),
                Arguments.of("refresh-lifetime-with-non-expiring.yaml", "clients[0].refresh_token.token_lifetime",
                        "would be ignored because expiration_type is non-expiring"),
                Arguments.of("refresh-rotating-non-expiring.yaml", "clients[0].refresh_token.expiration_type",
                        "rotating refresh tokens expire"),
                Arguments.of("refresh-leeway-without-rotation.yaml", "clients[0].refresh_token.leeway",
                        "applies to rotating refresh tokens only"),
                Arguments.of("refresh-infinite-with-lifetime.yaml", "clients[0].refresh_token.token_lifetime",
                        "contradicts infinite_token_lifetime"),
                Arguments.of("spa-with-client-credentials.yaml", "clients[0].grant_types",
                        "client_credentials needs a confidential client"),
                Arguments.of("missing-password.yaml", "users[0]", "needs password or password_hash"),
                Arguments.of("pop-mtls-required.yaml", "resourceServers[0].proof_of_possession.mechanism",
                        "mtls (certificate-bound tokens) is not supported"),
                Arguments.of("pop-unknown-mechanism.yaml", "resourceServers[0].proof_of_possession.mechanism",
                        "use one of [dpop, mtls]"),
                Arguments.of("guardian-unserved-factor.yaml", "guardianFactors[1].enabled",
                        "does not serve the sms factor"),
                Arguments.of("guardian-policy-unsupported.yaml", "guardianPolicies.policies[0]",
                        "'confidence-score' is not supported"),
                Arguments.of("guardian-always-without-factor.yaml", "guardianPolicies.policies",
                        "all-applications needs a second factor"),
                Arguments.of("database-unknown-client.yaml", "databases[0].enabled_clients[1]",
                        "no client has client_id or name 'Nobody'"),
                Arguments.of("database-bad-challenge-ui.yaml", "databases[0].options.passkey_options.challenge_ui",
                        "'popup' is not allowed"),
                Arguments.of("invalid-yaml.yaml", "", "invalid YAML syntax"));
    }

    /**
     * Each file marks the offending line with "# <- error"; the report must name that
     * line and the field.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidFiles")
    void invalidFileIsRejectedNamingFieldLineAndWhatIsAllowed(String file, String field, String message)
            throws IOException {
        Path path = path("tenant/invalid/" + file);
        int markedLine = markedLine(path);

        assertThatExceptionOfType(TenantFileException.class).isThrownBy(() -> TenantFileReader.read(path))
            .satisfies(ex -> {
                assertThat(ex.source()).isEqualTo(path.toString());
                assertThat(ex.problems()).singleElement().satisfies(problem -> {
                    assertThat(problem.path()).isEqualTo(field);
                    assertThat(problem.line()).isEqualTo(markedLine);
                    assertThat(problem.message()).contains(message);
                });
                assertThat(ex.getMessage()).contains(path.toString()).contains(field).contains("line " + markedLine);
            });
    }

    @Test
    void proofOfPossessionSettingsAreReadWithAuth0sFieldNames() throws IOException {
        String yaml = """
                clients:
                  - name: Bound SPA
                    client_id: bound-spa
                    app_type: spa
                    callbacks: [http://localhost:4200]
                    require_proof_of_possession: true
                  - name: Plain SPA
                    client_id: plain-spa
                    app_type: spa
                    callbacks: [http://localhost:4200]
                resourceServers:
                  - name: Required
                    identifier: https://required.example.test
                    proof_of_possession: { mechanism: dpop, required: true }
                  - name: Allowed
                    identifier: https://allowed.example.test
                    proof_of_possession: { mechanism: dpop, required: false }
                  - name: Certificates optional
                    identifier: https://mtls.example.test
                    proof_of_possession: { mechanism: mtls, required: false }
                  - name: Plain
                    identifier: https://plain.example.test
                """;
        Tenant tenant = TenantFileReader.read("inline.yaml", new StringReader(yaml));
        assertThat(client(tenant, "bound-spa").requireProofOfPossession()).isTrue();
        assertThat(client(tenant, "plain-spa").requireProofOfPossession()).isFalse();
        assertThat(tenant.resourceServers()).extracting(ResourceServer::requiresDPoP)
            .containsExactly(true, false, false, false);
        assertThat(tenant.resourceServers().get(1).proofOfPossession())
            .isEqualTo(new ResourceServer.ProofOfPossession("dpop", false));
        assertThat(tenant.resourceServers().get(2).proofOfPossession()).isNull();
        assertThat(tenant.ignoredFields()).contains("resourceServers[2].proof_of_possession.mechanism (mtls)");

        String withoutRequired = """
                resourceServers:
                  - name: API
                    identifier: https://api.example.test
                    proof_of_possession: { mechanism: dpop }
                """;
        assertThatExceptionOfType(TenantFileException.class)
            .isThrownBy(() -> TenantFileReader.read("inline.yaml", new StringReader(withoutRequired)))
            .satisfies(ex -> assertThat(ex.problems()).extracting(Problem::path)
                .containsExactly("resourceServers[0].proof_of_possession.required"));
    }

    @Test
    void everyProblemOfAFileIsReportedAtOnce() {
        String yaml = """
                clients:
                  - name: A
                    app_type: desktop
                    callbacks: [not-a-url]
                users:
                  - email: nobody
                    password: x
                    roles: [ghost]
                """;
        assertThatExceptionOfType(TenantFileException.class)
            .isThrownBy(() -> TenantFileReader.read("inline.yaml", new StringReader(yaml)))
            .satisfies(ex -> assertThat(ex.problems()).extracting(Problem::path)
                .containsExactly("clients[0].app_type", "clients[0].callbacks[0]", "users[0].email",
                        "users[0].roles[0]"));
    }

    @Test
    void missingFileIsReportedWithoutAStackTrace() {
        Path missing = Path.of("target/does-not-exist.yaml");
        assertThatExceptionOfType(TenantFileException.class).isThrownBy(() -> TenantFileReader.read(missing))
            .withMessageContaining("does-not-exist.yaml")
            .withMessageContaining("the file does not exist");
    }

    @Test
    void emptyFileIsRejected() {
        assertThatExceptionOfType(TenantFileException.class)
            .isThrownBy(() -> TenantFileReader.read("empty.yaml", new StringReader("# nothing\n")))
            .withMessageContaining("the file is empty");
    }

    @Test
    void failureAnalyzerTurnsAWrappedTenantFileErrorIntoAShortReport() {
        TenantFileException error = new TenantFileException("my-tenant.yaml",
                List.of(new Problem("clients[1].app_type", 7, "'website' is not allowed; use one of [spa]")));
        FailureAnalysis analysis = new TenantFileFailureAnalyzer()
            .analyze(new BeanCreationException("tenantImporter", "failed", error));

        assertThat(analysis).isNotNull();
        assertThat(analysis.getDescription()).contains("my-tenant.yaml")
            .contains("clients[1].app_type (line 7): 'website' is not allowed");
        assertThat(analysis.getAction()).contains("gatehouse.tenant-file");
    }

    @Test
    void publicClientWithOnlyALifetimeGetsRotatingRefreshTokensThatExpireThen() {
        Tenant tenant = TenantFileReader.read("tenant.yaml", new StringReader("""
                clients:
                  - name: SPA
                    client_id: spa
                    app_type: spa
                    refresh_token:
                      token_lifetime: 3600
                  - name: Web
                    client_id: web
                    app_type: regular_web
                    client_secret: web-secret
                    callbacks: [http://localhost:5000/callback]
                  - name: Native
                    client_id: native
                    app_type: native
                    refresh_token:
                      rotation_type: rotating
                      leeway: 10
                      infinite_idle_token_lifetime: true
                """));

        assertThat(client(tenant, "spa").refreshToken())
            .isEqualTo(new TenantClient.RefreshTokenPolicy(true, 3600L, 3600L, 0));
        assertThat(client(tenant, "web").refreshToken()).isEqualTo(TenantClient.RefreshTokenPolicy.NON_ROTATING);
        assertThat(client(tenant, "native").refreshToken())
            .isEqualTo(new TenantClient.RefreshTokenPolicy(true, 2_592_000L, null, 10));
    }

    @Test
    void blockedUserIsReadFromAuth0sBlockedFlag() {
        Tenant tenant = TenantFileReader.read("tenant.yaml", new StringReader("""
                users:
                  - { email: a@example.com, password: A-Passw0rd, blocked: true }
                  - { email: b@example.com, password: B-Passw0rd }
                """));

        assertThat(tenant.users()).extracting(TenantUser::blocked).containsExactly(true, false);
    }

    @Test
    void loggedTenantValuesNeverContainPasswordsOrSecrets() {
        Tenant demo = TenantFileReader.readClasspath(TenantImporter.DEMO_TENANT);
        assertThat(demo.toString()).doesNotContain("Demo-Passw0rd").doesNotContain("gatehouse-m2m-secret");
    }

    private static TenantClient client(Tenant tenant, String clientId) {
        return tenant.clients().stream().filter(c -> c.clientId().equals(clientId)).findFirst().orElseThrow();
    }

    private static Path path(String resource) {
        try {
            return new ClassPathResource(resource).getFile().toPath();
        }
        catch (IOException ex) {
            throw new IllegalStateException(ex);
        }
    }

    private static int markedLine(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file);
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains("# <- error")) {
                return i + 1;
            }
        }
        throw new IllegalStateException("no '# <- error' marker in " + file);
    }

}
