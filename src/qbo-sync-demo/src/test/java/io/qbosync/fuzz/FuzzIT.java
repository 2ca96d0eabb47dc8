package io.qbosync.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.Route;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.qbosync.QboSyncApplication;
import io.qbosync.connect.ActiveRealm;
import io.qbosync.sandbox.QboSandbox;
import io.qbosync.source.feed.SourceJson;
import io.qbosync.source.feed.SourceKind;
import io.qbosync.source.sample.MalformedCorpus;
import io.qbosync.source.sample.MalformedRecord;
import io.qbosync.demo.bench.MalformedStoreReport;
import io.qbosync.source.sample.SampleSourceAdmin;
import io.qbosync.source.sample.SampleSourceServer;
import io.qbosync.store.EntityType;
import io.qbosync.store.SyncRecord;
import io.qbosync.store.SyncRecordRepository;
import io.qbosync.store.SyncRecordRepository.StatusCount;
import io.qbosync.store.SyncStatus;
import io.qbosync.testsupport.E2eProperties;

/**
 * The bad-input fuzz check: the whole app on embedded defaults with the standard sample data and 1,000 malformed
 * records mixed into its feed ({@code source.sample.malformed=1000}). Every malformed record must end FAILED with
 * its own specific message (record, field, problem), the good records must end exactly as in a run without bad
 * records (same QBO counts, same store counts), and the pipeline must still be running afterwards.
 */
@SpringBootTest(classes = QboSyncApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FuzzIT {

    static final int BAD = 1000;
    static final Path DATA = E2eProperties.newDataDir("qbo-sync-fuzz");
    static final List<MalformedRecord> CORPUS = new MalformedCorpus(42, BAD).records();

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        FuzzProperties.embeddedDefaultsIn(DATA.resolve("fuzz"), registry);
        registry.add("source.sample.malformed", () -> String.valueOf(BAD));
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
    CamelContext camel;
    @Autowired
    ProducerTemplate producer;

    @Test
    @Order(1)
    void everyMalformedRecordFailsWithItsOwnSpecificMessage() throws Exception {
        awaitSettled(Duration.ofMinutes(4));

        MalformedStoreReport.Figures figures = MalformedStoreReport.evaluate(CORPUS, (type, sourceId) ->
                records.find(realm.realmId(), EntityType.valueOf(type), sourceId)
                        .map(s -> new MalformedStoreReport.Stored(s.status().name(), s.faultCode(), s.faultMessage())).orElse(null));
        System.out.println("fuzz: " + figures.line());
        Map<String, Long> byProblem = new TreeMap<>(CORPUS.stream()
                .collect(java.util.stream.Collectors.groupingBy(r -> r.problem().name(), java.util.stream.Collectors.counting())));
        System.out.println("fuzz: records per problem " + byProblem);

        assertThat(figures.notSpecific()).as("malformed records without their specific outcome").isEmpty();
        assertThat(figures.specific()).isEqualTo(BAD);
        // One message per stored row: no two bad records share a message, not even a generic one.
        assertThat(figures.distinctMessages()).isEqualTo(figures.rows());
        assertThat(figures.distinctProblemTexts()).as("different things said").isGreaterThan(MalformedCorpus.templateCount());
        for (MalformedRecord r : CORPUS) {
            assertThat(records.find(realm.realmId(), EntityType.valueOf(r.storeEntityType()), r.storeSourceId()).orElseThrow().action())
                    .as("action for %s", r).isNotBlank();
        }
    }

    @Test
    @Order(2)
    void goodRecordsEndExactlyAsInARunWithoutBadRecords() throws Exception {
        Map<String, Integer> fuzzQbo = qboCounts();
        Map<String, Long> fuzzGood = storeCountsWithoutCorpus();

        Path baselineDir = Files.createDirectories(DATA.resolve("baseline"));
        BaselineRun.Outcome baseline = BaselineRun.run(baselineDir, Duration.ofMinutes(5));

        System.out.println("fuzz: QBO with bad records " + fuzzQbo + ", without " + baseline.qboCounts());
        System.out.println("fuzz: good records' store counts with bad records " + fuzzGood + ", without " + baseline.storeCounts());
        assertThat(fuzzQbo).isEqualTo(baseline.qboCounts());
        assertThat(fuzzGood).isEqualTo(baseline.storeCounts());
        // Kept for reading when something differs; not needed once it matched.
        org.springframework.util.FileSystemUtils.deleteRecursively(baselineDir);
    }

    @Test
    @Order(3)
    void nothingStoppedAndANewRecordStillSyncs() {
        for (Route route : camel.getRoutes()) {
            assertThat(camel.getRouteController().getRouteStatus(route.getRouteId()).isStarted()).as("route %s", route.getRouteId()).isTrue();
        }
        // The poll got past every bad record: polling again finds nothing new.
        List<StatusCount> before = records.countByStatus();
        producer.requestBody("direct:poll-source", (Object) null);
        assertThat(records.countByStatus()).isEqualTo(before);

        // And the pipeline still carries good records through to QBO.
        int invoicesBefore = qboCounts().get("Invoice");
        ObjectNode changes = SourceJson.mapper().createObjectNode();
        ObjectNode invoice = changes.putArray("invoices").addObject();
        invoice.put("id", "I-AFTER-FUZZ").put("number", "GU-AFTER-FUZZ").put("billToType", "contact").put("billToId", "C-0001")
                .put("category", "membership").put("typeName", "Gold Membership").put("issueDate", "2026-04-01")
                .put("dueDate", "2026-05-01").put("currency", "USD").put("total", new java.math.BigDecimal("450.00"))
                .put("status", "open");
        invoice.putArray("lines").addObject().put("description", "Gold Membership dues").put("quantity", 1)
                .put("unitPrice", new java.math.BigDecimal("450.00")).put("amount", new java.math.BigDecimal("450.00"));
        new SampleSourceAdmin(sampleSource.baseUrl()).putRecords(changes);
        producer.requestBody("direct:poll-source", (Object) null);

        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        SyncStatus status = null;
        while (System.nanoTime() < deadline) {
            status = records.find(realm.realmId(), EntityType.INVOICE, "I-AFTER-FUZZ").map(SyncRecord::status).orElse(null);
            if (status == SyncStatus.SYNCED) {
                break;
            }
            pause();
        }
        assertThat(status).as("invoice added after the fuzz").isEqualTo(SyncStatus.SYNCED);
        assertThat(qboCounts().get("Invoice")).isEqualTo(invoicesBefore + 1);
    }

    /** Every good and bad record registered, every corpus key present, nothing left PENDING. */
    private void awaitSettled(Duration timeout) {
        JsonNode stats = new SampleSourceAdmin(sampleSource.baseUrl()).stats();
        long badInvoicesAndPayments = CORPUS.stream().filter(r -> r.kind() == SourceKind.INVOICE || r.kind() == SourceKind.PAYMENT).count();
        long goodInvoicesAndPayments = stats.get("invoices").asLong() + stats.get("payments").asLong() - badInvoicesAndPayments;
        long badInvoiceAndPaymentRows = CORPUS.stream().filter(r -> EntityType.valueOf(r.storeEntityType()) != EntityType.CUSTOMER)
                .map(r -> r.storeEntityType() + ":" + r.storeSourceId()).distinct().count();
        long deadline = System.nanoTime() + timeout.toNanos();
        List<StatusCount> last = List.of();
        while (System.nanoTime() < deadline) {
            last = records.countByStatus();
            long registered = last.stream().filter(c -> c.entityType() != EntityType.CUSTOMER).mapToLong(StatusCount::count).sum();
            long pending = last.stream().filter(c -> c.status() == SyncStatus.PENDING).mapToLong(StatusCount::count).sum();
            if (registered >= goodInvoicesAndPayments + badInvoiceAndPaymentRows && pending == 0
                    && CORPUS.stream().allMatch(r -> records.find(realm.realmId(), EntityType.valueOf(r.storeEntityType()), r.storeSourceId()).isPresent())) {
                return;
            }
            pause();
        }
        throw new AssertionError("sync did not settle within " + timeout + "; last counts " + last);
    }

    /** Store counts per ENTITY/STATUS, less the rows of the corpus (each FAILED once). */
    private Map<String, Long> storeCountsWithoutCorpus() {
        Map<String, Long> counts = new TreeMap<>();
        for (StatusCount c : records.countByStatus()) {
            counts.put(c.entityType().name() + "/" + c.status().name(), c.count());
        }
        Map<String, Long> badRows = new HashMap<>();
        CORPUS.stream().map(r -> r.storeEntityType() + ":" + r.storeSourceId()).distinct()
                .forEach(key -> badRows.merge(key.substring(0, key.indexOf(':')) + "/FAILED", 1L, Long::sum));
        badRows.forEach((k, n) -> counts.merge(k, -n, Long::sum));
        counts.values().removeIf(n -> n == 0);
        return counts;
    }

    private Map<String, Integer> qboCounts() {
        SandboxReader qbo = new SandboxReader(sandbox.baseUrl());
        Map<String, Integer> counts = new TreeMap<>();
        for (String entity : FuzzProperties.QBO_ENTITIES) {
            counts.put(entity, qbo.count(realm.realmId(), entity));
        }
        return counts;
    }

    private static void pause() {
        try {
            Thread.sleep(250);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
