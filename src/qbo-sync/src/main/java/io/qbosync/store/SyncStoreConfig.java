package io.qbosync.store;

import javax.sql.DataSource;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.flyway.FlywayMigrationStrategy;
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

    /**
     * Migrates the store (Flyway, {@code db/migration}); an embedded H2 file store is then made to write every commit
     * through ({@link H2Durability}) and has its indexes rebuilt, which repairs what a {@code kill -9} may have left
     * (see {@link H2IndexRebuild}). Runs before any route starts.
     */
    @Bean
    public FlywayMigrationStrategy syncStoreMigration(
            @Value("${qbosync.store.h2-rebuild-indexes-on-start:true}") boolean rebuildH2Indexes) {
        return flyway -> {
            flyway.migrate();
            DataSource store = flyway.getConfiguration().getDataSource();
            H2IndexRebuild indexes = new H2IndexRebuild(store);
            if (indexes.applies()) {
                new H2Durability(store).makeCommitsDurable();
                if (rebuildH2Indexes) {
                    indexes.rebuild();
                }
            }
        };
    }

    @Bean
    public TransactionTemplate syncStoreTx(DataSourceTransactionManager syncStoreTransactionManager) {
        return new TransactionTemplate(syncStoreTransactionManager);
    }
}
