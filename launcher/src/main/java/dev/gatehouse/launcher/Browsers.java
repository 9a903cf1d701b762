package dev.gatehouse.launcher;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The browser the browser tests drive, on every OS, never downloaded: Debian's
 * {@code /usr/bin/chromium} (which {@code ./gatehouse test} installs with {@code apt-get}
 * on Debian and Ubuntu when it is missing), else an installed Chromium, Google Chrome or
 * Microsoft Edge at the places Playwright's {@code chrome} and {@code msedge} channels
 * look.
 */
public final class Browsers {

    static final Path DEBIAN_CHROMIUM = Paths.get("/usr/bin/chromium");

    private final Os os;

    private final Map<String, String> env;

    private final Predicate<Path> executable;

    private final Path osRelease;

    private final BooleanSupplier root;

    Browsers(Os os, Map<String, String> env, Predicate<Path> executable, Path osRelease, BooleanSupplier root) {
        this.os = os;
        this.env = env;
        this.executable = executable;
        this.osRelease = osRelease;
        this.root = root;
    }

    static Browsers onThisMachine() {
        return new Browsers(Os.current(), System.getenv(), Files::isExecutable, Paths.get("/etc/os-release"),
                () -> Tools.output(List.of("id", "-u"), Duration.ofSeconds(10))
                    .map((id) -> id.trim().equals("0"))
                    .orElse(false));
    }

    /** The browser installed on this machine, if any. */
    public static Optional<Path> find() {
        return onThisMachine().installed();
    }

    /** What to tell a user who has none of them. */
    public static String missingMessage() {
        return onThisMachine().missing();
    }

    Optional<Path> installed() {
        return candidates().stream().filter(this.executable).findFirst();
    }

    /** Where each OS keeps them, in the order they are preferred. */
    List<Path> candidates() {
        List<Path> candidates = new ArrayList<>();
        switch (this.os) {
            case WINDOWS -> {
                for (String base : List.of("LOCALAPPDATA", "ProgramFiles", "ProgramFiles(x86)")) {
                    String dir = this.env.get(base);
                    if (dir == null || dir.isBlank()) {
                        continue;
                    }
                    candidates.add(Paths.get(dir, "Google", "Chrome", "Application", "chrome.exe"));
                    candidates.add(Paths.get(dir, "Chromium", "Application", "chrome.exe"));
                    candidates.add(Paths.get(dir, "Microsoft", "Edge", "Application", "msedge.exe"));
                }
            }
            case MAC -> {
                List<Path> applications = new ArrayList<>(List.of(Paths.get("/Applications")));
                String home = this.env.get("HOME");
                if (home != null && !home.isBlank()) {
                    applications.add(Paths.get(home, "Applications"));
                }
                for (Path dir : applications) {
                    candidates.add(dir.resolve(Paths.get("Google Chrome.app", "Contents", "MacOS", "Google Chrome")));
                    candidates.add(dir.resolve(Paths.get("Chromium.app", "Contents", "MacOS", "Chromium")));
                    candidates.add(dir.resolve(Paths.get("Microsoft Edge.app", "Contents", "MacOS", "Microsoft Edge")));
                }
            }
            default -> {
                // Not the snap wrappers (/usr/bin/chromium-browser on Ubuntu): a confined
                // browser cannot use the profile directory Playwright gives it.
                candidates.add(DEBIAN_CHROMIUM);
                candidates.add(Paths.get("/opt/google/chrome/chrome"));
                candidates.add(Paths.get("/usr/bin/google-chrome"));
                candidates.add(Paths.get("/usr/bin/google-chrome-stable"));
                candidates.add(Paths.get("/opt/microsoft/msedge/msedge"));
                candidates.add(Paths.get("/usr/bin/microsoft-edge"));
            }
        }
        return candidates;
    }

    String missing() {
        String install = switch (this.os) {
            case WINDOWS -> "Install Google Chrome or Microsoft Edge";
            case MAC -> "Install Google Chrome (or Microsoft Edge, or Chromium) into /Applications";
            default -> "Install Chromium (Debian, Ubuntu: apt-get install chromium; Fedora: dnf install chromium) "
                    + "or Google Chrome";
        };
        return "The browser tests need Chromium, Google Chrome or Microsoft Edge, and none was found. Looked at:"
                + System.lineSeparator() + "    "
                + String.join(System.lineSeparator() + "    ", candidates().stream().map(Path::toString).toList())
                + System.lineSeparator() + install + " and run again, or name one with -Dgatehouse.chromium=<path>. "
                + "Gatehouse never downloads a browser.";
    }

    /**
     * The browser for {@code ./gatehouse test}: on Debian and Ubuntu, Debian's
     * {@code chromium} package is installed when {@code /usr/bin/chromium} is missing (as
     * CI does on a fresh machine); anywhere, an installed one is found.
     * @param run runs a command with its output in the terminal, returns its exit code
     */
    Path ensure(PrintStream out, Function<List<String>, Integer> run) {
        if (this.executable.test(DEBIAN_CHROMIUM)) {
            return DEBIAN_CHROMIUM;
        }
        if (this.os == Os.LINUX && isDebianLike() && Tools.find("apt-get", this.env, this.os).isPresent()) {
            out.println("==> Installing Chromium for the browser tests (Debian package 'chromium')");
            boolean root = this.root.getAsBoolean();
            if (!root && Tools.find("sudo", this.env, this.os).isEmpty()) {
                out.println("    not root and no sudo: cannot install it; looking for another browser");
            }
            else {
                List<String> asRoot = root ? List.of() : List.of("sudo");
                List<String> update = new ArrayList<>(asRoot);
                update.addAll(List.of("apt-get", "update"));
                List<String> install = new ArrayList<>(asRoot);
                install
                    .addAll(List.of("env", "DEBIAN_FRONTEND=noninteractive", "apt-get", "install", "-y", "chromium"));
                int status = run.apply(update);
                if (status == 0) {
                    status = run.apply(install);
                }
                if (status == 0 && this.executable.test(DEBIAN_CHROMIUM)) {
                    return DEBIAN_CHROMIUM;
                }
                out.println(
                        "    apt-get could not install chromium (exit " + status + "); looking for another browser");
            }
        }
        return installed().orElseThrow(() -> new LaunchException(missing()));
    }

    /** Debian, Ubuntu or a derivative, by {@code /etc/os-release}'s ID and ID_LIKE. */
    boolean isDebianLike() {
        try {
            for (String line : Files.readAllLines(this.osRelease, StandardCharsets.UTF_8)) {
                String lower = line.toLowerCase(Locale.ROOT);
                if ((lower.startsWith("id=") || lower.startsWith("id_like="))
                        && (lower.contains("debian") || lower.contains("ubuntu"))) {
                    return true;
                }
            }
        }
        catch (IOException | RuntimeException ex) {
            // No os-release: not a system we know how to install packages on.
        }
        return false;
    }

}
