package dev.gatehouse.authserver.tenant;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.StringNode;

import dev.gatehouse.authserver.tenant.TenantFileException.Problem;

/**
 * The Auth0 Deploy CLI's keyword replacement, applied to a tenant file's text before it
 * is parsed, so one {@code tenant.yaml} serves several environments as it does with
 * {@code a0deploy import}:
 * <ul>
 * <li>{@code ##KEY##} is replaced by the value as text (a literal replacement);</li>
 * <li>{@code @@KEY@@} is replaced by the value written as JSON, so a string gets quotes
 * and a list becomes {@code ["a", "b"]}, which YAML reads as a list; quotes around the
 * marker ({@code "@@KEY@@"}, {@code '@@KEY@@'}) are replaced with it, as the Deploy CLI
 * does.</li>
 * </ul>
 * The values come, later ones winning, from a JSON mapping file (a Deploy CLI
 * {@code config.json} whose {@code AUTH0_KEYWORD_REPLACE_MAPPINGS} object is used, or a
 * plain JSON object of keywords), from the environment variable
 * {@code AUTH0_KEYWORD_REPLACE_MAPPINGS} holding such an object, and from the environment
 * variables themselves (each variable is a keyword, as with {@code a0deploy --env}).
 * <p>
 * Written by hand: the Deploy CLI is a Node tool and nothing in Java does this. Unlike
 * the Deploy CLI, which leaves a keyword without a value in place, a marker without a
 * value stops the import with its line, so a file never loads with {@code ##CALLBACK##}
 * as a callback URL; a marker inside a YAML comment is left alone.
 */
public final class DeployCliKeywords {

    /**
     * The Deploy CLI's name for the mappings, in its config.json and in the environment.
     */
    public static final String MAPPINGS_NAME = "AUTH0_KEYWORD_REPLACE_MAPPINGS";

    /** No keywords: markers are errors. */
    public static final DeployCliKeywords NONE = new DeployCliKeywords(Map.of(), "no keyword mappings are configured");

    private static final String KEY = "[A-Za-z0-9_][A-Za-z0-9_.-]*";

    private static final Pattern MARKER = Pattern
        .compile("'@@(" + KEY + ")@@'|\"@@(" + KEY + ")@@\"|@@(" + KEY + ")@@|##(" + KEY + ")##");

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Map<String, JsonNode> values;

    private final String whereValuesComeFrom;

    private DeployCliKeywords(Map<String, JsonNode> values, String whereValuesComeFrom) {
        this.values = values;
        this.whereValuesComeFrom = whereValuesComeFrom;
    }

    /**
     * The keywords of one start.
     * @param mappingsFile a JSON file of mappings, or {@code null}
     * @param environment the process environment; its {@value #MAPPINGS_NAME} variable (a
     * JSON object) and, when {@code fromEnvironment}, every variable are keywords
     * @param fromEnvironment whether each environment variable is a keyword
     * @throws TenantFileException naming the file or variable when the mappings cannot be
     * read
     */
    public static DeployCliKeywords of(@Nullable Path mappingsFile, Map<String, String> environment,
            boolean fromEnvironment) {
        Map<String, JsonNode> values = new LinkedHashMap<>();
        List<String> sources = new ArrayList<>();
        if (mappingsFile != null) {
            values.putAll(readMappingsFile(mappingsFile));
            sources.add("the mapping file " + mappingsFile);
        }
        String inEnvironment = environment.get(MAPPINGS_NAME);
        if (inEnvironment != null && !inEnvironment.isBlank()) {
            values
                .putAll(mappingsObject("of the keywords in the environment variable " + MAPPINGS_NAME, inEnvironment));
            sources.add("the environment variable " + MAPPINGS_NAME);
        }
        if (fromEnvironment) {
            environment.forEach((name, value) -> {
                if (!MAPPINGS_NAME.equals(name)) {
                    values.put(name, StringNode.valueOf(value));
                }
            });
            sources.add("the environment variables");
        }
        String where = sources.isEmpty() ? "no keyword mappings are configured"
                : "looked in " + String.join(", ", sources);
        return new DeployCliKeywords(Map.copyOf(values), where);
    }

    /**
     * Replaces every marker in {@code text}.
     * @param source names the file in error messages
     * @throws TenantFileException listing every marker that has no value, with its line
     */
    public String apply(String source, String text) {
        Matcher matcher = MARKER.matcher(text);
        StringBuilder result = new StringBuilder(text.length());
        List<Problem> problems = new ArrayList<>();
        while (matcher.find()) {
            boolean json = matcher.group(4) == null;
            String key = json ? firstNonNull(matcher.group(1), matcher.group(2), matcher.group(3)) : matcher.group(4);
            JsonNode value = this.values.get(key);
            String replacement;
            if (value == null) {
                if (!inComment(text, matcher.start())) {
                    problems.add(new Problem("", lineOf(text, matcher.start()),
                            "the keyword " + marker(json, key) + " has no value: set the environment variable " + key
                                    + " or add " + key + " to " + MAPPINGS_NAME + " (" + this.whereValuesComeFrom
                                    + ")"));
                }
                replacement = matcher.group();
            }
            else if (json) {
                replacement = JSON.writeValueAsString(value);
            }
            else if (value.isContainer()) {
                problems.add(new Problem("", lineOf(text, matcher.start()),
                        "the keyword ##" + key + "## is replaced as text, but its value is a JSON "
                                + (value.isArray() ? "list" : "object") + ": write @@" + key
                                + "@@ to insert it as a YAML value"));
                replacement = matcher.group();
            }
            else {
                replacement = value.isString() ? value.stringValue() : value.toString();
            }
            matcher.appendReplacement(result, Matcher.quoteReplacement(replacement));
        }
        matcher.appendTail(result);
        if (!problems.isEmpty()) {
            throw new TenantFileException(source, problems);
        }
        return result.toString();
    }

    private static Map<String, JsonNode> readMappingsFile(Path file) {
        String text;
        try {
            text = Files.readString(file);
        }
        catch (NoSuchFileException ex) {
            throw mappingsProblem(mappingsFileSource(file), "the file does not exist");
        }
        catch (IOException ex) {
            throw mappingsProblem(mappingsFileSource(file),
                    "the file cannot be read (" + ex.getClass().getSimpleName() + ")");
        }
        return mappingsObject(mappingsFileSource(file), text);
    }

    /**
     * A Deploy CLI config.json (its {@value #MAPPINGS_NAME} object) or a plain object of
     * keywords.
     */
    private static Map<String, JsonNode> mappingsObject(String source, String text) {
        JsonNode root;
        try {
            root = JSON.readTree(text);
        }
        catch (JacksonException ex) {
            throw mappingsProblem(source, "not valid JSON: " + ex.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw mappingsProblem(source,
                    "must be a JSON object of keywords, such as {\"SPA_URL\": \"http://localhost:4200\"}");
        }
        JsonNode mappings = root.has(MAPPINGS_NAME) ? root.get(MAPPINGS_NAME) : root;
        if (!mappings.isObject()) {
            throw mappingsProblem(source, MAPPINGS_NAME + " must be a JSON object of keywords");
        }
        Map<String, JsonNode> values = new LinkedHashMap<>();
        mappings.properties().forEach((entry) -> values.put(entry.getKey(), entry.getValue()));
        return values;
    }

    private static String mappingsFileSource(Path file) {
        return "of the keywords " + file + " (gatehouse.tenant-keywords.mappings-file)";
    }

    private static TenantFileException mappingsProblem(String source, String message) {
        return new TenantFileException(source, List.of(new Problem("", 0, message)));
    }

    /**
     * True when the marker at {@code index} follows a {@code #} that starts a YAML
     * comment on its line: at the line's start or after a blank, outside quotes and
     * outside other markers.
     */
    private static boolean inComment(String text, int index) {
        int lineStart = text.lastIndexOf('\n', index - 1) + 1;
        String before = MARKER.matcher(text.substring(lineStart, index)).replaceAll("k");
        boolean inSingle = false;
        boolean inDouble = false;
        for (int i = 0; i < before.length(); i++) {
            char c = before.charAt(i);
            if (c == '\'' && !inDouble) {
                inSingle = !inSingle;
            }
            else if (c == '"' && !inSingle) {
                inDouble = !inDouble;
            }
            else if (c == '#' && !inSingle && !inDouble && (i == 0 || Character.isWhitespace(before.charAt(i - 1)))) {
                return true;
            }
        }
        return false;
    }

    private static int lineOf(String text, int index) {
        int line = 1;
        for (int i = 0; i < index; i++) {
            if (text.charAt(i) == '\n') {
                line++;
            }
        }
        return line;
    }

    private static String marker(boolean json, String key) {
        return json ? "@@" + key + "@@" : "##" + key + "##";
    }

    private static String firstNonNull(String... values) {
        for (String value : values) {
            if (value != null) {
                return value;
            }
        }
        throw new IllegalStateException("no group matched");
    }

}
