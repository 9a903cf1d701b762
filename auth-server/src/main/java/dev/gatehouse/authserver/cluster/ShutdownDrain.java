package dev.gatehouse.authserver.cluster;

import java.time.Duration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.SmartLifecycle;

/**
 * Keeps serving for {@code gatehouse.shutdown.drain-delay} after a stop begins and before
 * the web server stops taking connections. Spring Boot turns readiness down first; during
 * the delay a load balancer's health check sees it and sends nothing more, so no request
 * is still on its way in when the listener closes (otherwise a request already queued for
 * a connection is reset, and a balancer must not retry a POST that may have arrived).
 * Spring Boot has no such delay of its own (orchestrators add a pre-stop sleep); set it a
 * little above the balancer's health-check interval times its fall count. Zero, the
 * default, stops at once, as a developer's Ctrl+C should.
 */
class ShutdownDrain implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ShutdownDrain.class);

    private final Duration delay;

    private volatile boolean running;

    ShutdownDrain(Duration delay) {
        this.delay = delay;
    }

    @Override
    public void start() {
        this.running = true;
    }

    @Override
    public void stop() {
        this.running = false;
        if (this.delay.isZero() || this.delay.isNegative()) {
            return;
        }
        log.info("Stopping: readiness is down; still serving for {} while the load balancer takes this instance out",
                this.delay);
        try {
            Thread.sleep(this.delay.toMillis());
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return this.running;
    }

    /** Stopped before the web server's graceful shutdown, which runs in a lower phase. */
    @Override
    public int getPhase() {
        return WebServerApplicationContext.GRACEFUL_SHUTDOWN_PHASE + 1;
    }

}
