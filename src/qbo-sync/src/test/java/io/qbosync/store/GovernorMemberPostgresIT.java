package io.qbosync.store;

import javax.sql.DataSource;

import org.junit.jupiter.api.AfterEach;

import io.qbosync.testsupport.PostgresTestDatabase;
import io.qbosync.testsupport.TestSchema;

/** The governor membership contract on a real PostgreSQL server (a fresh schema per test). */
class GovernorMemberPostgresIT extends GovernorMemberContract {

    private TestSchema schema;

    @Override
    DataSource freshDataSource() {
        schema = PostgresTestDatabase.get().createSchema("members");
        return schema.dataSource();
    }

    @AfterEach
    void dropSchema() {
        if (schema != null) {
            schema.close();
        }
    }
}
