package dev.gatehouse.launcher;

import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The operating system the launcher runs on, and the few things that differ between them:
 * how a script program (npm, mvnw) is started, the names of executables, the null device.
 */
enum Os {

    LINUX, MAC, WINDOWS, OTHER;

    static Os current() {
        return of(System.getProperty("os.name", ""));
    }

    static Os of(String osName) {
        String name = osName.toLowerCase(Locale.ROOT);
        if (name.startsWith("windows")) {
            return WINDOWS;
        }
        if (name.startsWith("mac") || name.startsWith("darwin")) {
            return MAC;
        }
        if (name.startsWith("linux")) {
            return LINUX;
        }
        return OTHER;
    }

    boolean isWindows() {
        return this == WINDOWS;
    }

    /**
     * The command line for a program that is a batch script on Windows ({@code npm.cmd},
     * {@code mvnw.cmd}): there {@code cmd.exe} runs it, elsewhere it is run as it is.
     */
    List<String> script(String program, List<String> arguments) {
        List<String> command = new ArrayList<>();
        if (isWindows()) {
            command.add("cmd.exe");
            command.add("/c");
        }
        command.add(program);
        command.addAll(arguments);
        return command;
    }

    /**
     * The file names a program may have: {@code node.exe}, {@code npm.cmd} on Windows.
     */
    List<String> executableNames(String program) {
        if (!isWindows()) {
            return List.of(program);
        }
        return List.of(program + ".exe", program + ".cmd", program + ".bat", program);
    }

    File nullDevice() {
        return new File(isWindows() ? "NUL" : "/dev/null");
    }

}
