package io.qbosync.store;

import javax.sql.DataSource;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The sync store's own transaction manager. Named explicitly because a JMS transaction manager may also exist, and
 * the store's short transactions must never join a broker session.
 */
@Configuration
public class SyncStoreConfig {

    @Bean
    public DataSourceTransactionManager syncStoreTransactionManager(DataSource dataSource) {
        return new DataSourceTransactionManager(dataSource);
    }

    @Bean
    public TransactionTemplate syncStoreTx(DataSourceTransactionManager syncStoreTransactionManager) {
        return new TransactionTemplate(syncStoreTransactionManager);
    }
}
