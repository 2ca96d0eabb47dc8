package io.qbosync.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real Artemis broker as its own process, from the distribution archive the build unpacks (system property
 * {@value #HOME_PROPERTY}), with the broker settings qbo-sync ships ({@code docker/artemis/broker.properties}) in
 * its {@code etc/}, as docs/operations-infra.md tells an operator to do. Loopback only, login required, journal in
 * the instance folder, so a {@link #kill()} then {@link #start()} finds the messages it had.
 */
public final class ExternalArtemis implements AutoCloseable {

    /** Where the build unpacked the Artemis distribution. */
    public static final String HOME_PROPERTY = "qbosync.test.artemis-home";
    public static final String USER = "qbosync";
    public static final String PASSWORD = "qbosync-broker-secret";

    private static final Path SETTINGS = Path.of("docker", "artemis", "broker.properties");

    private final Path instance;
    private final int port;
    private Process process;
    private int runs;

    private ExternalArtemis(Path instance, int port) {
        this.instance = instance;
        this.port = port;
    }

    /** True when the build provided the distribution (the demo module's tests always have it). */
    public static boolean available() {
        String home = System.getProperty(HOME_PROPERTY);
        return home != null && Files.isRegularFile(Path.of(home, "bin", "artemis"));
    }

    /** Creates a broker instance under {@code dir} (not started) on a free port. */
    public static ExternalArtemis create(Path dir) throws IOException, InterruptedException {
        if (!available()) {
            throw new IllegalStateException("No Artemis distribution: system property " + HOME_PROPERTY
                    + " must name an unpacked apache-artemis (the demo module's build unpacks it)");
        }
        Path home = Path.of(System.getProperty(HOME_PROPERTY));
        Path instance = dir.resolve("broker");
        int port = ChildAppHttp.freePort();
        // Through sh: an unpacked archive need not keep the script's execute bit.
        List<String> cmd = List.of("sh", home.resolve("bin").resolve("artemis").toString(), "create",
                "--user", USER, "--password", PASSWORD, "--require-login", "--silent",
                "--host", "127.0.0.1", "--default-port", String.valueOf(port), "--no-web",
                "--no-amqp-acceptor", "--no-mqtt-acceptor", "--no-stomp-acceptor", "--no-hornetq-acceptor",
                "--no-autotune", "--no-fsync", instance.toString());
        Process create = processBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(dir.resolve("artemis-create.log").toFile()).start();
        if (!create.waitFor(60, TimeUnit.SECONDS) || create.exitValue() != 0) {
            create.destroyForcibly();
            throw new IllegalStateException("artemis create failed: " + Files.readString(dir.resolve("artemis-create.log")));
        }
        useShippedSettings(instance.resolve("etc"));
        // A small heap: the generated profile starts at -Xms512M, more than tests need next to the app.
        Path profile = instance.resolve("etc").resolve("artemis.profile");
        Files.writeString(profile, Files.readString(profile).replaceAll("-Xms\\d+[MG]", "-Xms64M")
                .replaceAll("-Xmx\\d+[MG]", "-Xmx384M"));
        return new ExternalArtemis(instance, port);
    }

    /** qbo-sync's broker settings as shipped, plus one line for tests: disk usage must not refuse first on a full host. */
    private static void useShippedSettings(Path etc) throws IOException {
        Files.writeString(etc.resolve("broker.properties"), Files.readString(SETTINGS)
                + "\n# Tests: the pipeline's limits cap each queue; the host's disk level must not stop the broker first.\n"
                + "maxDiskUsage=100\n");
    }

    /** Starts the broker (again, after {@link #kill()}) and waits until it accepts connections. */
    public synchronized void start() throws IOException, InterruptedException {
        if (process != null && process.isAlive()) {
            return;
        }
        runs++;
        process = processBuilder(List.of("sh", instance.resolve("bin").resolve("artemis").toString(), "run"))
                .redirectErrorStream(true).redirectOutput(instance.resolve("run-" + runs + ".log").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!accepting()) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Artemis exited at start: " + log());
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Artemis not accepting on port " + port + " after 60 s: " + log());
            }
            Thread.sleep(100);
        }
    }

    /** {@code kill -9}: no shutdown, no journal flush beyond what was synced. */
    public synchronized void kill() throws InterruptedException {
        if (process != null) {
            process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Override
    public synchronized void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    /** The URL the app's {@code spring.artemis.broker-url} takes. */
    public String brokerUrl() {
        return "tcp://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    /** The broker's log of its latest run. */
    public String log() {
        try {
            return Files.readString(instance.resolve("run-" + runs + ".log"), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private boolean accepting() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static ProcessBuilder processBuilder(List<String> cmd) {
        ProcessBuilder pb = new ProcessBuilder(new ArrayList<>(cmd));
        // The broker runs on the JDK that runs the tests.
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        return pb;
    }
}
