package io.qbosync.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.qbosync.e2e.DeterministicSyncIT.Company;
import io.qbosync.sandbox.QboSandbox;
import io.qbosync.sandbox.SandboxSettings;
import io.qbosync.source.sample.SampleSourceServer;
import io.qbosync.source.sample.SampleSourceSettings;
import io.qbosync.testsupport.Await;
import io.qbosync.testsupport.ExternalArtemis;
import io.qbosync.testsupport.PostgresTestDatabase;
import io.qbosync.testsupport.TestHttp;
import io.qbosync.testsupport.TestSchema;

/**
 * Two replicas, one database, one broker, as in production: two app processes on one PostgreSQL schema and one
 * external Artemis, syncing the sample source (its own server) into the QBO sandbox (its own server), with the file
 * lock cluster service on a shared folder. Exactly one polls, both push; the poller is killed with {@code kill -9}
 * in the middle of the sync, the other takes the poll over, and the QBO company they leave is the same as the one a
 * single app on embedded defaults leaves from the same source: nothing lost, nothing doubled.
 */
class TwoReplicaFailoverIT {

    private static final String PASSWORD = "pw-" + UUID.randomUUID();
    private static final String POLLED = "Source page after";
    private static final String PUSHED = "Synced ";

    @TempDir
    Path data;
    private final List<ChildApp> apps = new ArrayList<>();
    private final List<AutoCloseable> servers = new ArrayList<>();

    @AfterEach
    void stopAll() throws Exception {
        for (ChildApp app : apps) {
            app.kill();
        }
        List<AutoCloseable> lastFirst = new ArrayList<>(servers);
        Collections.reverse(lastFirst);
        for (AutoCloseable s : lastFirst) {
            s.close();
        }
        Path reports = Files.createDirectories(Path.of("target", "surefire-reports", "two-replicas"));
        for (ChildApp app : apps) {
            try (var logs = Files.newDirectoryStream(app.data, "app-run-*.log")) {
                for (Path log : logs) {
                    Files.copy(log, reports.resolve(app.data.getFileName() + "-" + log.getFileName()),
                            StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    @Test
    void exactlyOnePollsBothPushAndAKilledPollerIsReplacedWithNothingLostOrDoubled() throws Exception {
        Company single = singleAppOnEmbeddedDefaults();

        TestSchema schema = PostgresTestDatabase.get().createSchema("replicas");
        servers.add(schema);
        ExternalArtemis broker = ExternalArtemis.create(Files.createDirectories(data.resolve("broker")));
        servers.add(broker);
        broker.start();
        QboSandbox sandbox = QboSandbox.start(SandboxSettings.ephemeral(Files.createDirectories(data.resolve("qbo"))));
        servers.add(sandbox);
        // Slow while the second replica starts, so that the kill falls in the middle of the sync; fast after it.
        latency(sandbox.baseUrl() + "/sandbox/faults", 1000);
        SampleSourceServer source = SampleSourceServer.start(new SampleSourceSettings(SampleSourceSettings.DEFAULT_HOST,
                0, Files.createDirectories(data.resolve("source")), SampleSourceSettings.DEFAULT_SEED, 0));
        servers.add(source);
        Path lockFolder = Files.createDirectories(data.resolve("shared-lock"));

        List<String> args = List.of("--spring.profiles.active=external-broker",
                "--ARTEMIS_URL=" + broker.brokerUrl(), "--ARTEMIS_USER=" + ExternalArtemis.USER,
                "--ARTEMIS_PASSWORD=" + ExternalArtemis.PASSWORD,
                "--spring.datasource.url=" + schema.jdbcUrl(), "--spring.datasource.username=" + schema.user(),
                "--spring.datasource.password=" + schema.password(),
                "--spring.datasource.driver-class-name=org.postgresql.Driver",
                "--qbo.sandbox.enabled=false", "--qbo.sandbox.external-url=" + sandbox.baseUrl() + "/",
                "--source.sample.enabled=false", "--source.base-url=" + source.baseUrl(),
                "--qbosync.cluster.service=file", "--qbosync.cluster.file.root=" + lockFolder,
                "--qbosync.cluster.file.acquire-lock-interval=500ms",
                "--sync.poll.interval-ms=2000", "--sync.poll.start-delay-ms=100",
                "--sync.jms.concurrent-consumers=4",
                "--sync.resume.stale-after-ms=15000", "--sync.resume.interval-ms=3000",
                "--qbo.governor.requests-per-minute=1000000",
                // One key for both, as in production: each replica reads the tokens the other stored.
                "--qbosync.crypto.key=" + Base64.getEncoder().encodeToString(new SecureRandom().generateSeed(32)),
                "--qbosync.security.admin.password=" + PASSWORD);
        ChildApp first = replica("replica-a", sandbox, source);
        first.start(1, args);
        String realmId = first.awaitRealm(Duration.ofMinutes(2));
        ChildApp second = replica("replica-b", sandbox, source);
        second.start(1, args);

        // Both push (competing consumers on one broker), one polls (the lock holder).
        Await.until("both replicas pushing", Duration.ofMinutes(2),
                () -> first.logLines(1, PUSHED) > 0 && second.logLines(1, PUSHED) >= 5);
        ChildApp poller = first.logLines(1, POLLED) > 0 ? first : second;
        ChildApp standby = poller == first ? second : first;
        assertThat(poller.logLines(1, POLLED)).as("the lock holder polls, every 2 s").isGreaterThan(0);
        assertThat(standby.logLines(1, POLLED)).as("the standby never polls while the poller lives").isZero();
        int invoicesAtKill = first.count(realmId, "Invoice", true);

        long killedAt = System.nanoTime();
        poller.kill();
        latency(sandbox.baseUrl() + "/sandbox/realms/" + realmId + "/faults", 50);
        Await.until("the standby polls", Duration.ofSeconds(60), () -> standby.logLines(1, POLLED) > 0);
        long takeoverMs = Duration.ofNanos(System.nanoTime() - killedAt).toMillis();

        standby.awaitSettled(Duration.ofMinutes(4));
        Company replicas = DeterministicSyncIT.snapshot("two replicas, poller killed", new SandboxInspector(sandbox.baseUrl()),
                realmId);
        System.out.printf("two-replicas: invoices in QBO at the kill %d of %d; the standby polled %d ms after the "
                        + "poller's kill -9; pushes before the kill: poller %d, standby %d%n", invoicesAtKill,
                single.invoices().size(), takeoverMs, poller.logLines(1, PUSHED), standby.logLines(1, PUSHED));
        assertThat(invoicesAtKill).as("the kill came in the middle of the sync").isLessThan(single.invoices().size());
        assertThat(replicas.customers()).as("QBO customers, two replicas vs one app").isEqualTo(single.customers());
        assertThat(replicas.invoices()).as("invoice -> customer, two replicas vs one app").isEqualTo(single.invoices());
        assertThat(replicas.payments()).as("payments, two replicas vs one app").isEqualTo(single.payments());
    }

    /** The baseline: one app on embedded defaults (H2, embedded Artemis, its bundled sandbox and sample). */
    private Company singleAppOnEmbeddedDefaults() throws Exception {
        ChildApp app = new ChildApp(Files.createDirectories(data.resolve("single")), TestHttp.basic("admin", PASSWORD));
        apps.add(app);
        app.start(1, List.of("--sync.poll.start-delay-ms=100", "--qbo.governor.requests-per-minute=1000000",
                "--qbo.governor.shared=false", "--qbosync.security.admin.password=" + PASSWORD));
        String realmId = app.awaitRealm(Duration.ofMinutes(2));
        app.awaitSettled(Duration.ofMinutes(4));
        Company company = DeterministicSyncIT.snapshot("one app", new SandboxInspector(app.sandbox), realmId);
        app.stop();
        return company;
    }

    private ChildApp replica(String name, QboSandbox sandbox, SampleSourceServer source) throws Exception {
        ChildApp app = new ChildApp(Files.createDirectories(data.resolve(name)), TestHttp.basic("admin", PASSWORD),
                sandbox.baseUrl(), source.baseUrl());
        apps.add(app);
        return app;
    }

    /** Every QBO call takes this long: {@code faults} is the global default (realms created later) or a realm's. */
    private static void latency(String faults, int latencyMs) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(faults)).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"latencyMs\":" + latencyMs + "}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    }
}
