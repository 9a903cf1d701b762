package dev.gatehouse.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;

class SettingsTests {

    private static final Path ROOT = Path.of("repo").toAbsolutePath();

    @Test
    void unsetVariablesGiveTheDefaultPortsDataAndLogsInTheRepository() {
        Settings settings = Settings.fromEnvironment(ROOT, Map.of("GATEHOUSE_JAVA", "java"), Os.LINUX);

        assertThat(settings.authServerPort()).isEqualTo(9000);
        assertThat(settings.apiPort()).isEqualTo(3001);
        assertThat(settings.spaPort()).isEqualTo(4200);
        assertThat(settings.issuer()).isEqualTo("http://localhost:9000/");
        assertThat(settings.authDomain()).isEmpty();
        assertThat(settings.dataDir()).isEqualTo(ROOT.resolve("data"));
        assertThat(settings.logDir()).isEqualTo(ROOT.resolve(".run").resolve("logs"));
        assertThat(settings.apiJavaOptions()).containsExactly("-Xmx128m", "-XX:+UseSerialGC",
                "-XX:+IgnoreUnrecognizedVMOptions", "-XX:TrimNativeHeapInterval=5000");
        assertThat(settings.authServerJavaOptions()).containsExactly("-Xmx128m", "-XX:+UseSerialGC",
                "-XX:ReservedCodeCacheSize=64m", "-XX:+IgnoreUnrecognizedVMOptions", "-XX:TrimNativeHeapInterval=5000");
        assertThat(settings.java()).isEqualTo("java");
    }

    @Test
    void movedAuthServerPortMovesTheIssuerAndTheSpasAuthDomain() {
        Settings settings = Settings.fromEnvironment(ROOT,
                Map.of("AUTH_SERVER_PORT", "9100", "API_PORT", "3002", "SPA_PORT", "4300"), Os.LINUX);

        assertThat(settings.issuer()).isEqualTo("http://localhost:9100/");
        assertThat(settings.authDomain()).isEqualTo("http://localhost:9100");
        assertThat(settings.apiUrl()).isEqualTo("http://localhost:3002");
        assertThat(settings.spaUrl()).isEqualTo("http://localhost:4300");
    }

    @Test
    void apiJavaOptsAreSplitAtWhiteSpaceAndBlankMeansTheDefault() {
        assertThat(Settings.fromEnvironment(ROOT, Map.of("API_JAVA_OPTS", " -Xmx256m\t-XX:+UseZGC "), Os.LINUX)
            .apiJavaOptions()).containsExactly("-Xmx256m", "-XX:+UseZGC");
        assertThat(Settings.fromEnvironment(ROOT, Map.of("API_JAVA_OPTS", "  "), Os.LINUX).apiJavaOptions())
            .containsExactly("-Xmx128m", "-XX:+UseSerialGC", "-XX:+IgnoreUnrecognizedVMOptions",
                    "-XX:TrimNativeHeapInterval=5000");
    }

    @Test
    void authServerJavaOptsReplaceTheAuthorizationServersDefaultFlags() {
        assertThat(Settings.fromEnvironment(ROOT, Map.of("AUTH_SERVER_JAVA_OPTS", "-Xmx512m -XX:+UseG1GC"), Os.LINUX)
            .authServerJavaOptions()).containsExactly("-Xmx512m", "-XX:+UseG1GC");
    }

    @Test
    void aPortThatIsNoPortNumberIsRefusedNamingTheVariable() {
        assertThatThrownBy(() -> Settings.fromEnvironment(ROOT, Map.of("API_PORT", "30o1"), Os.LINUX))
            .isInstanceOf(LaunchException.class)
            .hasMessage("API_PORT must be a port number from 1 to 65535, not '30o1'.");
        assertThatThrownBy(() -> Settings.fromEnvironment(ROOT, Map.of("SPA_PORT", "70000"), Os.LINUX))
            .hasMessageContaining("SPA_PORT must be a port number");
    }

    @Test
    void twoPartsOnOnePortAreRefused() {
        assertThatThrownBy(() -> Settings.fromEnvironment(ROOT, Map.of("API_PORT", "4200"), Os.LINUX))
            .isInstanceOf(LaunchException.class)
            .hasMessageContaining("must be three different ports");
        assertThatThrownBy(() -> Settings.fromEnvironment(ROOT, Map.of("HTTPS_PORT", "9000"), Os.LINUX))
            .isInstanceOf(LaunchException.class)
            .hasMessageContaining("HTTPS_PORT (9000) must differ");
    }

    @Test
    void pathsInTheRepositoryAreShownRelativeToIt() {
        Settings settings = Settings.fromEnvironment(ROOT, Map.of(), Os.LINUX);

        assertThat(settings.display(ROOT.resolve(".run").resolve("logs").resolve("api.log")))
            .isEqualTo(Path.of(".run", "logs", "api.log").toString());
        assertThat(settings.display(Path.of("/elsewhere/x.log").toAbsolutePath()))
            .isEqualTo(Path.of("/elsewhere/x.log").toAbsolutePath().toString());
    }

}
