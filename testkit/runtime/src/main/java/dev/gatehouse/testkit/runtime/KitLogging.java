package dev.gatehouse.testkit.runtime;

import java.util.ArrayList;
import java.util.List;

import org.slf4j.LoggerFactory;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.logging.LoggingApplicationListener;
import org.springframework.context.ApplicationListener;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;

/**
 * The test servers' logging: one Logback configuration ({@code logback.xml} of this jar:
 * console, {@code WARN}) shared by every server of the JVM, which Spring Boot is not let
 * to reinitialize. Spring Boot resets the logging system at each start; with several
 * servers starting at once in the same class loader (test classes run in parallel) those
 * resets would race each other.
 */
final class KitLogging {

    private KitLogging() {
    }

    static void level(String level) {
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.toLevel(level, Level.WARN));
    }

    static void leaveLoggingToTheKit(SpringApplication application) {
        List<ApplicationListener<?>> listeners = new ArrayList<>(application.getListeners());
        listeners.removeIf(LoggingApplicationListener.class::isInstance);
        application.setListeners(listeners);
    }

}
