package dev.gatehouse.testkit.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.yaml.snakeyaml.Yaml;

/**
 * The JDBC URL of a test server's own in-memory H2 database: the server's configured H2
 * URL ({@code spring.datasource.url} of its {@code application.yml}, with the
 * compatibility mode and lock settings its SQL relies on) with the file database swapped
 * for a named in-memory one, gone when the server's last connection closes.
 */
final class InMemoryDatabase {

    private static final AtomicInteger COUNT = new AtomicInteger();

    private static final String FALLBACK_SETTINGS = ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH";

    private InMemoryDatabase() {
    }

    static String newUrl() {
        return "jdbc:h2:mem:gatehouse-testkit-" + COUNT.incrementAndGet() + settings(configuredUrl());
    }

    /** What follows the database name in an H2 URL ({@code ;MODE=...}). */
    static String settings(String url) {
        if (url == null || !url.startsWith("jdbc:h2:")) {
            return FALLBACK_SETTINGS;
        }
        int semicolon = url.indexOf(';');
        return (semicolon < 0) ? "" : url.substring(semicolon);
    }

    @SuppressWarnings("unchecked")
    private static String configuredUrl() {
        try (InputStream in = InMemoryDatabase.class.getClassLoader().getResourceAsStream("application.yml")) {
            if (in == null) {
                return null;
            }
            Object spring = new Yaml().<Map<String, Object>>load(in).get("spring");
            Object datasource = (spring instanceof Map<?, ?> s) ? s.get("datasource") : null;
            Object url = (datasource instanceof Map<?, ?> d) ? d.get("url") : null;
            return (url instanceof String text) ? text : null;
        }
        catch (IOException | RuntimeException ex) {
            return null;
        }
    }

}
