package dev.gatehouse.authserver.cluster;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.session.jdbc.JdbcIndexedSessionRepository;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionOperations;
import org.springframework.transaction.support.TransactionTemplate;

import dev.gatehouse.authserver.config.GatehouseProperties;

/** What running several instances behind a load balancer needs of each one. */
@Configuration(proxyBeanMethods = false)
class ClusterConfiguration {

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

    @Bean
    ExpiredSessionCleaner expiredSessionCleaner(JdbcIndexedSessionRepository sessions) {
        return new ExpiredSessionCleaner(sessions);
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
