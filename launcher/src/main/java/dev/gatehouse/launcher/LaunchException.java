package dev.gatehouse.launcher;

/**
 * A reason the launcher cannot go on, worded for the user: what went wrong and what to
 * do. The command line prints the message after {@code gatehouse: } and exits with the
 * exit code, without a stack trace; the browser tests see it as the cause of a failed
 * start.
 */
public class LaunchException extends RuntimeException {

    private final int exitCode;

    public LaunchException(String message) {
        this(message, 1);
    }

    public LaunchException(String message, int exitCode) {
        super(message);
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return this.exitCode;
    }

}
