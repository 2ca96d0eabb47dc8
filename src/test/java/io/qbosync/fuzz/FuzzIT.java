package io.qbosync.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
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
import io.qbosync.source.SourceJson;
import io.qbosync.source.SourceKind;
import io.qbosync.source.sample.MalformedCorpus;
import io.qbosync.source.sample.MalformedRecord;
import io.qbosync.source.sample.SampleSourceAdmin;
import io.qbosync.source.sample.SampleSourceServer;
import io.qbosync.store.EntityType;
import io.qbosync.store.SyncRecord;
import io.qbosync.store.SyncRecordRepository;
import io.qbosync.store.SyncRecordRepository.StatusCount;
import io.qbosync.store.SyncStatus;

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
    static final Path DATA;
    static final List<MalformedRecord> CORPUS = new MalformedCorpus(42, BAD).records();

    static {
        try {
            DATA = Files.createTempDirectory("qbo-sync-fuzz");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

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
    void everyMalformedRecordFailsWithItsOwnSpecificMessage() {
        awaitSettled(Duration.ofMinutes(4));

        List<String> wrong = new ArrayList<>();
        Set<String> messages = new HashSet<>();
        Set<String> problemTexts = new HashSet<>();
        Map<String, Integer> specificByProblem = new TreeMap<>();
        int specific = 0;
        for (MalformedRecord r : CORPUS) {
            Optional<SyncRecord> stored = records.find(realm.realmId(), r.entityType(), r.storeSourceId());
            if (stored.isEmpty()) {
                wrong.add(r + ": no sync record");
                continue;
            }
            SyncRecord s = stored.get();
            if (!r.isSpecific(s.status().name(), s.faultCode(), s.faultMessage())) {
                wrong.add(r + ": stored " + s.status() + " " + s.faultCode() + " " + cut(s.faultMessage()));
                continue;
            }
            assertThat(s.action()).as("action for %s", r).isNotBlank();
            specific++;
            specificByProblem.merge(r.problem().name(), 1, Integer::sum);
            messages.add(s.faultMessage());
            problemTexts.add(withoutRecordName(s.faultMessage()));
        }
        long rows = CORPUS.stream().map(r -> r.entityType() + ":" + r.storeSourceId()).distinct().count();
        System.out.printf("fuzz: bad=%d rows=%d specific_errors=%d distinct_messages=%d distinct_problem_texts=%d%n",
                CORPUS.size(), rows, specific, messages.size(), problemTexts.size());
        System.out.println("fuzz: specific errors per problem " + specificByProblem);

        assertThat(wrong).as("malformed records without their specific outcome").isEmpty();
        assertThat(specific).isEqualTo(BAD);
        // One message per stored row: no two bad records share a message, not even a generic one.
        assertThat(messages).hasSize((int) rows);
        assertThat(problemTexts.size()).as("different things said").isGreaterThan(MalformedCorpus.templateCount());
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
        long badInvoiceAndPaymentRows = CORPUS.stream().filter(r -> r.entityType() != EntityType.CUSTOMER)
                .map(r -> r.entityType() + ":" + r.storeSourceId()).distinct().count();
        long deadline = System.nanoTime() + timeout.toNanos();
        List<StatusCount> last = List.of();
        while (System.nanoTime() < deadline) {
            last = records.countByStatus();
            long registered = last.stream().filter(c -> c.entityType() != EntityType.CUSTOMER).mapToLong(StatusCount::count).sum();
            long pending = last.stream().filter(c -> c.status() == SyncStatus.PENDING).mapToLong(StatusCount::count).sum();
            if (registered >= goodInvoicesAndPayments + badInvoiceAndPaymentRows && pending == 0
                    && CORPUS.stream().allMatch(r -> records.find(realm.realmId(), r.entityType(), r.storeSourceId()).isPresent())) {
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
        CORPUS.stream().map(r -> r.entityType() + ":" + r.storeSourceId()).distinct()
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

    /** The message with each part's record name ("invoice GU-1: ", "Invoice I-1 ") taken out. */
    private static String withoutRecordName(String message) {
        StringBuilder b = new StringBuilder();
        for (String part : message.split("; ")) {
            int colon = part.indexOf(": ");
            b.append(colon >= 0 ? part.substring(colon + 2) : part.replaceFirst("^(Invoice|Payment) \\S+ ", "")).append("; ");
        }
        return b.toString();
    }

    private static String cut(String s) {
        return s == null || s.length() <= 300 ? s : s.substring(0, 300) + "…";
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
