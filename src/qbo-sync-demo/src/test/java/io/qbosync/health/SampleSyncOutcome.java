package io.qbosync.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.qbosync.source.SourceBatch;
import io.qbosync.source.SourceClient;
import io.qbosync.source.SourceItem;
import io.qbosync.source.feed.SourceKind;
import io.qbosync.source.sample.SampleCases;
import io.qbosync.source.sample.SampleQboSeed;
import io.qbosync.store.EntityType;
import io.qbosync.store.IssueTypes;
import io.qbosync.store.SyncRecord;
import io.qbosync.store.SyncRecordRepository;
import io.qbosync.store.SyncStatus;

/**
 * What the bundled sample sync must end as after an outage, checked from outside: every source invoice and payment
 * has a record and none is PENDING; the QBO sandbox holds each synced record exactly once (one QBO invoice, payment
 * or created customer per SYNCED record, no DocNumber, payment marker or customer linked twice); and the only
 * records that did not get through are the sample's seeded cases, each in its expected state. A failure an outage
 * caused (a transient fault given up on, a DLQ'd message never re-queued) shows as a record outside those cases.
 */
final class SampleSyncOutcome {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final SyncRecordRepository records;
    private final SourceClient source;
    private final String sandboxUrl;
    private final String realmId;
    private final HttpClient http = HttpClient.newHttpClient();

    SampleSyncOutcome(SyncRecordRepository records, SourceClient source, String sandboxUrl, String realmId) {
        this.records = records;
        this.source = source;
        this.sandboxUrl = sandboxUrl;
        this.realmId = realmId;
    }

    /** Source ids of the valid invoices and payments in the whole feed. */
    Map<EntityType, Set<String>> sourceIds() {
        Map<EntityType, Set<String>> ids = Map.of(EntityType.INVOICE, new HashSet<>(), EntityType.PAYMENT, new HashSet<>());
        String cursor = "";
        SourceBatch batch;
        do {
            batch = source.fetchChanges(cursor, 1000);
            for (SourceItem item : batch.items()) {
                if (item.valid() && item.kind() == SourceKind.INVOICE) {
                    ids.get(EntityType.INVOICE).add(item.sourceId());
                } else if (item.valid() && item.kind() == SourceKind.PAYMENT) {
                    ids.get(EntityType.PAYMENT).add(item.sourceId());
                }
            }
            cursor = batch.nextCursor();
        } while (batch.hasMore());
        return ids;
    }

    /** Waits until every source invoice and payment is registered and nothing is PENDING. */
    void awaitSettled(Duration timeout) throws InterruptedException {
        Map<EntityType, Set<String>> ids = sourceIds();
        int expected = ids.get(EntityType.INVOICE).size() + ids.get(EntityType.PAYMENT).size();
        long deadline = System.nanoTime() + timeout.toNanos();
        List<SyncRecordRepository.StatusCount> last = List.of();
        while (System.nanoTime() < deadline) {
            last = records.countByStatus();
            long registered = last.stream().filter(c -> c.entityType() != EntityType.CUSTOMER)
                    .mapToLong(SyncRecordRepository.StatusCount::count).sum();
            long pending = last.stream().filter(c -> c.status() == SyncStatus.PENDING)
                    .mapToLong(SyncRecordRepository.StatusCount::count).sum();
            if (registered >= expected && pending == 0) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the sample sync did not settle within " + timeout + "; last counts " + last);
    }

    long pending() {
        return records.countByStatus().stream().filter(c -> c.status() == SyncStatus.PENDING)
                .mapToLong(SyncRecordRepository.StatusCount::count).sum();
    }

    void assertNothingLostOrDoubled() {
        List<SyncRecord> all = new ArrayList<>();
        for (SyncStatus s : SyncStatus.values()) {
            all.addAll(records.findByStatus(s, 100_000));
        }
        assertThat(all).as("records left PENDING").noneMatch(r -> r.status() == SyncStatus.PENDING);

        // Nothing lost: every source invoice and payment has its record.
        Map<EntityType, Set<String>> ids = sourceIds();
        for (EntityType type : List.of(EntityType.INVOICE, EntityType.PAYMENT)) {
            Set<String> registered = all.stream().filter(r -> r.entityType() == type).map(SyncRecord::sourceId)
                    .collect(Collectors.toSet());
            assertThat(registered).as("%s records", type).containsAll(ids.get(type));
        }

        // Nothing doubled: QBO holds one entity per SYNCED record (plus what the sample seeded before the sync).
        List<JsonNode> invoices = entities("Invoice");
        List<JsonNode> payments = entities("Payment");
        List<JsonNode> customers = entities("Customer");
        int seededInvoices = SampleQboSeed.create().path("Invoice").size();
        assertThat(invoices).as("QBO invoices").hasSize(count(all, EntityType.INVOICE, SyncStatus.SYNCED) + seededInvoices);
        assertThat(payments).as("QBO payments").hasSize(count(all, EntityType.PAYMENT, SyncStatus.SYNCED));
        assertThat(duplicates(invoices, "DocNumber")).as("QBO invoices sharing a DocNumber").isEmpty();
        assertThat(duplicates(payments, "PrivateNote")).as("QBO payments sharing a source marker").isEmpty();
        assertThat(duplicates(customers, "DisplayName")).as("QBO customers sharing a name").isEmpty();
        // Every QBO customer is a seeded one or linked to exactly one customer record: a create done twice would
        // leave one that no record names.
        Set<String> seededCustomerNames = new HashSet<>();
        SampleQboSeed.create().path("Customer").forEach(c -> seededCustomerNames.add(c.path("DisplayName").asText()));
        Map<String, Long> recordsPerQboCustomer = all.stream()
                .filter(r -> r.entityType() == EntityType.CUSTOMER && r.qboId() != null)
                .collect(Collectors.groupingBy(SyncRecord::qboId, Collectors.counting()));
        assertThat(recordsPerQboCustomer.values()).as("customer records per QBO customer").allMatch(n -> n == 1);
        List<String> orphans = customers.stream()
                .filter(c -> !seededCustomerNames.contains(c.path("DisplayName").asText()))
                .map(c -> c.path("Id").asText())
                .filter(id -> !recordsPerQboCustomer.containsKey(id)).toList();
        assertThat(orphans).as("QBO customers no record stands for").isEmpty();
        Set<String> qboInvoiceIds = invoices.stream().map(i -> i.path("Id").asText()).collect(Collectors.toSet());
        assertThat(all).as("synced invoices are in QBO").filteredOn(r -> r.entityType() == EntityType.INVOICE
                && r.status() == SyncStatus.SYNCED).allMatch(r -> qboInvoiceIds.contains(r.qboId()));

        // What did not get through is the sample's seeded cases, and only those.
        Set<String> nameClashes = Set.of("contact:" + SampleCases.VENDOR_NAME_CONTACT_ID,
                "contact:" + SampleCases.INACTIVE_VENDOR_NAME_CONTACT_ID, "contact:" + SampleCases.EMPLOYEE_NAME_CONTACT_ID);
        Set<String> ambiguous = Set.of("contact:" + SampleCases.SHARED_EMAIL_CONTACT_ID,
                "company:" + SampleCases.AMBIGUOUS_NAME_COMPANY_ID);
        Map<String, SyncRecord> byKey = all.stream().collect(Collectors.toMap(SyncRecord::key, r -> r));
        for (SyncRecord r : all) {
            switch (r.status()) {
                case FAILED -> {
                    if (r.entityType() == EntityType.CUSTOMER) {
                        assertThat(r.sourceId()).as("failed customer %s (%s %s)", r.key(), r.faultCode(), r.faultMessage())
                                .isIn(nameClashes);
                        assertThat(r.faultCode()).as(r.key()).isEqualTo("6240");
                    } else {
                        assertThat(r.sourceId()).as("failed %s (%s %s)", r.key(), r.faultCode(), r.faultMessage())
                                .isEqualTo(SampleCases.DUPLICATE_NUMBER_INVOICE_ID);
                        assertThat(r.faultCode()).as(r.key()).isEqualTo("6140");
                    }
                }
                case HELD -> {
                    if (IssueTypes.DUPLICATE_MATCH.equals(r.faultCode())) {
                        assertThat(r.sourceId()).as("held for a person: %s", r.key()).isIn(ambiguous);
                    } else {
                        assertThat(r.faultCode()).as("held %s", r.key()).isEqualTo(SyncRecordRepository.WAITING_FOR_DEPENDENCY);
                        SyncRecord dependency = byKey.get(r.dependsOn());
                        assertThat(dependency).as("dependency of %s", r.key()).isNotNull();
                        assertThat(dependency.status()).as("%s waits for %s", r.key(), r.dependsOn())
                                .isIn(SyncStatus.FAILED, SyncStatus.HELD);
                    }
                }
                default -> {
                    // SYNCED and SKIPPED (a voided invoice) are done
                }
            }
        }
        for (String key : nameClashes) {
            assertThat(byKey.get(EntityType.CUSTOMER.key(key))).as(key).isNotNull();
        }
    }

    private static int count(List<SyncRecord> all, EntityType type, SyncStatus status) {
        return (int) all.stream().filter(r -> r.entityType() == type && r.status() == status).count();
    }

    private static List<String> duplicates(List<JsonNode> entities, String field) {
        Map<String, Integer> seen = new HashMap<>();
        for (JsonNode e : entities) {
            if (e.hasNonNull(field)) {
                seen.merge(e.get(field).asText(), 1, Integer::sum);
            }
        }
        return seen.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey).toList();
    }

    List<JsonNode> entities(String entity) {
        JsonNode body = sandboxGet("/sandbox/realms/" + realmId + "/entities/" + entity);
        List<JsonNode> out = new ArrayList<>();
        body.path(entity).forEach(out::add);
        return out;
    }

    /** Sets the sandbox company's fault settings, e.g. {@code {"latencyMs": 40}} to stretch the sync out. */
    void sandboxFaults(String json) {
        send(HttpRequest.newBuilder(URI.create(sandboxUrl + "/sandbox/realms/" + realmId + "/faults"))
                .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(json)).build());
    }

    private JsonNode sandboxGet(String path) {
        return send(HttpRequest.newBuilder(URI.create(sandboxUrl + path)).GET().build());
    }

    private JsonNode send(HttpRequest request) {
        try {
            HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new AssertionError(request.method() + " " + request.uri() + " -> " + r.statusCode() + " " + r.body());
            }
            return JSON.readTree(r.body());
        } catch (IOException e) {
            throw new AssertionError(request.method() + " " + request.uri() + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
