package dev.gatehouse.testkit;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;
import org.springframework.test.context.ContextConfigurationAttributes;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.ContextCustomizerFactory;
import org.springframework.test.context.MergedContextConfiguration;

/**
 * Spring TestContext integration, registered in {@code META-INF/spring.factories} (it
 * takes part only in Spring tests, and only for test classes that use the kit).
 *
 * <ul>
 * <li>A {@link GatehouseTest} class: its application context gets {@code issuer-uri} and
 * {@code audiences} of {@code spring.security.oauth2.resourceserver.jwt} from the class's
 * server (unless {@link GatehouseTest#springResourceServer()} is off).</li>
 * <li>Any class using the kit, by annotation or by a static {@link GatehouseExtension}
 * field (unless {@link GatehouseExtension.Builder#shared() shared}): its context is its
 * own. Spring caches contexts by configuration; two test classes with the same
 * configuration (say, the {@code @DynamicPropertySource} method of a common base class)
 * would otherwise share the first one's context, still pointing at the first class's
 * server, which has stopped.</li>
 * </ul>
 */
final class GatehouseContextCustomizerFactory implements ContextCustomizerFactory {

    private static final String JWT = "spring.security.oauth2.resourceserver.jwt.";

    @Override
    public ContextCustomizer createContextCustomizer(Class<?> testClass,
            List<ContextConfigurationAttributes> configAttributes) {
        if (AnnotatedGatehouseExtension.isAnnotated(testClass)) {
            Class<?> annotated = AnnotatedGatehouseExtension.annotatedClass(testClass);
            boolean wire = annotated.getAnnotation(GatehouseTest.class).springResourceServer();
            return new OwnContext(testClass, wire);
        }
        if (hasExtensionField(testClass)) {
            return new OwnContext(testClass, false);
        }
        return null;
    }

    private static boolean hasExtensionField(Class<?> testClass) {
        for (Class<?> owner = testClass; owner != null; owner = owner.getEnclosingClass()) {
            for (Class<?> type = owner; type != null && type != Object.class; type = type.getSuperclass()) {
                for (Field field : type.getDeclaredFields()) {
                    if (Modifier.isStatic(field.getModifiers())
                            && GatehouseExtension.class.isAssignableFrom(field.getType()) && !isShared(field)) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /** A shared server outlives the class, so its context may be shared too. */
    private static boolean isShared(Field field) {
        try {
            field.setAccessible(true);
            return (field.get(null) instanceof GatehouseExtension extension) && extension.isShared();
        }
        catch (IllegalAccessException | RuntimeException ex) {
            return false;
        }
    }

    /**
     * Equal only for the same test class, so no other class shares its context.
     */
    private record OwnContext(Class<?> testClass, boolean wireResourceServer) implements ContextCustomizer {

        @Override
        public void customizeContext(ConfigurableApplicationContext context, MergedContextConfiguration config) {
            if (!this.wireResourceServer) {
                return;
            }
            GatehouseExtension gatehouse = AnnotatedGatehouseExtension.forClass(this.testClass);
            Map<String, Object> properties = new LinkedHashMap<>();
            properties.put(JWT + "issuer-uri", gatehouse.issuer());
            properties.put(JWT + "audiences", String.join(",", gatehouse.apis()));
            context.getEnvironment().getPropertySources().addFirst(new MapPropertySource("gatehouse", properties));
        }

    }

}
