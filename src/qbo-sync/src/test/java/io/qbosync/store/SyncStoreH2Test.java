package io.qbosync.store;

import java.util.UUID;

import javax.sql.DataSource;

import org.h2.jdbcx.JdbcDataSource;

/** The sync store contract on H2, the embedded default (file-mode semantics, in memory for speed). */
class SyncStoreH2Test extends SyncStoreContract {

    @Override
    DataSource freshDataSource() {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:mem:store-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        ds.setUser("sa");
        return ds;
    }
}
