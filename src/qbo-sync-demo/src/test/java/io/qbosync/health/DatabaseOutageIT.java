package io.qbosync.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.camel.ProducerTemplate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.dao.DataAccessException;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.qbosync.QboSyncApplication;
import io.qbosync.connect.ActiveRealm;
import io.qbosync.ops.DeadLetters;
import io.qbosync.sandbox.QboSandbox;
import io.qbosync.sandbox.SandboxSettings;
import io.qbosync.source.SourceClient;
import io.qbosync.store.SyncRecordRepository;
import io.qbosync.testsupport.Await;
import io.qbosync.testsupport.PostgresServer;
import io.qbosync.testsupport.TestHttp;

/**
 * The sync store's PostgreSQL is stopped in the middle of the sample sync ({@code pg_ctl stop -m immediate}, as in a
 * crash: no checkpoint, every connection cut) and started again on its data after a while. The server is the test's
 * own ({@link PostgresServer}), so the other tests' server is not touched. Readiness is DOWN (503, db) while liveness stays UP
 * and answers at once; a poll fails within seconds (Hikari's connection timeout is 2 s here) instead of hanging.
 * Messages whose pushes fail meanwhile are redelivered and, after four attempts, dead-lettered; their records stay
 * PENDING and the resume sweep queues them again. Once the database is back, readiness is UP and the sync completes
 * with nothing lost or doubled in QBO.
 *
 * <p>The QBO sandbox runs apart from the app with 150 ms per call, set before the app's first call, so that the
 * sync lasts long enough to be cut in the middle. Skipped when the PostgreSQL server binaries are missing; CI
 * installs them (.ci/start-postgres.sh).
 */
@EnabledIf("postgresInstalled")
@SpringBootTest(classes = QboSyncApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class DatabaseOutageIT {

    private static final Duration OUTAGE = Duration.ofSeconds(8);
    private static final Duration POLL_BOUND = Duration.ofSeconds(20);

    @TempDir
    static Path data;
    @TempDir
    static Path sandboxData;
    static QboSandbox sandbox;
    static PostgresServer postgres;

    static boolean postgresInstalled() {
        return PostgresServer.available();
    }

    /** Before the Spring context, which SpringExtension loads when the first test instance is prepared. */
    @BeforeAll
    static void startDatabaseAndSandbox() throws Exception {
        postgres = PostgresServer.start();
        sandbox = QboSandbox.start(SandboxSettings.ephemeral(sandboxData));
        // The global default, inherited by the realm the app is about to create: every QBO call takes 150 ms.
        HttpResponse<String> faults = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(sandbox.baseUrl() + "/sandbox/faults")).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"latencyMs\":150}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(faults.statusCode()).as(faults.body()).isEqualTo(200);
    }

    @AfterAll
    static void stopAll() throws Exception {
        if (sandbox != null) {
            sandbox.close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("qbosync.data-dir", () -> data.toString());
        registry.add("qbo.sandbox.enabled", () -> "false");
        registry.add("qbo.sandbox.external-url", () -> sandbox.baseUrl() + "/");
        registry.add("source.sample.port", () -> "0");
        registry.add("management.server.port", () -> "0");
        registry.add("sync.retry.initial-delay-ms", () -> "100");
        registry.add("sync.retry.max-delay-ms", () -> "1000");
        registry.add("qbo.governor.requests-per-minute", () -> "1000000");
        registry.add("spring.datasource.url", () -> postgres.jdbcUrl());
        registry.add("spring.datasource.username", () -> postgres.user());
        registry.add("spring.datasource.password", () -> "unused-trusted-login");
        registry.add("spring.datasource.driver-class-name", () -> "org.postgresql.Driver");
        // An unreachable database fails a borrow after 2 s instead of Hikari's 30 s.
        registry.add("spring.datasource.hikari.connection-timeout", () -> "2000");
        registry.add("spring.datasource.hikari.validation-timeout", () -> "1000");
        // Short broker redelivery, so that the outage uses up some messages' attempts (they are dead-lettered) ...
        registry.add("sync.jms.max-delivery-attempts", () -> "4");
        registry.add("sync.jms.redelivery.delay", () -> "500ms");
        registry.add("sync.jms.redelivery.max-delay", () -> "2s");
        // ... and a quick resume sweep, which queues their still-PENDING records again.
        registry.add("sync.resume.interval-ms", () -> "2000");
        registry.add("sync.resume.stale-after-ms", () -> "10000");
    }

    @Autowired
    ProducerTemplate camel;
    @Autowired
    SyncRecordRepository records;
    @Autowired
    SourceClient source;
    @Autowired
    ActiveRealm realm;
    @Autowired
    DeadLetters deadLetters;
    @LocalManagementPort
    int managementPort;

    private final TestHttp http = TestHttp.stateless();

    @Test
    void readinessFollowsTheDatabaseAndTheSyncCompletesAfterTheOutage() throws Exception {
        SampleSyncOutcome outcome = new SampleSyncOutcome(records, source, sandbox.baseUrl(), realm.realmId());
        assertThat(readiness()).isEqualTo(200);
        // Mid-sync: some invoices are in QBO, most are not.
        Await.until("40 invoices in QBO", Duration.ofMinutes(2), () -> outcome.entities("Invoice").size() > 40);
        int invoicesAtCut = outcome.entities("Invoice").size();

        long cutAt = System.nanoTime();
        postgres.stopImmediately();
        Await.until("readiness DOWN", Duration.ofSeconds(30), () -> readiness() == 503);
        long downAfterMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - cutAt);
        TestHttp.Response down = http.request(management("/actuator/health/readiness")).get();
        assertThat(down.status()).isEqualTo(503);
        assertThat(new ObjectMapper().readTree(down.body()).path("components").path("db").path("status").asText())
                .isEqualTo("DOWN");

        long livenessStart = System.nanoTime();
        assertThat(http.request(management("/actuator/health/liveness")).get().status())
                .as("a database outage must not get the app restarted").isEqualTo(200);
        assertThat(Duration.ofNanos(System.nanoTime() - livenessStart)).as("liveness asks no database")
                .isLessThan(Duration.ofSeconds(2));

        Throwable pollFailure = pollFailure();
        assertThat(BrokerDiskFullIT.cause(pollFailure, DataAccessException.class) != null
                || BrokerDiskFullIT.cause(pollFailure, SQLException.class) != null)
                .as("the poll fails on the database: %s", pollFailure).isTrue();

        long left = OUTAGE.toMillis() - TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - cutAt);
        if (left > 0) {
            Thread.sleep(left);
        }
        assertThat(outcome.entities("Invoice").size()).as("the sync was cut mid-way").isLessThan(
                outcome.sourceIds().get(io.qbosync.store.EntityType.INVOICE).size());
        Map<String, Long> deadDuringOutage = deadLetters.counts();

        postgres.startAgain();
        long restoredAt = System.nanoTime();
        Await.until("readiness UP", Duration.ofSeconds(60), () -> readiness() == 200);
        long upAfterMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - restoredAt);

        camel.requestBody("direct:poll-source", (Object) null);
        outcome.awaitSettled(Duration.ofMinutes(3));
        outcome.assertNothingLostOrDoubled();
        Map<String, Long> deadAfter = deadLetters.counts();
        System.out.printf("database-outage: invoices in QBO at the stop %d; readiness DOWN %d ms after the stop, UP %d ms "
                        + "after the restart; dead letters at the restart %s, at the end %s; "
                        + "settled %d ms after the restart%n", invoicesAtCut, downAfterMs, upAfterMs,
                deadDuringOutage, deadAfter,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - restoredAt));
    }

    private int readiness() {
        return http.request(management("/actuator/health/readiness")).get().status();
    }

    private Throwable pollFailure() throws InterruptedException {
        CompletableFuture<Object> poll = CompletableFuture.supplyAsync(
                () -> camel.requestBody("direct:poll-source", (Object) null));
        try {
            poll.get(POLL_BOUND.toSeconds(), TimeUnit.SECONDS);
            return fail("a poll succeeded without its database");
        } catch (TimeoutException e) {
            return fail("the poll hangs: not ended after " + POLL_BOUND);
        } catch (ExecutionException e) {
            return e.getCause();
        }
    }

    private String management(String path) {
        return "http://127.0.0.1:" + managementPort + path;
    }
}
