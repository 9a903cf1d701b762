package dev.gatehouse.docs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs {@code docs/quickstart.md} as a reader would: every block marked {@code id=} is
 * run or used here, in page order, against the packaged applications: the commands with
 * bash in a scratch copy of the repository's layout ({@code target/quickstart/}, links to
 * the real jars and scripts, so data and logs stay out of the working tree), the files
 * written where the page says. The last check fails when the page has a snippet this
 * class does not run, or when this class runs one the page no longer has.
 * <p>
 * Binds ports 9000, 3001 and 4200, like the browser tests.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class QuickstartSnippetsIT {

    private static final Duration START = Duration.ofMinutes(4);

    private static final Duration BUILD = Duration.ofMinutes(6);

    private static final Duration COMMAND = Duration.ofMinutes(1);

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static MarkdownSnippets page;

    private static final Set<String> used = new LinkedHashSet<>();

    private static final List<SnippetShell.Server> running = new ArrayList<>();

    private static Path checkout;

    private static SnippetShell shell;

    private static SnippetShell.Server ordersAuthServer;

    @BeforeAll
    static void scratchCopyOfTheRepositoryLayout() throws IOException {
        Path root = MarkdownSnippets.repositoryRoot();
        page = MarkdownSnippets.of(root.resolve("docs/quickstart.md"));
        Path build = Paths.get(System.getProperty("gatehouse.build-dir", "target")).toAbsolutePath();
        checkout = build.resolve("quickstart");
        delete(checkout);
        Files.createDirectories(checkout);
        // Everything but the places a run writes to (data/, .run/) and git's own.
        try (Stream<Path> entries = Files.list(root)) {
            for (Path entry : entries.toList()) {
                String name = entry.getFileName().toString();
                if (!List.of(".git", "data", ".run").contains(name)) {
                    Files.createSymbolicLink(checkout.resolve(name), entry);
                }
            }
        }
        shell = new SnippetShell(build.resolve("snippet-logs"));
    }

    @AfterAll
    static void stopWhatIsStillRunning() {
        running.forEach(SnippetShell.Server::stop);
    }

    @Test
    @Order(1)
    void runItStartsTheSystemAndTheApiAnswersAsThePageSays() {
        SnippetShell.Server gatehouse = start("start", checkout);
        try {
            gatehouse.awaitHttp("http://localhost:9000/actuator/health", START)
                .awaitHttp("http://localhost:3001/actuator/health", START)
                .awaitHttp("http://localhost:4200/", START);
            assertThat(run("demo-calls", checkout)).isEqualTo(snippet("demo-calls-output"));
        }
        finally {
            stop(gatehouse);
        }
    }

    @Test
    @Order(2)
    void aRealAuth0TenantIsSettingsAlone() throws Exception {
        String config = snippet("auth0-spa-config");
        Files.writeString(checkout.resolve("my-auth0-tenant.json"), config);
        SnippetShell.Server spa = start("auth0-spa", checkout);
        try {
            spa.awaitHttp("http://localhost:4200/", START);
            HttpResponse<String> served = get("http://localhost:4200/config.json");
            assertThat(served.body()).isEqualTo(config.replaceAll("\\s+", ""));
            assertThat(served.headers().firstValue("Content-Security-Policy").orElseThrow())
                .contains("frame-src https://dev-abc123.us.auth0.com");
        }
        finally {
            stop(spa);
        }
        SnippetShell.Server api = start("auth0-api", checkout);
        try {
            api.awaitHttp("http://localhost:3001/actuator/health", START);
            assertThat(get("http://localhost:3001/api/public").statusCode()).isEqualTo(200);
            assertThat(get("http://localhost:3001/api/external").statusCode()).isEqualTo(401);
        }
        finally {
            stop(api);
        }
    }

    @Test
    @Order(3)
    void ownSpringBootApiAcceptsGatehouseTokens() throws IOException {
        Files.writeString(checkout.resolve("orders-tenant.yaml"), snippet("own-tenant"));
        ordersAuthServer = start("own-auth-server", checkout).awaitHttp("http://localhost:9000/actuator/health", START);

        Path project = checkout.resolve("orders-api");
        write(project.resolve("pom.xml"), snippet("spring-pom"));
        write(project.resolve("src/main/resources/application.yml"), snippet("spring-config"));
        write(project.resolve("src/main/java/com/example/orders/OrdersApi.java"), snippet("spring-app"));
        // A start.spring.io project comes with the Maven wrapper; ours is the same.
        Path root = MarkdownSnippets.repositoryRoot();
        Files.copy(root.resolve("mvnw"), project.resolve("mvnw"), StandardCopyOption.COPY_ATTRIBUTES);
        write(project.resolve(".mvn/wrapper/maven-wrapper.properties"),
                Files.readString(root.resolve(".mvn/wrapper/maven-wrapper.properties")));
        SnippetShell.Server api = start("spring-run", project);
        try {
            api.awaitHttp("http://localhost:3001/api/orders", BUILD);
            assertThat(run("own-calls", checkout)).isEqualTo(snippet("own-calls-output"));
        }
        finally {
            stop(api);
        }
    }

    @Test
    @Order(4)
    void quickstartsExpressApiAcceptsGatehouseTokens() throws IOException {
        assertThat(ordersAuthServer).as("the authorization server started with the orders tenant").isNotNull();
        shell.run("express-install", checkout, snippet("express-install"), BUILD);
        Path project = checkout.resolve("orders-express");
        write(project.resolve("server.js"), snippet("express-server"));
        SnippetShell.Server api = start("express-run", project);
        try {
            api.awaitHttp("http://localhost:3001/api/orders", START);
            assertThat(shell.run("own-calls-express", checkout, snippet("own-calls"), COMMAND))
                .isEqualTo(snippet("own-calls-output"));
        }
        finally {
            stop(api);
            stop(ordersAuthServer);
        }
    }

    @Test
    @Order(5)
    void everySnippetOfThePageRanAndNothingElse() {
        Set<String> onPage = new LinkedHashSet<>();
        page.blocks().stream().filter((block) -> block.id() != null).forEach((block) -> onPage.add(block.id()));
        assertThat(used).as("snippets run by this test, in page order").containsExactlyElementsOf(onPage);
    }

    private static String snippet(String id) {
        used.add(id);
        return page.snippet(id).text();
    }

    private static String run(String id, Path directory) {
        return shell.run(id, directory, snippet(id), COMMAND);
    }

    private static SnippetShell.Server start(String id, Path directory) {
        SnippetShell.Server server = shell.start(id, directory, snippet(id));
        running.add(server);
        return server;
    }

    private static void stop(SnippetShell.Server server) {
        server.stop();
        running.remove(server);
    }

    private static HttpResponse<String> get(String url) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void write(Path file, String content) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
    }

    private static void delete(Path directory) throws IOException {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
        catch (UncheckedIOException ex) {
            throw ex.getCause();
        }
    }

}
