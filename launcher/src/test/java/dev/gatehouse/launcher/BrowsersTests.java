package dev.gatehouse.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The browser search and the Debian install, against a made-up machine: which files are
 * executable, what /etc/os-release says, what is on the PATH and what apt-get does are
 * the test's.
 */
class BrowsersTests {

    private static final Path CHROMIUM = Paths.get("/usr/bin/chromium");

    @TempDir
    Path dir;

    private final Set<Path> installed = new HashSet<>();

    private final List<List<String>> commands = new ArrayList<>();

    private final ByteArrayOutputStream output = new ByteArrayOutputStream();

    private final PrintStream out = new PrintStream(this.output, true, StandardCharsets.UTF_8);

    private Browsers machine(Os os, String osRelease, boolean root, String... programsOnPath) throws IOException {
        Path release = this.dir.resolve("os-release");
        Files.writeString(release, osRelease);
        Path bin = Files.createDirectories(this.dir.resolve("bin"));
        for (String program : programsOnPath) {
            Path file = bin.resolve(program);
            Files.writeString(file, "");
            file.toFile().setExecutable(true);
        }
        return new Browsers(os, Map.of("PATH", bin.toString(), "HOME", "/home/u", "ProgramFiles", "C:\\Programs"),
                this.installed::contains, release, () -> root);
    }

    /** apt-get as the test wants it: installing chromium puts it at /usr/bin/chromium. */
    private int apt(List<String> command, int status) {
        this.commands.add(command);
        if (status == 0 && command.contains("install")) {
            this.installed.add(CHROMIUM);
        }
        return status;
    }

    @Test
    void debianChromiumIsUsedWhenItIsThere() throws IOException {
        this.installed.add(CHROMIUM);

        Path browser = machine(Os.LINUX, "ID=debian\n", true, "apt-get").ensure(this.out, (c) -> apt(c, 0));

        assertThat(browser).isEqualTo(CHROMIUM);
        assertThat(this.commands).isEmpty();
    }

    @Test
    void onDebianAsRootAMissingChromiumIsInstalledWithAptGet() throws IOException {
        Path browser = machine(Os.LINUX, "PRETTY_NAME=\"Debian GNU/Linux 12\"\nID=debian\n", true, "apt-get")
            .ensure(this.out, (c) -> apt(c, 0));

        assertThat(browser).isEqualTo(CHROMIUM);
        assertThat(this.commands).containsExactly(List.of("apt-get", "update"),
                List.of("env", "DEBIAN_FRONTEND=noninteractive", "apt-get", "install", "-y", "chromium"));
        assertThat(this.output.toString(StandardCharsets.UTF_8))
            .contains("==> Installing Chromium for the browser tests (Debian package 'chromium')");
    }

    @Test
    void onUbuntuAsAUserItIsInstalledThroughSudo() throws IOException {
        machine(Os.LINUX, "ID=ubuntu\nID_LIKE=debian\n", false, "apt-get", "sudo").ensure(this.out, (c) -> apt(c, 0));

        assertThat(this.commands).containsExactly(List.of("sudo", "apt-get", "update"),
                List.of("sudo", "env", "DEBIAN_FRONTEND=noninteractive", "apt-get", "install", "-y", "chromium"));
    }

    @Test
    void whenAptGetFailsAnInstalledChromeIsUsed() throws IOException {
        Path chrome = Paths.get("/opt/google/chrome/chrome");
        this.installed.add(chrome);

        Path browser = machine(Os.LINUX, "ID=ubuntu\n", true, "apt-get").ensure(this.out, (c) -> apt(c, 100));

        assertThat(browser).isEqualTo(chrome);
        assertThat(this.output.toString(StandardCharsets.UTF_8)).contains("apt-get could not install chromium");
    }

    @Test
    void otherLinuxesInstallNothingAndLookForChromeAndEdge() throws IOException {
        Path edge = Paths.get("/opt/microsoft/msedge/msedge");
        this.installed.add(edge);

        Path browser = machine(Os.LINUX, "ID=fedora\n", true).ensure(this.out, (c) -> apt(c, 0));

        assertThat(browser).isEqualTo(edge);
        assertThat(this.commands).isEmpty();
    }

    @Test
    void onMacOsChromeIsFoundInApplications() throws IOException {
        Path chrome = Paths.get("/Applications", "Google Chrome.app", "Contents", "MacOS", "Google Chrome");
        this.installed.add(chrome);

        assertThat(machine(Os.MAC, "", false).ensure(this.out, (c) -> apt(c, 0))).isEqualTo(chrome);
        assertThat(this.commands).isEmpty();
    }

    @Test
    void onWindowsEdgeIsFoundUnderProgramFiles() throws IOException {
        Path edge = Paths.get("C:\\Programs", "Microsoft", "Edge", "Application", "msedge.exe");
        this.installed.add(edge);

        assertThat(machine(Os.WINDOWS, "", false).installed()).contains(edge);
    }

    @Test
    void withNoBrowserTheMessageSaysWhereItLookedAndWhatToInstall() throws IOException {
        Browsers mac = machine(Os.MAC, "", false);

        assertThatThrownBy(() -> mac.ensure(this.out, (c) -> apt(c, 0))).isInstanceOf(LaunchException.class)
            .hasMessageContaining("need Chromium, Google Chrome or Microsoft Edge, and none was found")
            .hasMessageContaining("/Applications/Google Chrome.app/Contents/MacOS/Google Chrome")
            .hasMessageContaining("/home/u/Applications/Microsoft Edge.app")
            .hasMessageContaining("Install Google Chrome")
            .hasMessageContaining("-Dgatehouse.chromium=<path>")
            .hasMessageContaining("never downloads a browser");
    }

}
