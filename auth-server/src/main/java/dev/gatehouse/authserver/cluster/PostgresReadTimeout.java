package dev.gatehouse.authserver.cluster;

import java.time.Duration;
import java.util.Locale;

import com.zaxxer.hikari.HikariDataSource;
import org.springframework.beans.factory.config.BeanPostProcessor;

/**
 * Gives every pooled PostgreSQL connection a read timeout (PgJDBC's
 * {@code socketTimeout}, {@link #DEFAULT}) unless the JDBC URL or the pool's data-source
 * properties set one. PgJDBC waits for an answer forever by default. A connection whose
 * database went away without closing it (a host that crashed or froze, a route, NAT or
 * firewall entry that was dropped, a failover to another address) then never gives back
 * the request, the transaction and the pooled connection waiting on it; HikariCP cannot
 * help, it never touches a connection in use. Once every pooled connection waits so, the
 * instance answers 503 until it is restarted. With the timeout the wait fails as a
 * connection error, the pool drops the connection, and the request is answered 503 like
 * any other outage. The few statements that may rightly take longer lift it for their own
 * connection ({@link LongStatements}).
 */
final class PostgresReadTimeout implements BeanPostProcessor {

    /**
     * Far above any statement of ours, and short enough that a request ends well within a
     * balancer's server timeout (30 s in the haproxy example): at most 2 s in the token
     * queue, 2 s waiting for a connection, then this twice (its statement, then its
     * session's save on another connection).
     */
    static final Duration DEFAULT = Duration.ofSeconds(10);

    /** PgJDBC's name for it, in seconds. */
    static final String SOCKET_TIMEOUT = "socketTimeout";

    @Override
    public Object postProcessBeforeInitialization(Object bean, String beanName) {
        if (bean instanceof HikariDataSource pool && isPostgres(pool)
                && !pool.getDataSourceProperties().containsKey(SOCKET_TIMEOUT)) {
            // A value in the URL wins over this one: PgJDBC reads the URL's parameters
            // last.
            pool.addDataSourceProperty(SOCKET_TIMEOUT, Long.toString(DEFAULT.toSeconds()));
        }
        return bean;
    }

    private static boolean isPostgres(HikariDataSource pool) {
        String url = pool.getJdbcUrl();
        if (url != null) {
            return url.toLowerCase(Locale.ROOT).startsWith("jdbc:postgresql:");
        }
        String dataSourceClass = pool.getDataSourceClassName();
        return dataSourceClass != null && dataSourceClass.startsWith("org.postgresql.");
    }

}
