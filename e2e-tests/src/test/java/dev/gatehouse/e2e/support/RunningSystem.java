package dev.gatehouse.e2e.support;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit extension that gives browser tests the running system ({@link GatehouseSystem}):
 * started once per test run, when the first test class that uses it starts, and stopped
 * when the run ends, even when tests fail. Test methods and constructors can take a
 * {@link GatehouseSystem} parameter to reach the processes (for example to stop the API).
 */
public final class RunningSystem implements BeforeAllCallback, ParameterResolver {

    @Override
    public void beforeAll(ExtensionContext context) {
        system(context);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return parameterContext.getParameter().getType() == GatehouseSystem.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return system(extensionContext);
    }

    /**
     * The one running system of this test run. JUnit makes an extension instance per test
     * class; the system itself lives in the root store, which JUnit closes at the end of
     * the run.
     */
    private static GatehouseSystem system(ExtensionContext context) {
        ExtensionContext.Store store = context.getRoot()
            .getStore(ExtensionContext.Namespace.create(RunningSystem.class));
        return store.computeIfAbsent("system", key -> Startup.attempt(), Startup.class).system();
    }

    /**
     * The outcome of the one start attempt of a run. A failed start is remembered, so the
     * next test class fails at once with the same cause instead of waiting for the
     * timeouts again.
     */
    private record Startup(GatehouseSystem running, RuntimeException failure) implements AutoCloseable {

        static Startup attempt() {
            try {
                return new Startup(GatehouseSystem.start(), null);
            }
            catch (RuntimeException ex) {
                return new Startup(null, ex);
            }
        }

        GatehouseSystem system() {
            if (this.failure != null) {
                throw new IllegalStateException("The system under test did not start: " + this.failure.getMessage(),
                        this.failure);
            }
            return this.running;
        }

        @Override
        public void close() {
            if (this.running != null) {
                this.running.close();
            }
        }

    }

}
