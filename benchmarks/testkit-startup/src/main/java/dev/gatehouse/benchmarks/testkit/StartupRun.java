package dev.gatehouse.benchmarks.testkit;

import java.util.List;

import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

/**
 * One measurement, in a fresh JVM: runs the first and then the second test class of one
 * tool through the JUnit Platform, as a build runs them in one JVM, and prints
 * {@code RESULT tool=... variant=... cold_ms=... warm_ms=... jvm_ms=...}. Cold is the
 * first class (nothing loaded yet), warm the second.
 *
 * <p>
 * {@code java ... StartupRun gatehouse|gatehouse-shared|mock mint|http}
 */
public final class StartupRun {

    private StartupRun() {
    }

    public static void main(String[] args) {
        String tool = args[0];
        String variant = args[1];
        System.setProperty("bench.variant", variant);
        List<Class<?>> classes = switch (tool) {
            case "gatehouse" -> List.of(GatehouseClasses.First.class, GatehouseClasses.Second.class);
            case "gatehouse-shared" -> List.of(GatehouseClasses.SharedFirst.class, GatehouseClasses.SharedSecond.class);
            case "mock" -> List.of(MockOAuth2ServerClasses.First.class, MockOAuth2ServerClasses.Second.class);
            default -> throw new IllegalArgumentException("tool: gatehouse, gatehouse-shared or mock");
        };
        Launcher launcher = LauncherFactory.create();
        for (Class<?> testClass : classes) {
            LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
                .selectors(selectClass(testClass))
                .build();
            SummaryGeneratingListener summary = new SummaryGeneratingListener();
            launcher.execute(request, summary);
            TestExecutionSummary result = summary.getSummary();
            if (result.getTotalFailureCount() > 0 || result.getTestsSucceededCount() != 1) {
                result.getFailures().forEach(failure -> failure.getException().printStackTrace());
                System.out.println("RESULT tool=" + tool + " variant=" + variant + " failed=true");
                System.exit(1);
            }
        }
        System.out.printf("RESULT tool=%s variant=%s cold_ms=%.1f warm_ms=%.1f jvm_ms=%d%n", tool, variant,
                Stopwatch.ELAPSED.get("first") / 1e6, Stopwatch.ELAPSED.get("second") / 1e6, Stopwatch.jvmToFirstToken);
        System.exit(0);
    }

}
