package dev.gatehouse.testkit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The annotation form of {@link GatehouseExtension}: a Gatehouse authorization server for
 * the annotated test class, with the tenant of a {@code tenant.yaml} (or the built-in
 * demo tenant). Test and lifecycle methods take it as a {@link Gatehouse} (or
 * {@link GatehouseServer}) parameter:
 *
 * <pre class="code">
 * &#64;GatehouseTest(tenant = "tenant.yaml")
 * class OrdersClientTests {
 *
 *     &#64;Test
 *     void callsTheApiWithAToken(Gatehouse gatehouse) {
 *         String token = gatehouse.clientToken("orders-backend");
 *         ...
 *     }
 * }
 * </pre>
 *
 * <p>
 * In a Spring test ({@code @SpringBootTest}) it also points the application under test at
 * the server, as {@link Gatehouse#addResourceServerProperties} does: {@code issuer-uri}
 * and {@code audiences} of {@code spring.security.oauth2.resourceserver.jwt}. Each
 * annotated class gets an application context of its own, since its server is its own.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(AnnotatedGatehouseExtension.class)
public @interface GatehouseTest {

    /**
     * The tenant: a classpath resource (e.g. {@code "tenant.yaml"} in
     * {@code src/test/resources}) or a file path. Empty: the built-in demo tenant.
     */
    String tenant() default "";

    /**
     * Authorization server settings as {@code name=value}, e.g.
     * {@code "gatehouse.login-throttle.max-failures-per-account=3"}.
     */
    String[] properties() default {};

    /**
     * Set the Spring application context's resource-server {@code issuer-uri} and
     * {@code audiences} to this server (in Spring tests only).
     */
    boolean springResourceServer() default true;

}
