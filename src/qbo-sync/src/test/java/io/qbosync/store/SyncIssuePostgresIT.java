package io.qbosync.store;

import javax.sql.DataSource;

import org.junit.jupiter.api.AfterEach;

import io.qbosync.testsupport.PostgresTestDatabase;
import io.qbosync.testsupport.TestSchema;

/** The issue contract on a real PostgreSQL server, production's database (a fresh schema per test). */
class SyncIssuePostgresIT extends SyncIssueContract {

    private TestSchema schema;

    @Override
    DataSource freshDataSource() {
        schema = PostgresTestDatabase.get().createSchema("issues");
        return schema.dataSource();
    }

    @AfterEach
    void dropSchema() {
        if (schema != null) {
            schema.close();
        }
    }
}
