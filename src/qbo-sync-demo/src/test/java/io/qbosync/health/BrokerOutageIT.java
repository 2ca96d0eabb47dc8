package io.qbosync.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.camel.ProducerTemplate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.qbosync.QboSyncApplication;
import io.qbosync.connect.ActiveRealm;
import io.qbosync.ops.DeadLetters;
import io.qbosync.sandbox.QboSandbox;
import io.qbosync.sandbox.SandboxSettings;
import io.qbosync.source.SourceClient;
import io.qbosync.store.EntityType;
import io.qbosync.store.SyncRecordRepository;
import io.qbosync.testsupport.Await;
import io.qbosync.testsupport.ExternalArtemis;
import io.qbosync.testsupport.TestHttp;

/**
 * The external Artemis broker (its own process, profile {@code external-broker}, the shipped broker.properties) is
 * killed with {@code kill -9} in the middle of the sample sync and started again on its journal after a while.
 * Readiness is DOWN (broker) while it is away and liveness stays UP; the app reconnects by itself, readiness is UP
 * again, and every record ends in QBO exactly once: messages the broker had journaled are delivered after the
 * restart, sends that failed during the outage are re-queued by the resume sweep.
 *
 * <p>The QBO sandbox runs apart from the app with 150 ms per call, so that the sync lasts long enough to be cut.
 */
@SpringBootTest(classes = QboSyncApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("external-broker")
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class BrokerOutageIT {

    private static final Duration OUTAGE = Duration.ofSeconds(8);

    @TempDir
    static Path data;
    @TempDir
    static Path brokerDir;
    @TempDir
    static Path sandboxData;
    static ExternalArtemis broker;
    static QboSandbox sandbox;

    @BeforeAll
    static void startBrokerAndSandbox() throws Exception {
        broker = ExternalArtemis.create(brokerDir);
        broker.start();
        sandbox = QboSandbox.start(SandboxSettings.ephemeral(sandboxData));
        HttpResponse<String> faults = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(sandbox.baseUrl() + "/sandbox/faults")).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"latencyMs\":150}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(faults.statusCode()).as(faults.body()).isEqualTo(200);
    }

    @AfterAll
    static void stopAll() throws InterruptedException {
        if (broker != null) {
            broker.close();
        }
        if (sandbox != null) {
            sandbox.close();
        }
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("ARTEMIS_URL", () -> broker.brokerUrl());
        registry.add("ARTEMIS_USER", () -> ExternalArtemis.USER);
        registry.add("ARTEMIS_PASSWORD", () -> ExternalArtemis.PASSWORD);
        registry.add("qbosync.data-dir", () -> data.toString());
        registry.add("qbo.sandbox.enabled", () -> "false");
        registry.add("qbo.sandbox.external-url", () -> sandbox.baseUrl() + "/");
        registry.add("source.sample.port", () -> "0");
        registry.add("management.server.port", () -> "0");
        registry.add("sync.retry.initial-delay-ms", () -> "100");
        registry.add("sync.retry.max-delay-ms", () -> "1000");
        registry.add("qbo.governor.requests-per-minute", () -> "1000000");
        // A send or commit to the missing broker fails after 3 s instead of 10.
        registry.add("sync.jms.send-timeout", () -> "3s");
        // A quick resume sweep queues again what could not be queued while the broker was away.
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
    void readinessFollowsTheBrokerAndTheSyncCompletesAfterItsRestart() throws Exception {
        SampleSyncOutcome outcome = new SampleSyncOutcome(records, source, sandbox.baseUrl(), realm.realmId());
        assertThat(broker.log()).as("the shipped broker.properties deployed every address")
                .contains("Deploying address DLQ.qbo.customers").contains("Deploying address PARKED.qbo.payments")
                .doesNotContain("AMQ222274");
        assertThat(readiness()).isEqualTo(200);
        Await.until("40 invoices in QBO", Duration.ofMinutes(2), () -> outcome.entities("Invoice").size() > 40);
        int invoicesAtKill = outcome.entities("Invoice").size();

        long killedAt = System.nanoTime();
        broker.kill();
        Await.until("readiness DOWN", Duration.ofSeconds(30), () -> readiness() == 503);
        long downAfterMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt);
        TestHttp.Response down = http.request(management("/actuator/health/readiness")).get();
        assertThat(new ObjectMapper().readTree(down.body()).path("components").path("broker").path("status").asText())
                .isEqualTo("DOWN");
        assertThat(http.request(management("/actuator/health/liveness")).get().status())
                .as("a broker outage must not get the app restarted").isEqualTo(200);

        long left = OUTAGE.toMillis() - TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt);
        if (left > 0) {
            Thread.sleep(left);
        }
        assertThat(outcome.entities("Invoice").size()).as("the sync was cut mid-way").isLessThan(
                outcome.sourceIds().get(EntityType.INVOICE).size());

        broker.start();
        long restartedAt = System.nanoTime();
        Await.until("readiness UP", Duration.ofSeconds(60), () -> readiness() == 200);
        long upAfterMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - restartedAt);

        camel.requestBody("direct:poll-source", (Object) null);
        outcome.awaitSettled(Duration.ofMinutes(3));
        outcome.assertNothingLostOrDoubled();
        Map<String, Long> dead = deadLetters.counts();
        System.out.printf("broker-outage: invoices in QBO at kill %d; readiness DOWN %d ms after the kill, UP %d ms "
                        + "after the restart; dead letters at the end %s; settled %d ms after the restart%n",
                invoicesAtKill, downAfterMs, upAfterMs, dead,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - restartedAt));
    }

    private int readiness() {
        return http.request(management("/actuator/health/readiness")).get().status();
    }

    private String management(String path) {
        return "http://127.0.0.1:" + managementPort + path;
    }
}
