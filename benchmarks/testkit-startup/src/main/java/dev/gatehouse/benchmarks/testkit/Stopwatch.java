package dev.gatehouse.benchmarks.testkit;

import java.lang.management.ManagementFactory;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Marks when a test class starts: registered first on each measured class (class-level
 * {@code @ExtendWith} runs before the field-registered server extension and before
 * {@code @BeforeAll} methods). {@link #firstToken()} marks the end.
 */
public final class Stopwatch implements BeforeAllCallback {

    /** Per measured class: nanoseconds from class start to its first token. */
    static final Map<String, Long> ELAPSED = new LinkedHashMap<>();

    /** Milliseconds from JVM start to the first token of the first class. */
    static long jvmToFirstToken = -1;

    private static long started;

    @Override
    public void beforeAll(ExtensionContext context) {
        started = System.nanoTime();
    }

    static void firstToken(String measuredClass, String token) {
        long now = System.nanoTime();
        if (token == null || token.split("\\.").length != 3) {
            throw new IllegalStateException(measuredClass + " got no JWT: " + token);
        }
        ELAPSED.putIfAbsent(measuredClass, now - started);
        if (jvmToFirstToken < 0) {
            jvmToFirstToken = System.currentTimeMillis() - ManagementFactory.getRuntimeMXBean().getStartTime();
        }
    }

}
