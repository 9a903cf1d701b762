package dev.gatehouse.testkit;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * What {@link GatehouseTest} registers: a {@link GatehouseExtension} per annotated test
 * class, built from the annotation. Kept by class rather than in this instance, because
 * the Spring integration ({@link GatehouseContextCustomizerFactory}) needs the same
 * server for the same class and may ask for it before JUnit calls this extension.
 */
final class AnnotatedGatehouseExtension
        implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, ParameterResolver {

    private static final Map<Class<?>, GatehouseExtension> BY_CLASS = new ConcurrentHashMap<>();

    /**
     * The extension of the class carrying {@link GatehouseTest} for {@code testClass}.
     */
    static GatehouseExtension forClass(Class<?> testClass) {
        Class<?> annotated = annotatedClass(testClass);
        return BY_CLASS.computeIfAbsent(annotated, AnnotatedGatehouseExtension::create);
    }

    /**
     * The class whose annotation applies: the test class or a superclass (the annotation
     * is inherited), else the nearest enclosing class of a {@code @Nested} class.
     */
    static Class<?> annotatedClass(Class<?> testClass) {
        for (Class<?> type = testClass; type != null; type = type.getEnclosingClass()) {
            if (type.isAnnotationPresent(GatehouseTest.class)) {
                return type;
            }
        }
        throw new IllegalStateException(testClass.getName() + " is not annotated with @GatehouseTest");
    }

    static boolean isAnnotated(Class<?> testClass) {
        for (Class<?> type = testClass; type != null; type = type.getEnclosingClass()) {
            if (type.isAnnotationPresent(GatehouseTest.class)) {
                return true;
            }
        }
        return false;
    }

    private static GatehouseExtension create(Class<?> annotated) {
        GatehouseTest settings = annotated.getAnnotation(GatehouseTest.class);
        GatehouseExtension.Builder builder = GatehouseExtension.builder();
        if (!settings.tenant().isEmpty()) {
            builder.tenant(settings.tenant());
        }
        for (String property : settings.properties()) {
            int eq = property.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException(
                        "@GatehouseTest property '" + property + "' of " + annotated.getName() + " is not name=value");
            }
            builder.property(property.substring(0, eq).trim(), property.substring(eq + 1).trim());
        }
        return builder.build();
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        forClass(context.getRequiredTestClass()).beforeAll(context);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        Class<?> testClass = context.getRequiredTestClass();
        forClass(testClass).afterAll(context);
        if (annotatedClass(testClass) == testClass) {
            BY_CLASS.remove(testClass);
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        forClass(context.getRequiredTestClass()).beforeEach(context);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return forClass(context.getRequiredTestClass()).supportsParameter(parameter, context);
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return forClass(context.getRequiredTestClass()).server();
    }

}
