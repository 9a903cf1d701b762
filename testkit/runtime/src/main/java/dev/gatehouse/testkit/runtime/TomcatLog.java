package dev.gatehouse.testkit.runtime;

import org.apache.juli.logging.Log;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tomcat's logging routed to the kit's SLF4J (Logback, {@code WARN} by default), through
 * Tomcat's own extension point ({@code META-INF/services/org.apache.juli.logging.Log}).
 * Without it Tomcat writes to {@code java.util.logging}, which Spring Boot would bridge
 * to SLF4J by installing a handler on the JVM-wide root logger: in the test's JVM that
 * logger belongs to the project under test, so the kit does not touch it.
 */
public final class TomcatLog implements Log {

    private final Logger logger;

    /** The service loader's instance (Tomcat only takes its class). */
    public TomcatLog() {
        this("org.apache.juli");
    }

    public TomcatLog(String name) {
        this.logger = LoggerFactory.getLogger(name);
    }

    @Override
    public boolean isDebugEnabled() {
        return this.logger.isDebugEnabled();
    }

    @Override
    public boolean isErrorEnabled() {
        return this.logger.isErrorEnabled();
    }

    @Override
    public boolean isFatalEnabled() {
        return this.logger.isErrorEnabled();
    }

    @Override
    public boolean isInfoEnabled() {
        return this.logger.isInfoEnabled();
    }

    @Override
    public boolean isTraceEnabled() {
        return this.logger.isTraceEnabled();
    }

    @Override
    public boolean isWarnEnabled() {
        return this.logger.isWarnEnabled();
    }

    @Override
    public void trace(Object message) {
        this.logger.trace(String.valueOf(message));
    }

    @Override
    public void trace(Object message, Throwable t) {
        this.logger.trace(String.valueOf(message), t);
    }

    @Override
    public void debug(Object message) {
        this.logger.debug(String.valueOf(message));
    }

    @Override
    public void debug(Object message, Throwable t) {
        this.logger.debug(String.valueOf(message), t);
    }

    @Override
    public void info(Object message) {
        this.logger.info(String.valueOf(message));
    }

    @Override
    public void info(Object message, Throwable t) {
        this.logger.info(String.valueOf(message), t);
    }

    @Override
    public void warn(Object message) {
        this.logger.warn(String.valueOf(message));
    }

    @Override
    public void warn(Object message, Throwable t) {
        this.logger.warn(String.valueOf(message), t);
    }

    @Override
    public void error(Object message) {
        this.logger.error(String.valueOf(message));
    }

    @Override
    public void error(Object message, Throwable t) {
        this.logger.error(String.valueOf(message), t);
    }

    @Override
    public void fatal(Object message) {
        this.logger.error(String.valueOf(message));
    }

    @Override
    public void fatal(Object message, Throwable t) {
        this.logger.error(String.valueOf(message), t);
    }

}
