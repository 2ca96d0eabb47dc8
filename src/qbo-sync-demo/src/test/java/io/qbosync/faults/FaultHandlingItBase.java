package io.qbosync.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.api.management.ManagedCamelContext;
import org.apache.camel.api.management.mbean.ManagedRouteMBean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.qbosync.QboSyncApplication;
import io.qbosync.connect.ActiveRealm;
import io.qbosync.sandbox.QboSandbox;
import io.qbosync.source.sample.SampleSourceAdmin;
import io.qbosync.source.sample.SampleSourceServer;
import io.qbosync.store.EntityType;
import io.qbosync.store.SyncRecord;
import io.qbosync.store.SyncRecordRepository;
import io.qbosync.store.SyncStatus;
import io.qbosync.testsupport.E2eProperties;

/**
 * One booted application for every fault-family test (the subclasses share this Spring context: same
 * configuration, so Spring's test context cache boots it once): embedded H2, Artemis, the QBO sandbox and a small
 * sample source, on ephemeral ports in a private temp dir. The sample's own records are synced first; each test
 * then stages its case with new or changed source records, QBO edits and fault injection, polls the source, and
 * waits (polling with a deadline) for the outcome in the store and in QBO.
 *
 * <p>Policies are switched per test through a property source at the head of the environment: the error routes
 * read them with {@code ${properties:…}} for every record, as they would a value set at start-up.
 */
@SpringBootTest(classes = QboSyncApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
abstract class FaultHandlingItBase {

    static final Path DATA = E2eProperties.newDataDir("qbo-sync-faults");
    private static final String POLICIES = "fault-handling-test-policies";
    private static volatile boolean initialSyncSettled;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        E2eProperties.smallSampleIn(DATA, registry);
        registry.add("qbo.governor.throttle-backoff-seconds", () -> "1");
    }

    @Autowired
    SyncRecordRepository records;
    @Autowired
    ActiveRealm realm;
    @Autowired
    QboSandbox sandbox;
    @Autowired
    SampleSourceServer sampleSource;
    @Autowired
    ProducerTemplate camel;
    @Autowired
    ConfigurableEnvironment environment;
    @Autowired
    CamelContext camelContext;

    SandboxQbo qbo;
    SampleSourceAdmin sourceAdmin;
    private final Map<String, Object> policies = new HashMap<>();

    @BeforeEach
    void setUpCase() {
        qbo = new SandboxQbo(sandbox.baseUrl(), realm.realmId());
        sourceAdmin = new SampleSourceAdmin(sampleSource.baseUrl());
        environment.getPropertySources().remove(POLICIES);
        environment.getPropertySources().addFirst(new MapPropertySource(POLICIES, policies));
        if (!initialSyncSettled) {
            awaitInitialSync();
            initialSyncSettled = true;
        }
    }

    @AfterEach
    void resetCase() {
        policies.clear();
        environment.getPropertySources().remove(POLICIES);
        qbo.clearFaults();
    }

    /** Sets a policy property for the rest of this test. */
    void policy(String key, String value) {
        policies.put(key, value);
    }

    SourceRecords source() {
        return SourceRecords.to(sourceAdmin);
    }

    /** Reads the source's change feed now (as the schedule would) and queues what changed. */
    void poll() {
        // InOnly: the queued messages must be plain sends, not JMS request/reply.
        camel.sendBody("direct:poll-source", (Object) null);
    }

    /** Exchanges completed by a route so far, as Hawtio's route statistics show them. */
    long exchangesThrough(String routeId) {
        ManagedRouteMBean route = camelContext.getCamelContextExtension().getContextPlugin(ManagedCamelContext.class)
                .getManagedRoute(routeId);
        assertThat(route).as("route " + routeId).isNotNull();
        return route.getExchangesTotal();
    }

    SyncRecord record(EntityType type, String sourceId) {
        return records.find(realm.realmId(), type, sourceId)
                .orElseThrow(() -> new AssertionError("no sync record " + type.key(sourceId)));
    }

    /** Waits until the record is in one of {@code statuses}; fails with the last state seen. */
    SyncRecord awaitStatus(EntityType type, String sourceId, SyncStatus... statuses) {
        Set<SyncStatus> wanted = Set.copyOf(Arrays.asList(statuses));
        return await(type, sourceId, r -> wanted.contains(r.status()), "status in " + wanted);
    }

    SyncRecord await(EntityType type, String sourceId, Predicate<SyncRecord> done, String what) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        SyncRecord last = null;
        while (System.nanoTime() < deadline) {
            last = records.find(realm.realmId(), type, sourceId).orElse(null);
            if (last != null && done.test(last)) {
                return last;
            }
            pause();
        }
        throw new AssertionError(type.key(sourceId) + " never reached " + what + "; last " + describe(last));
    }

    /** Waits until {@code condition} holds, polling. */
    static void awaitTrue(String what, java.util.function.BooleanSupplier condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return;
            }
            pause();
        }
        throw new AssertionError("never true: " + what);
    }

    static String describe(SyncRecord r) {
        return r == null ? "(none)" : r.status() + " qbo=" + r.qboId() + " code=" + r.faultCode() + " message="
                + r.faultMessage() + " action=" + r.action();
    }

    private void awaitInitialSync() {
        var stats = sourceAdmin.stats();
        int expected = stats.path("invoices").asInt() + stats.path("payments").asInt();
        awaitTrue("the sample's records registered and none PENDING", () -> {
            List<SyncRecordRepository.StatusCount> counts = records.countByStatus();
            long registered = counts.stream().filter(c -> c.entityType() != EntityType.CUSTOMER)
                    .mapToLong(SyncRecordRepository.StatusCount::count).sum();
            long pending = counts.stream().filter(c -> c.status() == SyncStatus.PENDING)
                    .mapToLong(SyncRecordRepository.StatusCount::count).sum();
            return registered >= expected && pending == 0;
        });
        assertThat(records.findByStatus(SyncStatus.SYNCED, 10).size()).isPositive();
    }

    static void pause() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
