package dev.gatehouse.benchmarks.testkit;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The side-by-side run: for each round, one fresh JVM per tool and variant, tools
 * alternating (gatehouse, mock, gatehouse, mock...) so drift on the machine hits both
 * alike; medians, ratios (gatehouse ÷ mock) and the goals of issue 11, written as
 * Markdown.
 *
 * <p>
 * {@code java -cp <classpath> dev.gatehouse.benchmarks.testkit.StartupComparison --rounds 7 --out
 * benchmarks/results --commit abc1234}
 */
public final class StartupComparison {

    private static final List<String> TOOLS = List.of("gatehouse", "gatehouse-shared", "mock");

    private static final List<String> VARIANTS = List.of("mint", "http");

    private StartupComparison() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = options(args);
        int rounds = Integer.parseInt(options.getOrDefault("rounds", "7"));
        Path out = Path.of(options.getOrDefault("out", "benchmarks/results"));
        String commit = options.getOrDefault("commit", "unknown");
        String loadBefore = loadAverage();

        // Untimed: the kit extracts its runtime on a machine's first use (measured once,
        // below); every later JVM only opens it. One run of each tool first, so the
        // operating system's file cache is as warm for the first timed round as for the
        // last.
        Path freshCache = Files.createTempDirectory("gatehouse-testkit-cache-");
        Result firstUse = run("gatehouse", "mint", "-Dgatehouse.testkit.cache-dir=" + freshCache);
        for (String tool : TOOLS) {
            run(tool, "mint");
        }

        Map<String, List<Result>> results = new LinkedHashMap<>();
        for (int round = 1; round <= rounds; round++) {
            for (String variant : VARIANTS) {
                for (String tool : TOOLS) {
                    Result result = run(tool, variant);
                    results.computeIfAbsent(tool + "/" + variant, k -> new ArrayList<>()).add(result);
                    System.out.printf(Locale.ROOT, "round %d %-16s %-4s cold %7.0f ms  warm %6.0f ms  jvm %6d ms%n",
                            round, tool, variant, result.coldMs(), result.warmMs(), result.jvmMs());
                }
            }
        }
        String loadAfter = loadAverage();
        String report = report(results, firstUse, rounds, commit, loadBefore, loadAfter);
        Path notes = out.resolve("testkit-startup-notes.md");
        if (Files.exists(notes)) {
            report = report + "\n" + Files.readString(notes);
        }
        Files.createDirectories(out);
        String label = options.getOrDefault("label", "testkit-startup");
        Files.writeString(out.resolve(label + ".md"), report);
        String date = ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ISO_LOCAL_DATE);
        Files.writeString(out.resolve(label + "-" + date + ".md"), report);
        System.out.println(report);
    }

    private static Result run(String tool, String variant, String... jvmOptions)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.addAll(List.of(jvmOptions));
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(StartupRun.class.getName());
        command.add(tool);
        command.add(variant);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String resultLine = null;
        StringBuilder output = new StringBuilder();
        try (BufferedReader lines = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                output.append(line).append('\n');
                if (line.startsWith("RESULT ")) {
                    resultLine = line;
                }
            }
        }
        int exit = process.waitFor();
        if (exit != 0 || resultLine == null || resultLine.contains("failed=true")) {
            throw new IllegalStateException(tool + "/" + variant + " failed (exit " + exit + "):\n" + output);
        }
        Map<String, String> fields = new LinkedHashMap<>();
        for (String field : resultLine.substring("RESULT ".length()).split(" ")) {
            int eq = field.indexOf('=');
            fields.put(field.substring(0, eq), field.substring(eq + 1));
        }
        return new Result(Double.parseDouble(fields.get("cold_ms")), Double.parseDouble(fields.get("warm_ms")),
                Long.parseLong(fields.get("jvm_ms")));
    }

    static String report(Map<String, List<Result>> results, Result firstUse, int rounds, String commit,
            String loadBefore, String loadAfter) {
        StringBuilder md = new StringBuilder();
        String now = ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'"));
        md.append("# Test kit startup: gatehouse-testkit vs mock-oauth2-server\n\n");
        md.append("Run of ").append(now).append(" at commit `").append(commit).append("`, ");
        md.append(Runtime.getRuntime().availableProcessors())
            .append(" CPUs, Java ")
            .append(System.getProperty("java.version"))
            .append(", ")
            .append(rounds)
            .append(" alternating rounds (one fresh JVM per tool, variant and round), medians. ")
            .append("Load average before ")
            .append(loadBefore)
            .append(", after ")
            .append(loadAfter)
            .append(".\n\n");
        md.append("Time from \"test class starts\" (a JUnit extension registered first on the class) to \"first token ")
            .append("issued\" (the class's first test has a signed JWT). **Cold**: the first test class of a fresh ")
            .append("JVM. **Warm**: the second test class of the same JVM, after the first one's server stopped. ")
            .append("**mint**: a token made in-process (`gatehouse.userToken(..)` / `server.issueToken(..)`); ")
            .append("**http**: `client_credentials` at the server's token endpoint with the JDK's HTTP client. ")
            .append("Ratios are gatehouse ÷ mock-oauth2-server (lower is better).\n\n");

        md.append("## Goals (issue 11)\n\n");
        md.append("Measured with the default lifecycle, a server per test class.\n\n");
        md.append("| Goal | Measured | |\n|---|---|---|\n");
        double warmKit = median(results.get("gatehouse/mint"), Result::warmMs);
        double warmMock = median(results.get("mock/mint"), Result::warmMs);
        double coldKit = median(results.get("gatehouse/mint"), Result::coldMs);
        goal(md, "warm ≤ 1.5× mock-oauth2-server",
                String.format(Locale.ROOT, "%.1f× (%.0f vs %.0f ms)", warmKit / warmMock, warmKit, warmMock),
                warmKit <= 1.5 * warmMock);
        goal(md, "warm ≤ 2 s", String.format(Locale.ROOT, "%.0f ms", warmKit), warmKit <= 2000);
        goal(md, "cold ≤ 6 s", String.format(Locale.ROOT, "%.0f ms", coldKit), coldKit <= 6000);
        double warmShared = median(results.get("gatehouse-shared/mint"), Result::warmMs);
        md.append(String.format(Locale.ROOT,
                "%nWith `shared()` (one server per JVM and configuration, not per class) warm is %.0f ms: %.2f× "
                        + "mock-oauth2-server.%n%n",
                warmShared, warmShared / warmMock));

        md.append("## Medians\n\n");
        md.append("| Variant | | gatehouse-testkit (per class) | gatehouse-testkit `shared()` | mock-oauth2-server "
                + "| ratio per class | ratio shared |\n|---|---|---|---|---|---|---|\n");
        for (String variant : VARIANTS) {
            List<Result> kit = results.get("gatehouse/" + variant);
            List<Result> shared = results.get("gatehouse-shared/" + variant);
            List<Result> mock = results.get("mock/" + variant);
            row(md, variant, "warm (second class)", median(kit, Result::warmMs), median(shared, Result::warmMs),
                    median(mock, Result::warmMs));
            row(md, variant, "cold (first class)", median(kit, Result::coldMs), median(shared, Result::coldMs),
                    median(mock, Result::coldMs));
            row(md, variant, "JVM start → first token", median(kit, r -> r.jvmMs()), median(shared, r -> r.jvmMs()),
                    median(mock, r -> r.jvmMs()));
        }
        md.append(String.format(Locale.ROOT,
                "\nFirst use on a machine (the kit extracts its embedded runtime, once): cold %.0f ms, "
                        + "JVM start → first token %d ms.%n%n",
                firstUse.coldMs(), firstUse.jvmMs()));

        md.append("## Every run (ms: cold / warm / JVM start → first token)\n\n");
        md.append("| Tool / variant | runs |\n|---|---|\n");
        results.forEach((key, list) -> {
            md.append("| ").append(key).append(" | ");
            List<String> cells = new ArrayList<>();
            for (Result r : list) {
                cells.add(String.format(Locale.ROOT, "%.0f / %.0f / %d", r.coldMs(), r.warmMs(), r.jvmMs()));
            }
            md.append(String.join(", ", cells)).append(" |\n");
        });
        return md.toString();
    }

    private static void goal(StringBuilder md, String goal, String measured, boolean met) {
        md.append("| ")
            .append(goal)
            .append(" | ")
            .append(measured)
            .append(" | ")
            .append(met ? "met" : "**MISSED**")
            .append(" |\n");
    }

    private static void row(StringBuilder md, String variant, String measure, double kit, double shared, double mock) {
        md.append(String.format(Locale.ROOT, "| %s | %s | %.0f ms | %.0f ms | %.0f ms | %.2f× | %.2f× |%n", variant,
                measure, kit, shared, mock, kit / mock, shared / mock));
    }

    private static double median(List<Result> results, java.util.function.ToDoubleFunction<Result> value) {
        double[] values = results.stream().mapToDouble(value).sorted().toArray();
        int n = values.length;
        return (n % 2 == 1) ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
    }

    private static boolean busy(String loadAverage) {
        try {
            return Double.parseDouble(loadAverage.split(" ")[0]) > Runtime.getRuntime().availableProcessors();
        }
        catch (RuntimeException ex) {
            return false;
        }
    }

    private static String loadAverage() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return parts[0] + " " + parts[1] + " " + parts[2];
        }
        catch (IOException | RuntimeException ex) {
            return "unknown";
        }
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            options.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        return options;
    }

    record Result(double coldMs, double warmMs, long jvmMs) {
    }

}
