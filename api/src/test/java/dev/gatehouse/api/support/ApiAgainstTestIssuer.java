package dev.gatehouse.api.support;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;
import org.springframework.test.context.ContextConfigurationAttributes;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.ContextCustomizerFactories;
import org.springframework.test.context.ContextCustomizerFactory;
import org.springframework.test.context.MergedContextConfiguration;

/**
 * Base of the tests that run the whole API on a random port, over real HTTP, against an
 * issuer of their own.
 * <p>
 * A subclass states only what is specific to it: the {@link TestIssuer} it needs, as its
 * one {@code static final TestIssuer} field (started, down, publishing keys without
 * {@code alg}...), and its own settings, if any, with {@code @TestPropertySource}. This
 * class points the API's {@code issuer-uri} at that issuer, hands out {@link ApiClient}s
 * for the running API, and closes the issuer once the class is done.
 * <p>
 * The issuer is found by its static field, the way Spring Boot finds static container
 * fields for {@code @ImportTestcontainers}: it has to be static because parameterized
 * tests build their tokens in static factory methods, and a
 * {@code @DynamicPropertySource} in this class could not tell which subclass it serves.
 */
// @SpringBootTest before @ExtendWith: JUnit runs after-all callbacks in reverse, so the
// issuer is closed before the
// Spring extension's own after-all, as an @AfterAll method of the test class would be.
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@ExtendWith(ApiAgainstTestIssuer.CloseIssuer.class)
@ContextCustomizerFactories(ApiAgainstTestIssuer.IssuerUri.class)
public abstract class ApiAgainstTestIssuer {

    private static final String ISSUER_URI = "spring.security.oauth2.resourceserver.jwt.issuer-uri";

    @LocalServerPort
    private int port;

    /** A new client for the API under test. */
    protected ApiClient api() {
        return new ApiClient(this.port);
    }

    /**
     * The one {@code static TestIssuer} field of {@code testClass} (or of a superclass).
     */
    static TestIssuer issuerOf(Class<?> testClass) {
        List<Field> fields = new ArrayList<>();
        for (Class<?> type = testClass; type != null; type = type.getSuperclass()) {
            for (Field field : type.getDeclaredFields()) {
                if (Modifier.isStatic(field.getModifiers()) && TestIssuer.class.isAssignableFrom(field.getType())) {
                    fields.add(field);
                }
            }
        }
        if (fields.size() != 1) {
            throw new IllegalStateException(testClass.getName() + " must declare exactly one static TestIssuer field"
                    + " for the API to trust, found " + fields.size());
        }
        try {
            Field field = fields.get(0);
            field.setAccessible(true);
            TestIssuer issuer = (TestIssuer) field.get(null);
            if (issuer == null) {
                throw new IllegalStateException(testClass.getName() + "." + field.getName() + " is null");
            }
            return issuer;
        }
        catch (IllegalAccessException ex) {
            throw new IllegalStateException(ex);
        }
    }

    /**
     * Sets {@code issuer-uri} to the test class's issuer before the context starts.
     * Customizers are part of the context cache key: equal only for the same issuer, so
     * each test class keeps a context of its own.
     */
    static final class IssuerUri implements ContextCustomizerFactory {

        @Override
        public ContextCustomizer createContextCustomizer(Class<?> testClass,
                List<ContextConfigurationAttributes> configAttributes) {
            return new Customizer(issuerOf(testClass));
        }

        private record Customizer(TestIssuer issuer) implements ContextCustomizer {

            @Override
            public void customizeContext(ConfigurableApplicationContext context, MergedContextConfiguration config) {
                context.getEnvironment()
                    .getPropertySources()
                    .addFirst(new MapPropertySource("testIssuer", Map.of(ISSUER_URI, this.issuer.issuer())));
            }

        }

    }

    /** Stops the test class's issuer after its last test. */
    static final class CloseIssuer implements AfterAllCallback {

        @Override
        public void afterAll(ExtensionContext context) {
            issuerOf(context.getRequiredTestClass()).close();
        }

    }

}
