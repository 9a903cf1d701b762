package dev.gatehouse.authserver.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.gatehouse.authserver.client.CachingTenantDirectory;
import dev.gatehouse.authserver.store.TestDatabases;

/**
 * The periodic tasks (the tenant and signing-key reloads, the two cleanups) each have a
 * thread: a cleanup that takes minutes after a busy hour, or a task stuck on a database
 * that stopped answering, never holds back the reloads that keep the instances' tenant
 * and published keys in step.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class PeriodicTasksTests {

    private static final CountDownLatch RELEASE = new CountDownLatch(1);

    private static final String URL = TestDatabases.newH2Url();

    @Autowired
    private CachingTenantDirectory tenant;

    @Autowired
    private JdbcClient jdbc;

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", () -> URL);
    }

    @AfterAll
    static void release() {
        RELEASE.countDown();
    }

    @Test
    void aStuckPeriodicTaskNeverHoldsBackTheTenantReload() throws Exception {
        assertThat(StuckTask.STARTED.await(10, TimeUnit.SECONDS)).as("the stuck task holds its thread").isTrue();
        this.jdbc.sql("UPDATE tenant_client SET name = 'Renamed by another instance' WHERE client_id = ?")
            .param("gatehouse-spa")
            .update();
        long deadline = System.nanoTime() + CachingTenantDirectory.REFRESH.plus(Duration.ofSeconds(10)).toNanos();
        while (System.nanoTime() < deadline && !"Renamed by another instance"
            .equals(this.tenant.findClient("gatehouse-spa").orElseThrow().name())) {
            Thread.sleep(200);
        }
        assertThat(this.tenant.findClient("gatehouse-spa").orElseThrow().name())
            .isEqualTo("Renamed by another instance");
    }

    @TestConfiguration
    static class StuckTaskConfiguration {

        @Bean
        StuckTask stuckTask() {
            return new StuckTask();
        }

    }

    static class StuckTask {

        static final CountDownLatch STARTED = new CountDownLatch(1);

        /** Runs first, and waits until the test ends. */
        @Scheduled(initialDelay = 0, fixedDelay = 60_000)
        void waitForever() throws InterruptedException {
            STARTED.countDown();
            RELEASE.await();
        }

    }

}
