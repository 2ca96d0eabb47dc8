package io.qbosync.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.apache.camel.ProducerTemplate;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.qbosync.QboSyncApplication;
import io.qbosync.connect.ActiveRealm;
import io.qbosync.ops.DeadLetters;
import io.qbosync.sandbox.QboSandbox;
import io.qbosync.sandbox.SandboxSettings;
import io.qbosync.source.SourceClient;
import io.qbosync.store.SyncRecordRepository;
import io.qbosync.testsupport.TestHttp;

/**
 * What the outage tests share: the app with its bundled sample, syncing into a QBO sandbox that runs apart from it
 * with 150 ms per call (set before the app's first call, so that the sync lasts long enough to be cut in the
 * middle), quick retries and a quick resume sweep; an 8 s outage of one dependency; readiness read anonymously from
 * the management port.
 */
@SpringBootTest(classes = QboSyncApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
abstract class OutageItBase {

    static final Duration OUTAGE = Duration.ofSeconds(8);

    @TempDir
    static Path data;
    @TempDir
    static Path sandboxData;
    static QboSandbox sandbox;

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

    final TestHttp http = TestHttp.stateless();

    /** The sandbox, with the latency the realm the app is about to create inherits (the global default). */
    static void startSlowSandbox() throws Exception {
        sandbox = QboSandbox.start(SandboxSettings.ephemeral(sandboxData));
        HttpResponse<String> faults = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(sandbox.baseUrl() + "/sandbox/faults")).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"latencyMs\":150}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(faults.statusCode()).as(faults.body()).isEqualTo(200);
    }

    static void stopSandbox() {
        if (sandbox != null) {
            sandbox.close();
        }
    }

    /** The settings every outage test starts the app with; each adds those of the dependency it takes away. */
    static void commonProperties(DynamicPropertyRegistry registry) {
        registry.add("qbosync.data-dir", () -> data.toString());
        registry.add("qbo.sandbox.enabled", () -> "false");
        registry.add("qbo.sandbox.external-url", () -> sandbox.baseUrl() + "/");
        registry.add("source.sample.port", () -> "0");
        registry.add("management.server.port", () -> "0");
        registry.add("sync.retry.initial-delay-ms", () -> "100");
        registry.add("sync.retry.max-delay-ms", () -> "1000");
        registry.add("qbo.governor.requests-per-minute", () -> "1000000");
        // A quick resume sweep queues again what the outage left PENDING.
        registry.add("sync.resume.interval-ms", () -> "2000");
        registry.add("sync.resume.stale-after-ms", () -> "10000");
    }

    SampleSyncOutcome outcome() {
        return new SampleSyncOutcome(records, source, sandbox.baseUrl(), realm.realmId());
    }

    int readiness() {
        return http.request(management("/actuator/health/readiness")).get().status();
    }

    /** The status of one readiness component ({@code db}, {@code broker}) as an anonymous probe sees it. */
    String readinessOf(String component) throws IOException {
        return new ObjectMapper().readTree(http.request(management("/actuator/health/readiness")).get().body())
                .path("components").path(component).path("status").asText();
    }

    int liveness() {
        return http.request(management("/actuator/health/liveness")).get().status();
    }

    /** Sleeps out the rest of {@link #OUTAGE} from {@code startNanos}. */
    static void sleepOutTheOutage(long startNanos) throws InterruptedException {
        long left = OUTAGE.toMillis() - TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
        if (left > 0) {
            Thread.sleep(left);
        }
    }

    static long millisSince(long startNanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
    }

    String management(String path) {
        return "http://127.0.0.1:" + managementPort + path;
    }
}
