package dev.gatehouse.authserver.tenant;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A tenant file that cannot be applied. Carries every problem found, each naming the
 * field path and line, so one start shows all of them; {@link TenantFileFailureAnalyzer}
 * turns it into a clean startup message.
 */
public class TenantFileException extends RuntimeException {

    private final String source;

    private final List<Problem> problems;

    public TenantFileException(String source, List<Problem> problems) {
        super(describe(source, problems));
        this.source = source;
        this.problems = List.copyOf(problems);
    }

    /**
     * Where the tenant came from: a file path, or the built-in demo tenant's resource.
     */
    public String source() {
        return source;
    }

    public List<Problem> problems() {
        return problems;
    }

    private static String describe(String source, List<Problem> problems) {
        return "Tenant file " + source + " is invalid:" + System.lineSeparator()
                + problems.stream().map(p -> "  - " + p).collect(Collectors.joining(System.lineSeparator()));
    }

    /**
     * One problem.
     *
     * @param path field path such as {@code clients[1].app_type}; empty for the whole
     * file
     * @param line 1-based line, or 0 when unknown
     * @param message what is wrong and what is allowed
     */
    public record Problem(String path, int line, String message) {

        @Override
        public String toString() {
            String where = path.isEmpty() ? "" : path + " ";
            return where + (line > 0 ? "(line " + line + ")" : "") + ": " + message;
        }
    }

}
