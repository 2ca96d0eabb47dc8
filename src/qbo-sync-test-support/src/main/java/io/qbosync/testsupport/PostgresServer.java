package io.qbosync.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A PostgreSQL server of a test's own (initdb in a fresh folder, loopback only, trusted logins), for tests that stop
 * and start the database under a running app without touching the server the other tests share
 * ({@link PostgresTestDatabase}). Uses the Debian server binaries that .ci/start-postgres.sh installs; as root it runs
 * them as the {@code postgres} user, as PostgreSQL refuses to run as root.
 */
public final class PostgresServer implements AutoCloseable {

    private final Path bin;
    private final Path base;
    private final Path data;
    private final int port;
    private final boolean asPostgresUser;

    private PostgresServer(Path bin, Path base, int port, boolean asPostgresUser) {
        this.bin = bin;
        this.base = base;
        this.data = base.resolve("data");
        this.port = port;
        this.asPostgresUser = asPostgresUser;
    }

    /** The newest {@code /usr/lib/postgresql/<version>/bin} with initdb and pg_ctl, if any. */
    static Optional<Path> serverBinaries() {
        try (Stream<Path> versions = Files.list(Path.of("/usr/lib/postgresql"))) {
            return versions.map(v -> v.resolve("bin"))
                    .filter(b -> Files.isExecutable(b.resolve("initdb")) && Files.isExecutable(b.resolve("pg_ctl")))
                    .max(Comparator.comparing(b -> versionOf(b.getParent())));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static int versionOf(Path dir) {
        try {
            return Integer.parseInt(dir.getFileName().toString());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static boolean root() {
        return "root".equals(System.getProperty("user.name"));
    }

    /** True when a server can be made here: binaries present, and as root a {@code postgres} user to run them. */
    public static boolean available() {
        if (serverBinaries().isEmpty()) {
            return false;
        }
        return !root() || postgresUser().isPresent();
    }

    private static Optional<UserPrincipal> postgresUser() {
        try {
            return Optional.of(Path.of("/").getFileSystem().getUserPrincipalLookupService()
                    .lookupPrincipalByName("postgres"));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** A new cluster in a new folder under the system temp dir, started. */
    public static PostgresServer start() throws IOException, InterruptedException {
        Path bin = serverBinaries().orElseThrow(() -> new IllegalStateException(
                "No PostgreSQL server binaries under /usr/lib/postgresql (install the postgresql package)"));
        // Not a JUnit @TempDir: that one is private to root, and the server's user must reach it.
        Path base = Files.createTempDirectory("qbosync-pg-own");
        boolean asPostgres = root();
        if (asPostgres) {
            Files.setOwner(base, postgresUser().orElseThrow());
        }
        PostgresServer server = new PostgresServer(bin, base, ChildAppHttp.freePort(), asPostgres);
        server.run(List.of(bin.resolve("initdb").toString(), "-D", server.data.toString(), "-U", "postgres",
                "-E", "UTF8", "--no-locale", "--auth=trust"), 120);
        Files.writeString(server.data.resolve("postgresql.conf"), String.join("\n",
                "listen_addresses = '127.0.0.1'", "port = " + server.port,
                "unix_socket_directories = '" + base + "'", "max_connections = 50", "fsync = off",
                "synchronous_commit = off", "full_page_writes = off", "log_min_messages = warning", ""),
                java.nio.file.StandardOpenOption.APPEND);
        server.startAgain();
        return server;
    }

    /** Starts the stopped server on the same port and data. */
    public void startAgain() throws IOException, InterruptedException {
        run(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-l", base.resolve("postgres.log")
                .toString(), "-w", "-t", "60", "start"), 90);
    }

    /** Stops the server the way a crash does: {@code pg_ctl stop -m immediate}, no checkpoint, clients cut. */
    public void stopImmediately() throws IOException, InterruptedException {
        run(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "immediate", "-w", "stop"), 60);
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
    }

    public String user() {
        return "postgres";
    }

    @Override
    public void close() throws IOException, InterruptedException {
        try {
            run(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "fast", "-w", "stop"), 60);
        } catch (IllegalStateException alreadyStopped) {
            // stopped by the test
        }
        try (Stream<Path> files = Files.walk(base)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }

    private void run(List<String> command, long timeoutSeconds) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        if (asPostgresUser) {
            cmd.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        cmd.addAll(command);
        Path out = Files.createTempFile("qbosync-pg-cmd", ".log");
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " failed: " + Files.readString(out));
            }
        } finally {
            Files.deleteIfExists(out);
        }
    }
}
