package dev.gatehouse.authserver.cluster;

import java.sql.DatabaseMetaData;
import java.time.Clock;

import javax.sql.DataSource;

import org.aopalliance.intercept.MethodInterceptor;
import org.springframework.aop.framework.ProxyFactory;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.session.jdbc.autoconfigure.JdbcSessionProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.JdbcUtils;
import org.springframework.jdbc.support.MetaDataAccessException;
import org.springframework.session.FlushMode;
import org.springframework.session.SaveMode;
import org.springframework.session.Session;
import org.springframework.session.config.SessionRepositoryCustomizer;
import org.springframework.session.jdbc.JdbcIndexedSessionRepository;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionOperations;
import org.springframework.transaction.support.TransactionTemplate;

import dev.gatehouse.authserver.config.GatehouseProperties;
import dev.gatehouse.authserver.login.RetiredSessionIds;

/** What running several instances behind a load balancer needs of each one. */
@Configuration(proxyBeanMethods = false)
class ClusterConfiguration {

    @Bean
    static PostgresReadTimeout postgresReadTimeout() {
        return new PostgresReadTimeout();
    }

    @Bean
    LongMigrations longMigrations() {
        return new LongMigrations();
    }

    @Bean
    ShutdownDrain shutdownDrain(GatehouseProperties properties) {
        return new ShutdownDrain(properties.shutdown().drainDelay());
    }

    /**
     * The shared sessions' statements join a transaction already open on the thread;
     * Spring Session's own default opens a new one. SAS reads the session registry during
     * a code exchange, inside the transaction that holds the code's row lock, so a new
     * transaction there needed a second pooled connection while the first was held: ten
     * parallel code exchanges on a pool of ten waited on each other until the connection
     * timeout, and answered 503. Outside a transaction (a session saved at the end of a
     * request) nothing changes. Not a {@link TransactionTemplate} bean, so that the
     * application's own ({@link #transactionTemplate}) stays the one injected by type.
     */
    @Bean
    TransactionOperations springSessionTransactionOperations(PlatformTransactionManager transactions) {
        return new TransactionTemplate(transactions)::execute;
    }

    /**
     * A session attribute is written as an upsert, the last writer winning. Two requests
     * of one session that both add the same attribute (a login form posted twice at once:
     * each stores the signed-in context) made Spring Session's plain insert fail with a
     * duplicate key, a 500 for the user who double-clicked. On PostgreSQL this is the
     * upsert Spring Session ships; H2, the embedded default, has no
     * {@code ON CONFLICT ... DO UPDATE} and merges on the key instead (H2 and PostgreSQL
     * are the two databases Gatehouse runs on). H2's merge is safe against a concurrent
     * one here because Spring Session updates the session's row first, in the same
     * transaction: the second writer waits for the first to commit, then finds the
     * attribute and updates it. Both leave out a late copy's attributes
     * ({@link RetiredSessionIds}).
     */
    @Bean
    SessionRepositoryCustomizer<JdbcIndexedSessionRepository> sessionAttributesAsUpserts(DataSource dataSource)
            throws MetaDataAccessException {
        String database = JdbcUtils.extractDatabaseMetaData(dataSource, DatabaseMetaData::getDatabaseProductName);
        String upsert = "H2".equals(database) ? RetiredSessionIds.CREATE_SESSION_ATTRIBUTE_QUERY_H2
                : RetiredSessionIds.CREATE_SESSION_ATTRIBUTE_QUERY_POSTGRESQL;
        return (sessions) -> sessions.setCreateSessionAttributeQuery(upsert);
    }

    /**
     * A session id a sign-in replaced is never written back, nor the attributes of a copy
     * that still had it ({@link RetiredSessionIds}). That, and the 503 for a session that
     * cannot be saved, rest on Spring Session's default modes and on the tables the
     * migrations create, so a start with another mode or table is refused rather than run
     * without them.
     */
    @Bean
    SessionRepositoryCustomizer<JdbcIndexedSessionRepository> retiredSessionIdsNeverWrittenBack(
            JdbcSessionProperties properties) {
        refuseUnless(properties.getSaveMode() == SaveMode.ON_SET_ATTRIBUTE, "save-mode", properties.getSaveMode(),
                "Gatehouse supports only on-set-attribute: with another mode, a request writes back attributes it "
                        + "only read (a CSRF token, a saved request) over what another request of the same session "
                        + "changed meanwhile");
        refuseUnless(properties.getFlushMode() == FlushMode.ON_SAVE, "flush-mode", properties.getFlushMode(),
                "Gatehouse supports only on-save: a session is saved as its request's answer is written and as the "
                        + "request ends, after the id a sign-in replaced is recorded and where a database failure is "
                        + "answered 503");
        refuseUnless("-".equals(properties.getCleanupCron()), "cleanup-cron", properties.getCleanupCron(),
                "Gatehouse deletes expired sessions itself every minute (ExpiredSessionCleaner, one WARN line when "
                        + "the database is away); Spring Session's own cleanup task would run beside it and log a "
                        + "stack trace for each failed run");
        refuseUnless("SPRING_SESSION".equalsIgnoreCase(properties.getTableName()), "table-name",
                properties.getTableName(), "Gatehouse's migrations create the session tables as spring_session and "
                        + "spring_session_attributes, with the columns its session update needs");
        return (sessions) -> {
            sessions.setUpdateSessionQuery(RetiredSessionIds.UPDATE_SESSION_QUERY);
            sessions.setUpdateSessionAttributeQuery(RetiredSessionIds.UPDATE_SESSION_ATTRIBUTE_QUERY);
            sessions.setDeleteSessionAttributeQuery(RetiredSessionIds.DELETE_SESSION_ATTRIBUTE_QUERY);
        };
    }

    /**
     * Every save of an existing session updates its row before any attribute statement,
     * so those statements read the late-copy flag of their own save
     * ({@link RetiredSessionIds}). Spring Session runs the update only when the session's
     * own fields changed since its last save: a save with only attribute changes (one
     * made after the response committed, which Spring Session saves again when its filter
     * ends; Spring Security's {@code expireNow}) would read the flag an earlier save
     * left, dropping a current copy's attributes after a late one, or writing a late
     * copy's. So each save marks the session changed, at the cost of a second row update
     * for a request whose answer committed before it ended (a redirect). A proxy, because
     * Spring Session has no hook around its save and its filter takes the repository bean
     * as it is.
     */
    @Bean
    static BeanPostProcessor everySessionSaveUpdatesTheRowFirst() {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessAfterInitialization(Object bean, String name) {
                if (!(bean instanceof JdbcIndexedSessionRepository)) {
                    return bean;
                }
                ProxyFactory proxy = new ProxyFactory(bean);
                proxy.setProxyTargetClass(true);
                proxy.addAdvice((MethodInterceptor) (invocation) -> {
                    if (invocation.getMethod().getName().equals("save")
                            && invocation.getArguments()[0] instanceof Session session) {
                        session.setLastAccessedTime(session.getLastAccessedTime());
                    }
                    return invocation.proceed();
                });
                return proxy.getProxy(bean.getClass().getClassLoader());
            }
        };
    }

    private static void refuseUnless(boolean supported, String setting, Object value, String reason) {
        if (!supported) {
            throw new InvalidConfigurationPropertyValueException("spring.session.jdbc." + setting, value, reason);
        }
    }

    @Bean
    ExpiredSessionCleaner expiredSessionCleaner(JdbcIndexedSessionRepository sessions, JdbcClient jdbc,
            PlatformTransactionManager transactions, Clock clock) {
        return new ExpiredSessionCleaner(sessions, jdbc, new TransactionTemplate(transactions), clock);
    }

    /**
     * The application's transaction template. Spring Boot's own steps back once any
     * {@link TransactionOperations} bean exists, as the one above does.
     */
    @Bean
    TransactionTemplate transactionTemplate(PlatformTransactionManager transactions) {
        return new TransactionTemplate(transactions);
    }

}
