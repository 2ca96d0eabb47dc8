package io.qbosync.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import jakarta.jms.ConnectionFactory;

import org.apache.activemq.artemis.core.server.ActiveMQServer;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.core.server.impl.ActiveMQServerImpl;
import org.apache.camel.ProducerTemplate;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jms.core.JmsTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.qbosync.QboSyncApplication;
import io.qbosync.testsupport.E2eProperties;
import io.qbosync.connect.ActiveRealm;
import io.qbosync.sandbox.QboSandbox;
import io.qbosync.source.SourceClient;
import io.qbosync.store.EntityType;
import io.qbosync.store.SyncRecordRepository;
import io.qbosync.sync.SyncQueues;
import io.qbosync.testsupport.Await;
import io.qbosync.testsupport.TestHttp;

/**
 * The embedded broker's disk is "full" from the start: {@code sync.jms.broker.max-disk-usage} is set just below what
 * the data directory's file system already uses. Readiness is DOWN (503, broker), liveness UP; a poll fails within
 * seconds with the reason instead of hanging in the send, and leaves its records PENDING. Once the limit is lifted
 * (as freeing disk would) readiness is UP, the next poll queues the same records, and the sample sync ends with
 * nothing lost or doubled in QBO. Also: dead-letter pages over HTTP.
 */
@SpringBootTest(classes = QboSyncApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class BrokerDiskFullIT {

    private static final Duration SEND_TIMEOUT = Duration.ofSeconds(5);
    /** A poll that has not ended after this hangs: it holds no lock and waits for no person. */
    private static final Duration POLL_BOUND = Duration.ofSeconds(20);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path data;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        E2eProperties.embeddedDefaultsIn(() -> data, registry);
        // The test polls by itself, once the broker is known to be full.
        registry.add("sync.poll.start-delay-ms", () -> "600000");
        registry.add("sync.jms.send-timeout", SEND_TIMEOUT::toString);
        registry.add("sync.jms.broker.max-disk-usage", () -> String.valueOf(trippingDiskLimit(data)));
        registry.add("sync.jms.broker.disk-scan-period", () -> "200ms");
    }

    /** A max-disk-usage the data directory's file system is already above, as Artemis measures it. */
    static int trippingDiskLimit(Path dir) {
        try {
            FileStore store = Files.getFileStore(dir);
            double usedPercent = 100.0 * (1.0 - (double) store.getUsableSpace() / store.getTotalSpace());
            return Math.max(0, (int) Math.floor(usedPercent) - 1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Autowired
    ProducerTemplate camel;
    @Autowired
    EmbeddedActiveMQ broker;
    @Autowired
    SyncRecordRepository records;
    @Autowired
    SourceClient source;
    @Autowired
    QboSandbox sandbox;
    @Autowired
    ActiveRealm realm;
    @Autowired
    ConnectionFactory connectionFactory;
    @LocalManagementPort
    int managementPort;
    @LocalServerPort
    int serverPort;

    private final TestHttp http = TestHttp.stateless();

    @Test
    @Order(1)
    void aFullDiskFailsThePollFastAndTheSyncCompletesOnceThereIsRoom() throws Exception {
        ActiveMQServer server = broker.getActiveMQServer();
        Await.until("the broker sees its disk full", () -> server.getPagingManager().isDiskFull());

        TestHttp.Response readiness = http.request(management("/actuator/health/readiness")).get();
        assertThat(readiness.status()).as(readiness.toString()).isEqualTo(503);
        JsonNode components = JSON.readTree(readiness.body()).path("components");
        assertThat(components.path("broker").path("status").asText()).isEqualTo("DOWN");
        assertThat(components.path("db").path("status").asText()).isEqualTo("UP");
        assertThat(components.path("broker").has("details")).as("no details for anonymous probes").isFalse();
        JsonNode details = JSON.readTree(http.request(management("/actuator/health/readiness"))
                .basicAuth("admin", "admin").get().body()).path("components").path("broker").path("details");
        assertThat(details.path("disk").path("full").asBoolean()).isTrue();
        assertThat(details.path("problems").toString()).contains("disk is full");
        assertThat(http.request(management("/actuator/health/liveness")).get().status())
                .as("a full broker disk must not get the app restarted").isEqualTo(200);

        // The poll ends within the bound, failing with the broker's reason; its records wait in the store.
        long started = System.nanoTime();
        Throwable failure = pollFailure();
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        SyncQueues.QueueingFailedException refused = cause(failure, SyncQueues.QueueingFailedException.class);
        assertThat(refused).as("the poll fails because the broker refused the page: %s", failure).isNotNull();
        assertThat(refused.getMessage()).contains("Could not queue").contains("stay PENDING").containsIgnoringCase("full");
        long pendingWhileFull = new SampleSyncOutcome(records, source, sandbox.baseUrl(), realm.realmId()).pending();
        assertThat(pendingWhileFull).as("registered records waiting").isPositive();
        for (EntityType t : EntityType.values()) {
            assertThat(server.locateQueue(t.queue()).getMessageCount()).as("messages on %s", t.queue()).isZero();
        }
        System.out.printf("broker-disk-full: poll failed after %d ms, %d records PENDING; %s%n", took.toMillis(),
                pendingWhileFull, refused.getMessage());

        // Room again: what freeing disk space does, done by raising the limit the broker enforces.
        ((ActiveMQServerImpl) server).getMonitor().setMaxUsage(0.99);
        Await.until("the broker takes messages again", () -> !server.getPagingManager().isDiskFull());
        Await.until("readiness UP", () -> http.request(management("/actuator/health/readiness")).get().status() == 200);

        camel.requestBody("direct:poll-source", (Object) null);
        SampleSyncOutcome outcome = new SampleSyncOutcome(records, source, sandbox.baseUrl(), realm.realmId());
        outcome.awaitSettled(Duration.ofMinutes(2));
        outcome.assertNothingLostOrDoubled();
    }

    @Test
    @Order(2)
    void deadLettersArePagedWithTheirTotal() throws Exception {
        JmsTemplate jms = new JmsTemplate(connectionFactory);
        for (int i = 0; i < 3; i++) {
            String body = "{\"n\":" + i + "}";
            jms.send("DLQ.qbo.payments", session -> session.createTextMessage(body));
        }
        TestHttp.Request page = http.request(app("/api/dead-letters/qbo.payments?offset=1&limit=1")).basicAuth("admin", "admin");
        TestHttp.Response second = page.get();
        assertThat(second.status()).as(second.toString()).isEqualTo(200);
        assertThat(second.header("X-Total-Count")).hasValue("3");
        JsonNode items = JSON.readTree(second.body());
        assertThat(items).hasSize(1);
        assertThat(items.get(0).path("body").asText()).isEqualTo("{\"n\":1}");
        // The expiry the broker gave it on arrival: about sync.jms.dead-letters.expiry-delay (7 days) from now.
        long expiresIn = items.get(0).path("expiration").asLong() - System.currentTimeMillis();
        assertThat(expiresIn).isBetween(Duration.ofDays(7).minusMinutes(5).toMillis(), Duration.ofDays(7).toMillis());

        JsonNode counts = JSON.readTree(http.request(app("/api/dead-letters")).basicAuth("admin", "admin").get().body());
        assertThat(counts.path("qbo.payments").asLong()).isEqualTo(3);
        assertThat(counts.path("qbo.customers").asLong()).isZero();
        JsonNode parked = JSON.readTree(http.request(app("/api/dead-letters/parked")).basicAuth("admin", "admin").get().body());
        assertThat(parked.path("qbo.payments").asLong()).isZero();

        for (String bad : List.of("limit=101", "limit=0", "offset=-1")) {
            assertThat(http.request(app("/api/dead-letters/qbo.payments?" + bad)).basicAuth("admin", "admin").get().status())
                    .as(bad).isEqualTo(400);
        }
        assertThat(http.request(app("/api/dead-letters/qbo.payments")).get().status()).as("anonymous").isEqualTo(401);
    }

    private Throwable pollFailure() throws InterruptedException {
        CompletableFuture<Object> poll = CompletableFuture.supplyAsync(
                () -> camel.requestBody("direct:poll-source", (Object) null));
        try {
            poll.get(POLL_BOUND.toSeconds(), TimeUnit.SECONDS);
            return fail("the poll queued a page on a broker with a full disk");
        } catch (TimeoutException e) {
            return fail("the poll hangs: not ended after " + POLL_BOUND);
        } catch (ExecutionException e) {
            return e.getCause();
        }
    }

    static <T extends Throwable> T cause(Throwable failure, Class<T> type) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }

    private String management(String path) {
        return "http://127.0.0.1:" + managementPort + path;
    }

    private String app(String path) {
        return "http://127.0.0.1:" + serverPort + path;
    }
}
