package dev.gatehouse.authserver.protocol;

import static dev.gatehouse.authserver.protocol.OAuthTestClient.API;
import static dev.gatehouse.authserver.protocol.OAuthTestClient.SPA_ORIGIN;
import static dev.gatehouse.authserver.protocol.OAuthTestClient.json;
import static dev.gatehouse.authserver.protocol.OAuthTestClient.location;
import static dev.gatehouse.authserver.protocol.OAuthTestClient.query;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.context.event.ApplicationFailedEvent;
import org.springframework.boot.context.event.ApplicationPreparedEvent;
import org.springframework.boot.context.event.ApplicationStartingEvent;
import org.springframework.boot.context.event.SpringApplicationEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.core.Ordered;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import dev.gatehouse.authserver.login.Factors;
import dev.gatehouse.authserver.mfa.TotpTestCodes;
import dev.gatehouse.authserver.passkey.SoftwareAuthenticator;
import dev.gatehouse.authserver.AuthServerApplication;
import dev.gatehouse.authserver.key.SigningKeyService;
import tools.jackson.databind.JsonNode;

/**
 * The production topology in one test run: two instances of the real server on one real
 * PostgreSQL, behind a round-robin proxy without stickiness. Started together on an empty
 * database they agree on one signing key; a full login (login page, form post, consent,
 * code, token, silent authentication, refresh rotation, logout) works with every step on
 * the other instance; a key rotated on one is published by both before either signs with
 * it; and a PostgreSQL restart under load gives clean 503s, no lost refresh family, and
 * both instances recover by themselves.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@ExtendWith(OutputCaptureExtension.class)
class TwoInstancesTests {

    private static Path pgData;

    private static int pgPort;

    private static EmbeddedPostgres postgres;

    private static RoundRobinProxy proxy;

    private static final List<ConfigurableApplicationContext> instances = new ArrayList<>();

    /**
     * Logback's set-up is not thread-safe (spring-boot#17439): two applications in one
     * JVM configuring it at once fail now and then with a
     * ConcurrentModificationException. Two real servers have a JVM each, so the race is
     * the test's own; the instances take turns only until their logging is set up (before
     * any bean, so database migration, key creation and tenant import still race as they
     * do in production).
     */
    private static final ApplicationListener<SpringApplicationEvent> LOGGING_SET_UP_ONE_AT_A_TIME = new LoggingSetUpGate();

    private static final class LoggingSetUpGate implements ApplicationListener<SpringApplicationEvent>, Ordered {

        private final Semaphore turn = new Semaphore(1);

        private final Set<SpringApplication> holding = ConcurrentHashMap.newKeySet();

        @Override
        public void onApplicationEvent(SpringApplicationEvent event) {
            if (event instanceof ApplicationStartingEvent) {
                turn.acquireUninterruptibly();
                holding.add(event.getSpringApplication());
            }
            else if ((event instanceof ApplicationPreparedEvent || event instanceof ApplicationFailedEvent)
                    && holding.remove(event.getSpringApplication())) {
                turn.release();
            }
        }

        @Override
        public int getOrder() {
            return Ordered.HIGHEST_PRECEDENCE;
        }

    }

    @BeforeAll
    static void startPostgresAndTwoInstancesTogether() throws Exception {
        pgData = Files.createTempDirectory("gatehouse-two-instances-pg");
        try (ServerSocket socket = new ServerSocket(0)) {
            pgPort = socket.getLocalPort();
        }
        postgres = startPostgres();
        try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE gatehouse");
        }
        proxy = new RoundRobinProxy();
        String url = postgres.getJdbcUrl("postgres", "gatehouse");
        ExecutorService starters = Executors.newFixedThreadPool(2);
        try {
            List<Future<ConfigurableApplicationContext>> started = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                started.add(starters.submit(() -> new SpringApplicationBuilder(AuthServerApplication.class)
                    .listeners(LOGGING_SET_UP_ONE_AT_A_TIME)
                    .run("--server.port=0", "--spring.datasource.url=" + url, "--spring.datasource.username=postgres",
                            "--spring.datasource.password=postgres",
                            "--gatehouse.issuer=http://localhost:" + proxy.port() + "/",
                            "--gatehouse.tenant-file=" + ProtocolTestSupport.tenantFile(),
                            "--gatehouse.signing-keys.reload-interval=PT1S",
                            "--gatehouse.signing-keys.pre-publication=PT3S")));
            }
            for (Future<ConfigurableApplicationContext> instance : started) {
                instances.add(instance.get(120, TimeUnit.SECONDS));
            }
        }
        finally {
            starters.shutdownNow();
        }
        proxy.backends(port(instances.get(0)), port(instances.get(1)));
    }

    @AfterAll
    static void stop() throws IOException {
        instances.forEach(ConfigurableApplicationContext::close);
        proxy.close();
        postgres.close();
    }

    private static EmbeddedPostgres startPostgres() throws IOException {
        return EmbeddedPostgres.builder().setDataDirectory(pgData).setCleanDataDirectory(false).setPort(pgPort).start();
    }

    private static int port(ConfigurableApplicationContext instance) {
        return ((WebServerApplicationContext) instance).getWebServer().getPort();
    }

    private static OAuthTestClient viaProxy() {
        return new OAuthTestClient(proxy.port()).withFreshConnections();
    }

    @Test
    @Order(1)
    void instancesStartedTogetherOnAnEmptyDatabaseAgreeOnOneKeyAndOneTenant() {
        JdbcTemplate jdbc = instances.get(0).getBean(JdbcTemplate.class);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM signing_key", Integer.class)).isEqualTo(1);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM tenant_client WHERE client_id = 'gatehouse-spa'",
                Integer.class))
            .isEqualTo(1);
        String kid = instances.get(0).getBean(SigningKeyService.class).currentKid();
        assertThat(instances.get(1).getBean(SigningKeyService.class).currentKid()).isEqualTo(kid);
    }

    @Test
    @Order(2)
    void aFullLoginWorksWithEveryStepOnTheOtherInstance() {
        OAuthTestClient browser = viaProxy();
        int first = proxy.servedBy().size();
        OAuthTestClient.Authorize authorize = new OAuthTestClient.Authorize().with("audience", API)
            .with("scope", "openid profile email offline_access read:messages");

        HttpResponse<String> toLogin = browser.get(authorize.url());
        assertThat(location(toLogin)).endsWith("/login");
        HttpResponse<String> consent = browser.follow(browser.login("walter@example.com", "Test-Passw0rd"));
        assertThat(consent.statusCode()).as(consent.body()).isEqualTo(200);
        assertThat(consent.body()).contains("consent-accept");
        Map<String, String> callback = query(location(browser.accept(consent)));
        assertThat(callback).containsKey("code");
        HttpResponse<String> token = browser.postForm("/oauth/token", authorize.tokenRequest(callback.get("code")),
                "Origin", SPA_ORIGIN);
        assertThat(token.statusCode()).as(token.body()).isEqualTo(200);
        JsonNode tokens = json(token);
        assertThat(OAuthTestClient.jwt(tokens.get("id_token").asString())[1].has("sid"))
            .as("sid from the shared session")
            .isTrue();

        for (int i = 0; i < 2; i++) {
            HttpResponse<String> silent = browser.get(authorize.with("prompt", "none").url());
            assertThat(query(location(silent))).as("silent authentication on either instance").containsKey("code");
        }
        String refreshToken = tokens.get("refresh_token").asString();
        for (int i = 0; i < 4; i++) {
            HttpResponse<String> refreshed = new GrantRaces(browser).refresh(refreshToken);
            assertThat(refreshed.statusCode()).as(refreshed.body()).isEqualTo(200);
            refreshToken = json(refreshed).get("refresh_token").asString();
            assertThat(new GrantRaces(browser).userinfo(json(refreshed).get("access_token").asString()).statusCode())
                .isEqualTo(200);
        }

        HttpResponse<String> logout = browser.get("/v2/logout?client_id=gatehouse-spa&returnTo=" + SPA_ORIGIN);
        assertThat(location(logout)).isEqualTo(SPA_ORIGIN);
        for (int i = 0; i < 2; i++) {
            HttpResponse<String> silent = browser.get(authorize.with("prompt", "none").url());
            assertThat(query(location(silent))).as("the session is gone on both instances")
                .containsEntry("error", "login_required");
        }

        List<Integer> served = proxy.servedBy().subList(first, proxy.servedBy().size());
        assertThat(served).as("round robin: every step on the other instance").hasSizeGreaterThan(10);
        for (int i = 1; i < served.size(); i++) {
            assertThat(served.get(i)).isNotEqualTo(served.get(i - 1));
        }
    }

    @Test
    @Order(2)
    void aPasskeyRegisteredOnOneInstanceSignsInOnTheOtherAndItsAnswerWorksOnce() {
        String origin = "http://localhost:" + proxy.port();
        SoftwareAuthenticator authenticator = new SoftwareAuthenticator();
        OAuthTestClient browser = viaProxy();
        browser.login("passkey-hosted@example.com", "Test-Passw0rd");
        assertThat(PageSteps.register(browser, authenticator, "Laptop", origin).statusCode()).isEqualTo(200);

        OAuthTestClient other = viaProxy();
        String[] assertion = PageSteps.assertion(other, authenticator, "/login", origin);
        List<HttpResponse<String>> answers = Parallel.times(2,
                () -> other.postJson("/login/webauthn", assertion[1], "X-CSRF-TOKEN", assertion[0]));
        assertThat(answers).extracting(HttpResponse::statusCode).containsExactlyInAnyOrder(200, 401);
    }

    @Test
    @Order(2)
    void secondFactorGuessesAreCountedAcrossInstances() {
        OAuthTestClient.Authorize stepUp = new OAuthTestClient.Authorize().with("acr_values", Factors.MFA_ACR);
        OAuthTestClient enroller = viaProxy();
        enroller.get(stepUp.url());
        enroller.follow(enroller.login("totp-brute@example.com", "Test-Passw0rd"));
        HttpResponse<String> enroll = enroller.get("/mfa/enroll/otp");
        String secret = PageSteps.secret(enroll.body());
        assertThat(PageSteps
            .postCode(enroller, "/mfa/enroll/otp", enroll.body(), TotpTestCodes.code(secret, Instant.now()))
            .body()).contains("mfa-recovery-codes");

        OAuthTestClient guesser = viaProxy();
        guesser.get(stepUp.url());
        String page = guesser.follow(guesser.login("totp-brute@example.com", "Test-Passw0rd")).body();
        Set<Integer> backends = new HashSet<>();
        int before = proxy.servedBy().size();
        for (int i = 0; i < 5; i++) {
            HttpResponse<String> wrong = PageSteps.postCode(guesser, "/mfa/otp", page, String.format("%06d", i));
            assertThat(wrong.body()).contains("That code is not right");
            page = wrong.body();
        }
        backends.addAll(proxy.servedBy().subList(before, proxy.servedBy().size()));
        assertThat(backends).hasSize(2);
        HttpResponse<String> blocked = PageSteps.postCode(guesser, "/mfa/otp", page,
                TotpTestCodes.code(secret, Instant.now().plusSeconds(30)));
        assertThat(blocked.body()).contains("Too many attempts");
    }

    @Test
    @Order(3)
    void aKeyRotatedOnOneInstanceIsPublishedByBothBeforeEitherSignsWithIt() throws Exception {
        SigningKeyService first = instances.get(0).getBean(SigningKeyService.class);
        String previous = first.currentKid();
        String rotated = first.rotate();

        Thread.sleep(1_500); // one reload interval and a half
        for (ConfigurableApplicationContext instance : instances) {
            HttpResponse<String> jwks = new OAuthTestClient(port(instance)).get("/.well-known/jwks.json");
            assertThat(jwks.body()).contains(rotated).contains(previous);
            assertThat(instance.getBean(SigningKeyService.class).currentKid()).isEqualTo(previous);
        }
        Thread.sleep(1_600); // past the pre-publication
        for (ConfigurableApplicationContext instance : instances) {
            assertThat(instance.getBean(SigningKeyService.class).currentKid()).isEqualTo(rotated);
        }
    }

    @Test
    @Order(4)
    void aPostgresRestartUnderLoadGivesClean503sLosesNoRefreshFamilyAndBothInstancesRecover(CapturedOutput output)
            throws Exception {
        List<String> families = new ArrayList<>();
        JsonNode signedIn = new GrantRaces(viaProxy()).tokens("leeway-spa", "erin@example.com", "Test-Passw0rd");
        for (String user : List.of("alice", "bob", "carol", "dave")) {
            families.add(new GrantRaces(viaProxy()).tokens("leeway-spa", user + "@example.com", "Test-Passw0rd")
                .get("refresh_token")
                .asString());
        }
        Map<Integer, Integer> statuses = new ConcurrentHashMap<>();
        List<String> problems = java.util.Collections.synchronizedList(new ArrayList<>());
        AtomicBoolean running = new AtomicBoolean(true);
        ExecutorService load = Executors.newFixedThreadPool(families.size() + 1);
        List<Future<String>> holders = new ArrayList<>();
        for (String family : families) {
            holders.add(load.submit(() -> RefreshUnderFaults.keepRefreshing(viaProxy(), "leeway-spa", family, running,
                    statuses, problems, (sentAt) -> {
                    })));
        }
        load.submit(() -> keepIssuingMachineTokens(running, statuses, problems));

        OAuthTestClient signIn = viaProxy();
        signIn.get(new OAuthTestClient.Authorize().url());
        String csrf = OAuthTestClient.csrf(signIn.get("/login").body());
        Thread.sleep(1_500);
        postgres.close();
        Thread.sleep(2_500);
        for (ConfigurableApplicationContext instance : instances) {
            assertThat(new OAuthTestClient(port(instance)).get("/actuator/health/readiness").statusCode())
                .as("readiness is down while the database is away")
                .isEqualTo(503);
        }
        HttpResponse<String> login = signIn.postForm("/login",
                Map.of("email", "walter@example.com", "password", "Test-Passw0rd", "_csrf", csrf));
        assertThat(login.statusCode()).as("a sign-in during the outage is told to wait, not that it was wrong")
            .isEqualTo(503);
        assertThat(login.headers().firstValue("Retry-After")).isPresent();
        assertThat(login.body()).doesNotContain("Wrong email or password");
        // The token endpoint at a percent-encoded path gives the same JSON answer
        HttpResponse<String> encoded = viaProxy().postForm("/oauth/%74oken",
                Map.of("client_id", "leeway-spa", "grant_type", "refresh_token", "refresh_token", "unknown"));
        assertThat(encoded.statusCode()).isEqualTo(503);
        List<String> encodedProblems = new ArrayList<>();
        RefreshUnderFaults.check503(encoded, encodedProblems);
        // So does the SDK's passkey API, the other endpoint whose clients read JSON only
        HttpResponse<String> passkey = viaProxy().postJson("/passkey/challenge", "{\"client_id\":\"gatehouse-spa\"}");
        assertThat(passkey.statusCode()).isEqualTo(503);
        RefreshUnderFaults.check503(passkey, encodedProblems);
        // SAS's user-info and OIDC logout endpoints turn what their providers throw into
        // a
        // 400; an outage there is a 503 all the same
        HttpResponse<String> userInfo = viaProxy().get("/userinfo", "Authorization",
                "Bearer " + signedIn.get("access_token").asString());
        assertThat(userInfo.statusCode()).as(userInfo.body()).isEqualTo(503);
        RefreshUnderFaults.check503(userInfo, encodedProblems);
        HttpResponse<String> logout = viaProxy()
            .get("/oidc/logout?id_token_hint=" + signedIn.get("id_token").asString());
        assertThat(logout.statusCode()).as(logout.body()).isEqualTo(503);
        assertThat(logout.headers().firstValue("Retry-After")).isPresent();
        // A page whose new session cannot be saved is a 503 too
        HttpResponse<String> loginPage = viaProxy().get("/login");
        assertThat(loginPage.statusCode()).isEqualTo(503);
        assertThat(loginPage.headers().firstValue("Retry-After")).isPresent();
        assertThat(encodedProblems).isEmpty();
        Thread.sleep(1_500);
        postgres = startPostgres();
        Thread.sleep(6_000);
        running.set(false);
        List<String> latest = new ArrayList<>();
        for (Future<String> holder : holders) {
            latest.add(holder.get(60, TimeUnit.SECONDS));
        }
        load.shutdownNow();

        assertThat(problems).isEmpty();
        assertThat(statuses.keySet()).as("" + statuses).containsOnly(200, 503);
        assertThat(statuses).containsKey(503);
        for (ConfigurableApplicationContext instance : instances) {
            assertThat(new OAuthTestClient(port(instance)).get("/actuator/health/readiness").statusCode())
                .isEqualTo(200);
        }
        for (String refreshToken : latest) {
            HttpResponse<String> after = new GrantRaces(viaProxy()).refresh("leeway-spa", refreshToken);
            assertThat(after.statusCode()).as("every family survived: " + after.body()).isEqualTo(200);
        }
        // The outage is reported in one line per event, not a stack trace per readiness
        // probe, per failed rollback or per pooled connection the database closed
        assertThat(output.getAll()).contains("Database unavailable, answered 503")
            .doesNotContain("DataSource health check failed")
            .doesNotContain("Exception processing template")
            .doesNotContain("Application exception overridden by rollback exception")
            .doesNotContainPattern("(?m)^\\s+at [\\w$.]+\\(");
        // Spring Session's own cleanup task, which logs a stack trace per failed run, is
        // off; ExpiredSessionCleaner runs instead
        assertThat(Thread.getAllStackTraces().keySet()).extracting(Thread::getName)
            .noneMatch(name -> name.startsWith("spring-session-"));
    }

    private static String keepIssuingMachineTokens(AtomicBoolean running, Map<Integer, Integer> statuses,
            List<String> problems) {
        OAuthTestClient client = viaProxy();
        String basic = "Basic " + Base64.getEncoder().encodeToString("gatehouse-m2m:gatehouse-m2m-secret".getBytes());
        while (running.get()) {
            try {
                HttpResponse<String> answer = client.postForm("/oauth/token",
                        Map.of("grant_type", "client_credentials", "audience", API), "Authorization", basic);
                statuses.merge(answer.statusCode(), 1, Integer::sum);
                if (answer.statusCode() == 503) {
                    RefreshUnderFaults.check503(answer, problems);
                }
            }
            catch (IllegalStateException ex) {
                // the connection broke: try again
            }
        }
        return "";
    }

    /**
     * A DPoP proof is spent on whichever instance sees it first: sent again through the
     * balancer, to the other instance, it is a replay (RFC 9449 section 11.1).
     */
    @Test
    @Order(5)
    void aDPoPProofReplayedOnTheOtherInstanceIsRefused() {
        OAuthTestClient client = viaProxy();
        String proof = DPoPKey.ec().proof("POST", "http://localhost:" + proxy.port() + "/oauth/token");
        Map<String, String> form = Map.of("grant_type", "client_credentials", "client_id", "gatehouse-m2m",
                "client_secret", "gatehouse-m2m-secret", "audience", API);
        int before = proxy.servedBy().size();

        HttpResponse<String> first = client.postForm("/oauth/token", form, "DPoP", proof);
        HttpResponse<String> replay = client.postForm("/oauth/token", form, "DPoP", proof);

        assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
        assertThat(json(first).get("token_type").asString()).isEqualTo("DPoP");
        List<Integer> served = proxy.servedBy().subList(before, proxy.servedBy().size());
        assertThat(served).hasSize(2);
        assertThat(served.get(1)).as("the replay went to the other instance").isNotEqualTo(served.get(0));
        assertThat(replay.statusCode()).as(replay.body()).isEqualTo(400);
        assertThat(json(replay).get("error").asString()).isEqualTo("invalid_dpop_proof");
        assertThat(json(replay).get("error_description").asString()).contains("jti");
    }

}
