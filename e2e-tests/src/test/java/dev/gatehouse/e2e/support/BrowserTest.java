package dev.gatehouse.e2e.support;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Marks a browser test class: the system runs ({@link RunningSystem}) and each test gets
 * a fresh Chromium page ({@link Chromium}). The order matters: the system is up before
 * the browser opens a page.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@ExtendWith({ RunningSystem.class, Chromium.class })
public @interface BrowserTest {

}
