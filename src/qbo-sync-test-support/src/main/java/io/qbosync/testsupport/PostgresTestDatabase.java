package io.qbosync.testsupport;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A real PostgreSQL server for tests, one per JVM, and a fresh schema per test class on it.
 *
 * <p>The server comes from the environment variables {@code QBOSYNC_TEST_PG_URL}, {@code QBOSYNC_TEST_PG_USER}
 * and {@code QBOSYNC_TEST_PG_PASSWORD} (or system properties of the same names), which {@code .ci/run} exports.
 * When they are unset, the first use runs {@code .ci/start-postgres.sh} (found by walking up from the working
 * directory), which starts or reuses a loopback-only server. If no server can be had, every test that asks fails
 * with the reason: a PostgreSQL test never skips silently.
 *
 * <pre>
 * static final TestSchema PG = PostgresTestDatabase.get().createSchema("store");
 *
 * {@literal @}DynamicPropertySource
 * static void database(DynamicPropertyRegistry registry) { PG.registerDataSource(registry); }
 * </pre>
 */
public final class PostgresTestDatabase {

    public static final String URL_VARIABLE = "QBOSYNC_TEST_PG_URL";
    public static final String USER_VARIABLE = "QBOSYNC_TEST_PG_USER";
    public static final String PASSWORD_VARIABLE = "QBOSYNC_TEST_PG_PASSWORD";

    private static final String START_SCRIPT = ".ci/start-postgres.sh";
    /** Installing PostgreSQL on a fresh machine downloads packages; this only bounds a hang. */
    private static final long SCRIPT_TIMEOUT_MINUTES = 15;

    private static PostgresTestDatabase instance;
    private static AssertionError failure;

    private final String url;
    private final String user;
    private final String password;

    private PostgresTestDatabase(String url, String user, String password) {
        this.url = url;
        this.user = user;
        this.password = password;
    }

    /**
     * The test server, started on first use.
     *
     * @throws AssertionError when no PostgreSQL server can be reached or started (again on every call)
     */
    public static synchronized PostgresTestDatabase get() {
        if (failure != null) {
            throw failure;
        }
        if (instance == null) {
            try {
                instance = locate();
            } catch (RuntimeException | IOException e) {
                failure = new AssertionError("PostgreSQL is required by this test and is not available: " + e.getMessage()
                        + "\nSet " + URL_VARIABLE + ", " + USER_VARIABLE + " and " + PASSWORD_VARIABLE + " to a server, or let "
                        + START_SCRIPT + " start one (it needs the PostgreSQL server binaries, or root to install them).", e);
                throw failure;
            }
        }
        return instance;
    }

    public String url() {
        return url;
    }

    public String user() {
        return user;
    }

    public String password() {
        return password;
    }

    /** A new connection to the test database (default schema {@code public}). */
    public Connection connect() throws SQLException {
        return DriverManager.getConnection(url, user, password);
    }

    /**
     * Creates an empty schema {@code t_<hint>_<random>}; connections from its {@link TestSchema#jdbcUrl()} use it
     * as their current schema. It is dropped on {@link TestSchema#close()} or when the JVM exits.
     */
    public TestSchema createSchema(String hint) {
        String cleanHint = hint.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_");
        String name = "t_" + (cleanHint.isEmpty() ? "" : cleanHint + "_") + UUID.randomUUID().toString().substring(0, 8);
        execute("create schema " + name);
        TestSchema schema = new TestSchema(this, name);
        Runtime.getRuntime().addShutdownHook(new Thread(schema::close, "drop-" + name));
        return schema;
    }

    void execute(String sql) {
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL: " + sql + " failed: " + e.getMessage(), e);
        }
    }

    private static PostgresTestDatabase locate() throws IOException {
        Map<String, String> settings = new HashMap<>();
        for (String name : new String[] {URL_VARIABLE, USER_VARIABLE, PASSWORD_VARIABLE}) {
            String value = System.getProperty(name, System.getenv(name));
            if (value != null && !value.isBlank()) {
                settings.put(name, value);
            }
        }
        if (!settings.containsKey(URL_VARIABLE)) {
            settings = runStartScript();
        }
        for (String name : new String[] {URL_VARIABLE, USER_VARIABLE, PASSWORD_VARIABLE}) {
            if (!settings.containsKey(name)) {
                throw new IllegalStateException(name + " is not set");
            }
        }
        PostgresTestDatabase database = new PostgresTestDatabase(
                settings.get(URL_VARIABLE), settings.get(USER_VARIABLE), settings.get(PASSWORD_VARIABLE));
        try (Connection ignored = database.connect()) {
            return database;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot connect to " + database.url + " as " + database.user + ": " + e.getMessage(), e);
        }
    }

    private static Map<String, String> runStartScript() throws IOException {
        Path script = findStartScript();
        Process process = new ProcessBuilder("bash", script.toString())
                .directory(script.getParent().getParent().toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                // Progress and PostgreSQL's own messages go to the test log; stdout carries the settings.
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        String output;
        try (InputStream stdout = process.getInputStream()) {
            ByteArrayOutputStream buffer = new ByteArrayOutputStream();
            stdout.transferTo(buffer);
            output = buffer.toString(StandardCharsets.UTF_8);
        }
        try {
            if (!process.waitFor(SCRIPT_TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new IllegalStateException(script + " did not finish within " + SCRIPT_TIMEOUT_MINUTES + " minutes");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for " + script, e);
        }
        if (process.exitValue() != 0) {
            throw new IllegalStateException(script + " failed with exit code " + process.exitValue() + " (its messages are in the test output)");
        }
        Map<String, String> settings = new HashMap<>();
        output.lines().forEach(line -> {
            int equals = line.indexOf('=');
            if (line.startsWith("QBOSYNC_TEST_PG_") && equals > 0) {
                settings.put(line.substring(0, equals), line.substring(equals + 1));
            }
        });
        return settings;
    }

    private static Path findStartScript() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve(START_SCRIPT);
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException(START_SCRIPT + " not found above " + Path.of("").toAbsolutePath());
    }
}
