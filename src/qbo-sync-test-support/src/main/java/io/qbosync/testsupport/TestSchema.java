package io.qbosync.testsupport;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicBoolean;

import javax.sql.DataSource;

import org.postgresql.ds.PGSimpleDataSource;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * A private schema on the test PostgreSQL server ({@link PostgresTestDatabase#createSchema(String)}): connections
 * made with {@link #jdbcUrl()} create and find their tables there, so test classes cannot see each other's data.
 */
public final class TestSchema implements AutoCloseable {

    private final PostgresTestDatabase database;
    private final String name;
    private final AtomicBoolean dropped = new AtomicBoolean();

    TestSchema(PostgresTestDatabase database, String name) {
        this.database = database;
        this.name = name;
    }

    /** The schema's name, {@code t_...}. */
    public String name() {
        return name;
    }

    /** The database URL with this schema as the current schema (PostgreSQL {@code search_path}). */
    public String jdbcUrl() {
        String url = database.url();
        return url + (url.contains("?") ? "&" : "?") + "currentSchema=" + name;
    }

    public String user() {
        return database.user();
    }

    public String password() {
        return database.password();
    }

    /** An unpooled data source on this schema. */
    public DataSource dataSource() {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setURL(jdbcUrl());
        dataSource.setUser(user());
        dataSource.setPassword(password());
        return dataSource;
    }

    public Connection connect() throws SQLException {
        return dataSource().getConnection();
    }

    /** Points Spring Boot's {@code spring.datasource.*} (and so Flyway) at this schema. */
    public void registerDataSource(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", this::jdbcUrl);
        registry.add("spring.datasource.username", this::user);
        registry.add("spring.datasource.password", this::password);
        registry.add("spring.datasource.driver-class-name", () -> "org.postgresql.Driver");
    }

    /** Drops the schema and everything in it; safe to call more than once. */
    @Override
    public void close() {
        if (dropped.compareAndSet(false, true)) {
            database.execute("drop schema if exists " + name + " cascade");
        }
    }
}
