package dev.gatehouse.authserver.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import dev.gatehouse.authserver.AuthServerApplication;
import dev.gatehouse.authserver.store.TestDatabases;

/**
 * PostgreSQL that vanishes without closing its connections, as a crashed database host or
 * a firewall that forgot the connections does: every pooled connection goes silent at
 * once while new ones work. With the default settings (no {@code socketTimeout} in the
 * URL) a request waiting on a silent connection gives it up after the read timeout and is
 * answered 503, the pool replaces the connection, and the instance serves again by
 * itself. Two token requests run at once here, so that the two stuck at the cut hold
 * every place until they give up.
 */
class SilentDatabaseTests {

    /**
     * With Auth0's reuse interval: a refresh whose commit reached the database but whose
     * answer was cut off is retried with the same token.
     */
    private static final String CLIENT = "leeway-spa";

    private static final Duration READ_TIMEOUT = Duration.ofSeconds(10);

    private static SilentCutProxy proxy;

    private static ConfigurableApplicationContext app;

    @BeforeAll
    static void start() throws Exception {
        String direct = TestDatabases.newPostgresUrl();
        Matcher port = Pattern.compile("//localhost:(\\d+)/").matcher(direct);
        assertThat(port.find()).isTrue();
        proxy = new SilentCutProxy(Integer.parseInt(port.group(1)));
        String url = port.replaceFirst("//127.0.0.1:" + proxy.port() + "/");
        app = new SpringApplicationBuilder(AuthServerApplication.class).run("--server.port=0",
                "--spring.datasource.url=" + url, "--spring.datasource.username=postgres",
                "--spring.datasource.password=postgres", "--gatehouse.token-endpoint.concurrency=2",
                "--gatehouse.tenant-file=" + ProtocolTestSupport.tenantFile());
    }

    @AfterAll
    static void stop() throws Exception {
        app.close();
        proxy.close();
    }

    private static OAuthTestClient client() {
        return new OAuthTestClient(((WebServerApplicationContext) app).getWebServer().getPort());
    }

    @Test
    void connectionsThatGoSilentAreGivenUpAfterTheReadTimeoutAndTheInstanceServesAgain() throws Exception {
        List<String> families = new ArrayList<>();
        for (String user : List.of("alice", "bob", "carol", "dave")) {
            families.add(new GrantRaces(client()).tokens(CLIENT, user + "@example.com", "Test-Passw0rd")
                .get("refresh_token")
                .asString());
        }
        Map<Integer, Integer> statuses = new ConcurrentHashMap<>();
        List<String> problems = Collections.synchronizedList(new ArrayList<>());
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicLong cutAt = new AtomicLong(Long.MAX_VALUE);
        List<AtomicLong> servedAfterCut = new ArrayList<>();
        ExecutorService load = Executors.newFixedThreadPool(families.size());
        List<Future<String>> holders = new ArrayList<>();
        for (String family : families) {
            AtomicLong served = new AtomicLong();
            servedAfterCut.add(served);
            holders.add(load.submit(() -> RefreshUnderFaults.keepRefreshing(client(), CLIENT, family, running, statuses,
                    problems, (sentAt) -> {
                        if (sentAt > cutAt.get()) {
                            served.incrementAndGet();
                        }
                    })));
        }
        Thread.sleep(1_500);
        assertThat(statuses).as("the load runs before the cut").containsKey(200);

        cutAt.set(System.nanoTime());
        assertThat(proxy.cutSilently()).as("pooled connections cut").isPositive();
        long deadline = cutAt.get() + READ_TIMEOUT.plusSeconds(20).toNanos();
        while (System.nanoTime() < deadline && servedAfterCut.stream().anyMatch((served) -> served.get() == 0)) {
            Thread.sleep(200);
        }
        running.set(false);
        List<String> latest = new ArrayList<>();
        for (Future<String> holder : holders) {
            latest.add(holder.get(60, TimeUnit.SECONDS));
        }
        load.shutdownNow();

        assertThat(servedAfterCut).as("every family was refreshed again after the cut, within the read timeout")
            .allMatch((served) -> served.get() > 0);
        assertThat(problems).isEmpty();
        assertThat(statuses.keySet()).as("" + statuses).containsOnly(200, 503);
        // A periodic task may hold a connection for a moment; a connection waiting on the
        // cut would be held for good
        HikariDataSource pool = app.getBean(HikariDataSource.class);
        long settle = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (pool.getHikariPoolMXBean().getActiveConnections() > 0 && System.nanoTime() < settle) {
            Thread.sleep(100);
        }
        assertThat(pool.getHikariPoolMXBean().getActiveConnections())
            .as("no connection is left waiting for an answer that never comes")
            .isZero();
        assertThat(client().get("/actuator/health/readiness").statusCode()).isEqualTo(200);
        for (String refreshToken : latest) {
            HttpResponse<String> after = new GrantRaces(client()).refresh(CLIENT, refreshToken);
            assertThat(after.statusCode()).as("every family survived: " + after.body()).isEqualTo(200);
        }
    }

}
