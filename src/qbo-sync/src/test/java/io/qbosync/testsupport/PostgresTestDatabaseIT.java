package io.qbosync.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The shared PostgreSQL test support works against a real server, and Flyway migrates there. */
class PostgresTestDatabaseIT {

    private static TestSchema schema;

    @BeforeAll
    static void createSchema() {
        schema = PostgresTestDatabase.get().createSchema("pgcheck");
    }

    @AfterAll
    static void dropSchema() {
        if (schema != null) {
            schema.close();
        }
    }

    @Test
    void itIsARealPostgresqlServer() throws SQLException {
        try (Connection connection = PostgresTestDatabase.get().connect()) {
            assertThat(queryString(connection, "select version()")).startsWith("PostgreSQL");
        }
    }

    @Test
    void aSchemaIsTheCurrentSchemaOfItsConnections() throws SQLException {
        try (Connection connection = schema.connect()) {
            assertThat(queryString(connection, "select current_schema()")).isEqualTo(schema.name());
        }
    }

    @Test
    void schemasKeepTestClassesApart() throws SQLException {
        try (TestSchema other = PostgresTestDatabase.get().createSchema("other");
                Connection mine = schema.connect();
                Connection theirs = other.connect();
                Statement inMine = mine.createStatement();
                Statement inTheirs = theirs.createStatement()) {
            inMine.execute("create table apart (v int)");
            inTheirs.execute("create table apart (v int)");
            inMine.execute("insert into apart values (1), (2)");

            assertThat(queryString(mine, "select count(*) from apart")).isEqualTo("2");
            assertThat(queryString(theirs, "select count(*) from apart")).isEqualTo("0");
        }
    }

    @Test
    void flywayRunsPostgresSpecificMigrations() throws SQLException {
        try (TestSchema fresh = PostgresTestDatabase.get().createSchema("flyway")) {
            MigrateResult result = Flyway.configure()
                    .dataSource(fresh.dataSource())
                    .locations("classpath:db/pgcheck")
                    .load()
                    .migrate();

            assertThat(result.success).isTrue();
            assertThat(result.migrationsExecuted).isEqualTo(2);
            try (Connection connection = fresh.connect()) {
                // The history table landed in the test's own schema, not in public.
                assertThat(queryString(connection, "select count(*) from " + fresh.name() + ".flyway_schema_history where success"))
                        .isEqualTo("2");
                assertThat(queryString(connection, "select payload ->> 'name' from pgcheck_record where source_id = 'c-1'"))
                        .isEqualTo("second");
            }
        }
    }

    @Test
    void theApplicationsMigrationsApplyCleanly() {
        try (TestSchema fresh = PostgresTestDatabase.get().createSchema("app")) {
            Flyway flyway = Flyway.configure()
                    .dataSource(fresh.dataSource())
                    .locations("classpath:db/migration")
                    .load();

            MigrateResult result = flyway.migrate();

            assertThat(result.success).isTrue();
            // Whatever db/migration holds (possibly nothing yet), all of it is applied on PostgreSQL.
            assertThat(flyway.info().pending()).isEmpty();
            assertThat(flyway.info().applied()).hasSize(result.migrationsExecuted);
        }
    }

    private static String queryString(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
            assertThat(rows.next()).as(sql).isTrue();
            return rows.getString(1);
        }
    }
}
