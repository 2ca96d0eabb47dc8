package io.qbosync.e2e;

import java.nio.file.Path;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.qbosync.testsupport.PostgresTestDatabase;
import io.qbosync.testsupport.E2eProperties;
import io.qbosync.testsupport.TestSchema;

/**
 * The same sample sync with the sync store on a real PostgreSQL server (production's database): Flyway's migrations,
 * every statement and the row locks that order holds and releases run there for real.
 */
class SampleSyncPostgresIT extends SampleSyncScenario {

    @TempDir
    static Path data;

    static TestSchema schema;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        E2eProperties.embeddedDefaultsIn(() -> data, registry);
        schema = PostgresTestDatabase.get().createSchema("e2e");
        schema.registerDataSource(registry);
    }

    @AfterAll
    static void dropSchema() {
        if (schema != null) {
            schema.close();
        }
    }
}
