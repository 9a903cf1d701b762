package dev.gatehouse.testkit.runtime;

import java.util.ArrayList;
import java.util.List;

import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.logging.LoggingApplicationListener;
import org.springframework.context.ApplicationListener;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;

/**
 * The test servers' logging: one Logback configuration ({@code logback.xml} of this jar:
 * console, {@code WARN}) shared by every server of the JVM, which Spring Boot is not let
 * to reinitialize. Spring Boot resets the logging system at each start; with several
 * servers starting at once in the same class loader (test classes run in parallel) those
 * resets would race each other.
 */
final class KitLogging {

    /**
     * Logback, initialized once in this class's initializer: test classes starting
     * servers in parallel wait for it here. SLF4J hands a thread that asks while another
     * thread is initializing it a stand-in logger, which cannot take a level.
     */
    private static final LoggerContext CONTEXT = initialize();

    private KitLogging() {
    }

    static void level(String level) {
        Logger root = CONTEXT.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.toLevel(level, Level.WARN));
    }

    private static LoggerContext initialize() {
        ILoggerFactory factory = LoggerFactory.getILoggerFactory();
        for (int attempt = 0; !(factory instanceof LoggerContext) && attempt < 1000; attempt++) {
            try {
                Thread.sleep(10);
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                break;
            }
            factory = LoggerFactory.getILoggerFactory();
        }
        if (!(factory instanceof LoggerContext context)) {
            throw new IllegalStateException("The test server's Logback did not initialize: " + factory);
        }
        return context;
    }

    static void leaveLoggingToTheKit(SpringApplication application) {
        List<ApplicationListener<?>> listeners = new ArrayList<>(application.getListeners());
        listeners.removeIf(LoggingApplicationListener.class::isInstance);
        application.setListeners(listeners);
    }

}
