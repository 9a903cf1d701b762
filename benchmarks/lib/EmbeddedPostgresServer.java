import java.nio.file.Files;
import java.nio.file.Path;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * The PostgreSQL of the topology benchmark: zonky's embedded binaries (the same the tests
 * use), so the benchmark needs no installed server, no root and no Docker. Run as a
 * single-file program on the auth-server's test class path:
 * {@code java -cp <classpath> EmbeddedPostgresServer.java PORT DATA_DIR}. It prints
 * {@code ready} once connections are accepted and stops PostgreSQL when the JVM is told
 * to stop.
 *
 * <p>
 * zonky's test defaults turn {@code synchronous_commit} off; a benchmark of a durable
 * token store must pay for each commit as production does, so it is turned back on.
 */
public class EmbeddedPostgresServer {

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        Path data = Path.of(args[1]);
        Files.createDirectories(data);
        EmbeddedPostgres postgres = EmbeddedPostgres.builder()
            .setPort(port)
            .setDataDirectory(data)
            .setCleanDataDirectory(true)
            .setServerConfig("synchronous_commit", "on")
            .start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                postgres.close();
            }
            catch (Exception ex) {
                System.err.println("could not stop PostgreSQL: " + ex);
            }
        }));
        System.out.println("ready");
        Thread.currentThread().join();
    }

}
