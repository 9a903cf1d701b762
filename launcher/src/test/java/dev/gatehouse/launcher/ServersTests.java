package dev.gatehouse.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class ServersTests {

    private static final Path ROOT = Path.of("repo").toAbsolutePath();

    private static Settings settings(Map<String, String> env) {
        return Settings.fromEnvironment(ROOT, env, Os.LINUX);
    }

    @Test
    void authServerRunsItsJarOnItsPortWithTheIssuerOfThatPort() {
        Servers servers = Servers.of(settings(Map.of("GATEHOUSE_JAVA", "/jdk/bin/java", "AUTH_SERVER_PORT", "9100")));

        assertThat(servers.authServer().command()).containsExactly("/jdk/bin/java", "-Xmx128m", "-XX:+UseSerialGC",
                "-XX:ReservedCodeCacheSize=64m", "-XX:+IgnoreUnrecognizedVMOptions", "-XX:TrimNativeHeapInterval=5000",
                "-jar", ROOT.resolve("auth-server/target/auth-server.jar").toString(), "--server.port=9100");
        assertThat(servers.authServer().environment()).containsEntry("GATEHOUSE_ISSUER", "http://localhost:9100/");
        assertThat(servers.authServer().readinessUrl()).hasToString("http://localhost:9100/actuator/health");
        assertThat(servers.authServer().logFile()).isEqualTo(ROOT.resolve(".run/logs/auth-server.log"));
    }

    @Test
    void apiRunsWithItsJvmFlagsAndTrustsTheMovedIssuer() {
        Servers servers = Servers.of(settings(Map.of("GATEHOUSE_JAVA", "java", "AUTH_SERVER_PORT", "9100", "API_PORT",
                "3002", "API_JAVA_OPTS", "-Xmx64m")));

        assertThat(servers.api().command()).containsExactly("java", "-Xmx64m", "-jar",
                ROOT.resolve("api/target/api.jar").toString(), "--server.port=3002",
                "--spring.security.oauth2.resourceserver.jwt.issuer-uri=http://localhost:9100/",
                "--gatehouse.api.jwt.issuer-aliases=https://localhost:9443/");
    }

    @Test
    void bannerSaysOnOneLinePerOsHowToTrustTheLocalCa() {
        String ca = ROOT.resolve("data/tls/gatehouse-ca.pem").toString();
        assertThat(Gatehouse.trustCommands(settings(Map.of())).lines().toList()).satisfiesExactly(
                (linux) -> assertThat(linux).contains("Linux", "certutil -d sql:$HOME/.pki/nssdb", ca),
                (macos) -> assertThat(macos).contains("macOS", "security add-trusted-cert", ca),
                (windows) -> assertThat(windows).contains("Windows", "certutil -user -addstore Root", ca));
    }

    @Test
    void httpsPortMovesTheAuthServersHttpsAddressAndTheIssuerTheApiAccepts() {
        Servers servers = Servers.of(settings(Map.of("HTTPS_PORT", "9444")));

        assertThat(servers.authServer().environment()).containsEntry("GATEHOUSE_HTTPS_PORT", "9444");
        assertThat(servers.api().command()).contains("--gatehouse.api.jwt.issuer-aliases=https://localhost:9444/");
        assertThat(settings(Map.of()).httpsDomain()).isEqualTo("localhost:9443");
        assertThat(settings(Map.of()).caCertificate()).isEqualTo(ROOT.resolve("data/tls/gatehouse-ca.pem"));
    }

    @Test
    void spaServerIsToldWhereTheApiAndTheMovedAuthorizationServerAre() {
        Servers moved = Servers.of(settings(Map.of("AUTH_SERVER_PORT", "9100", "API_PORT", "3002")));
        Servers defaults = Servers.of(settings(Map.of()));

        assertThat(moved.spa().command()).containsExactly("node", ROOT.resolve("spa/server.mjs").toString());
        assertThat(moved.spa().environment()).containsEntry("SPA_PORT", "4200")
            .containsEntry("API_URL", "http://localhost:3002")
            .containsEntry("AUTH_DOMAIN", "http://localhost:9100");
        // Empty, not absent: an AUTH_DOMAIN in the user's environment must not leak in.
        assertThat(defaults.spa().environment()).containsEntry("AUTH_DOMAIN", "");
    }

    @Test
    void jvmOfEachServerIsTheJavaWithItsMeasuredFlags() {
        Settings settings = settings(Map.of("GATEHOUSE_JAVA", "/jdk/bin/java"));

        assertThat(Servers.jvm(settings, "api")).containsExactly("/jdk/bin/java", "-Xmx128m", "-XX:+UseSerialGC",
                "-XX:+IgnoreUnrecognizedVMOptions", "-XX:TrimNativeHeapInterval=5000");
        assertThat(Servers.jvm(settings, "auth-server")).containsExactly("/jdk/bin/java", "-Xmx128m",
                "-XX:+UseSerialGC", "-XX:ReservedCodeCacheSize=64m", "-XX:+IgnoreUnrecognizedVMOptions",
                "-XX:TrimNativeHeapInterval=5000");
    }

    @Test
    void devServerIsNpmStartWithThePortRepeatedOnlyWhenMoved() {
        assertThat(Servers.spaDevServer(settings(Map.of()), Os.LINUX).command()).containsExactly("npm", "start");
        assertThat(Servers.spaDevServer(settings(Map.of("SPA_PORT", "4300")), Os.WINDOWS).command())
            .isEqualTo(List.of("cmd.exe", "/c", "npm", "start", "--", "--port", "4300"));
        assertThat(Servers.spaDevServer(settings(Map.of()), Os.LINUX).logFile()).isNull();
    }

}
