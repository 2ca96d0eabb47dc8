package io.qbosync.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.apache.camel.ProducerTemplate;
import org.apache.camel.Route;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import com.fasterxml.jackson.databind.JsonNode;

import io.qbosync.QboSyncApplication;
import io.qbosync.connect.ActiveRealm;
import io.qbosync.e2e.OnboardingFixture.Expect;
import io.qbosync.e2e.OnboardingFixture.Party;
import io.qbosync.ops.IssuesController.IssueView;
import io.qbosync.sandbox.QboSandbox;
import io.qbosync.source.sample.SampleSourceAdmin;
import io.qbosync.source.sample.SampleSourceServer;
import io.qbosync.store.EntityType;
import io.qbosync.store.IssueTypes;
import io.qbosync.store.QboIndexRepository;
import io.qbosync.store.QboIndexRepository.Suggestion;
import io.qbosync.store.SyncRecord;
import io.qbosync.store.SyncRecordRepository;
import io.qbosync.store.SyncStatus;

/**
 * Onboarding onto a QBO company that already has a few hundred customers and items ({@link OnboardingFixture}):
 * they are seeded into the sandbox realm before the first poll (the routes start only once that is done), the source
 * gets parties that overlap them, and one poll imports the company, matches and syncs. Then: the unambiguous parties
 * are linked to the right customers (no QBO write), the ambiguous ones held with two suggestions, the rest created
 * once (contacts of a company as its sub-customers), no customer is doubled, every invoice is on the right customer
 * and item, and the QBO requests per synced record stay low.
 *
 * <p>The sample source runs with its hand-made cases only ({@code source.sample.records=1}); they are synced too and
 * counted where totals are compared.
 */
@SpringBootTest(classes = QboSyncApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class OnboardingIT {

    @TempDir
    static Path data;

    static final OnboardingFixture FIXTURE = new OnboardingFixture();
    /** QBO ids of the fixture's seeded customers, in seed order. */
    static List<String> seededIds;
    static Set<String> customersBeforePoll;
    static long requestsForTheSync;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("qbosync.data-dir", () -> data.toString());
        registry.add("qbo.sandbox.port", () -> "0");
        registry.add("source.sample.port", () -> "0");
        registry.add("management.server.port", () -> "0");
        // The sample's hand-made cases only: the fixture's parties are the bulk.
        registry.add("source.sample.records", () -> "1");
        // No poll before the test has filled the QBO company: onboarding happens at the first poll. The routes start
        // only when the test starts them (all but source-poll), and the start delay keeps a scheduled poll away anyway.
        registry.add("camel.main.auto-startup", () -> "false");
        registry.add("sync.poll.start-delay-ms", () -> "3600000");
        registry.add("sync.retry.initial-delay-ms", () -> "100");
        registry.add("sync.retry.max-delay-ms", () -> "1000");
        registry.add("qbo.governor.requests-per-minute", () -> "1000000");
        registry.add("sync.mappings.file", () -> mappingsFile().toString());
    }

    private static Path mappingsFile() {
        try {
            Path file = data.resolve("qbo-mappings.yaml");
            if (!Files.exists(file)) {
                Files.writeString(file, OnboardingFixture.MAPPINGS);
            }
            return file;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Autowired
    SyncRecordRepository records;
    @Autowired
    QboIndexRepository index;
    @Autowired
    ActiveRealm realm;
    @Autowired
    QboSandbox sandbox;
    @Autowired
    SampleSourceServer sampleSource;
    @Autowired
    ProducerTemplate camel;
    @Autowired
    TestRestTemplate rest;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    @Order(1)
    void preloadedCompanyIsOnboardedAndSyncedByTheFirstPoll() throws Exception {
        String realmId = realm.realmId();
        SandboxInspector qbo = new SandboxInspector(sandbox.baseUrl());
        assertThat(index.onboarding(realmId)).as("not onboarded before the first poll").isEmpty();
        assertThat(records.countByStatus()).as("nothing registered before the first poll").isEmpty();

        JsonNode created = post("/sandbox/realms/" + realmId + "/seed", FIXTURE.seed().toString()).path("created");
        seededIds = new ArrayList<>();
        created.path("Customer").forEach(id -> seededIds.add(id.asText()));
        assertThat(seededIds).hasSize(FIXTURE.customers.size());
        assertThat(created.path("Item")).hasSize(FIXTURE.items.size());
        customersBeforePoll = qbo.entities(realmId, "Customer").stream().map(c -> c.path("Id").asText())
                .collect(Collectors.toSet());

        SampleSourceAdmin source = new SampleSourceAdmin(sampleSource.baseUrl());
        source.putRecords(FIXTURE.companies());
        source.putRecords(FIXTURE.contacts());
        source.putRecords(FIXTURE.invoices());
        JsonNode stats = source.stats();
        int invoicesAndPayments = stats.path("invoices").asInt() + stats.path("payments").asInt();

        // Every route but the scheduled poll; the test polls once itself.
        for (Route route : camel.getCamelContext().getRoutes()) {
            if (!"source-poll".equals(route.getRouteId())) {
                camel.getCamelContext().getRouteController().startRoute(route.getRouteId());
            }
        }
        long before = accepted(qbo, realmId);
        long start = System.nanoTime();
        camel.sendBody("direct:poll-source", (Object) null);
        SyncAwait.settled(records, invoicesAndPayments, Duration.ofSeconds(90));
        requestsForTheSync = accepted(qbo, realmId) - before;
        System.out.printf("OnboardingIT: synced in %d ms%n", (System.nanoTime() - start) / 1_000_000);

        QboIndexRepository.Onboarding onboarded = index.onboarding(realmId).orElseThrow();
        assertThat(onboarded.customers()).isEqualTo(customersBeforePoll.size());
        assertThat(onboarded.items()).isGreaterThanOrEqualTo(FIXTURE.items.size());
        assertThat(onboarded.qboRequests()).as("one query per entity and 1,000 rows").isEqualTo(2);
    }

    @Test
    @Order(2)
    void unambiguousPartiesAreLinkedToTheRightCustomersWithoutAWrite() {
        Map<Expect, Integer> linked = new HashMap<>();
        for (Expect expect : List.of(Expect.EMAIL, Expect.DISPLAY_NAME, Expect.COMPANY_NAME)) {
            for (Party p : FIXTURE.with(expect)) {
                SyncRecord r = customer(p);
                assertThat(r.status()).as("%s (%s)", p.key(), p.displayName()).isEqualTo(SyncStatus.SYNCED);
                assertThat(r.qboId()).as("QBO customer of %s", p.key()).isEqualTo(seededIds.get(p.qbo.get(0)));
                assertThat(r.matchedBy()).as("matched_by of %s", p.key()).isEqualTo(expect.name());
                assertThat(r.requestId()).as("no QBO write for %s", p.key()).isNull();
                linked.merge(expect, 1, Integer::sum);
            }
        }
        assertThat(linked).containsEntry(Expect.EMAIL, 150).containsEntry(Expect.DISPLAY_NAME, 40)
                .containsEntry(Expect.COMPANY_NAME, 10);
    }

    @Test
    @Order(3)
    void ambiguousPartiesAreHeldWithTwoSuggestions() {
        TestRestTemplate api = rest.withBasicAuth("admin", "admin");
        List<Party> ambiguous = FIXTURE.with(Expect.AMBIGUOUS);
        assertThat(ambiguous).hasSize(20);
        Set<Long> held = new HashSet<>();
        for (Party p : ambiguous) {
            SyncRecord r = customer(p);
            held.add(r.id());
            assertThat(r.status()).as(p.key()).isEqualTo(SyncStatus.HELD);
            assertThat(r.faultCode()).as(p.key()).isEqualTo(IssueTypes.DUPLICATE_MATCH);
            assertThat(r.qboId()).as(p.key()).isNull();
            List<Suggestion> suggestions = index.suggestions(r.id());
            assertThat(suggestions).as("suggestions of %s", p.key()).extracting(Suggestion::qboId)
                    .containsExactlyInAnyOrder(seededIds.get(p.qbo.get(0)), seededIds.get(p.qbo.get(1)));
            assertThat(suggestions).extracting(Suggestion::rank).containsExactly(1, 2);
            assertThat(suggestions).allSatisfy(s -> assertThat(s.reason()).isNotBlank());
            IssueView[] open = api.getForObject("/api/issues?status=OPEN&record=" + r.id(), IssueView[].class);
            assertThat(open).as("open issues of %s", p.key()).hasSize(1);
            assertThat(open[0].issueType()).isEqualTo(IssueTypes.DUPLICATE_MATCH);
            SyncRecord invoice = records.find(realm.realmId(), EntityType.INVOICE, p.invoiceId).orElseThrow();
            assertThat(invoice.status()).as("invoice of %s", p.key()).isEqualTo(SyncStatus.HELD);
            assertThat(invoice.faultCode()).isEqualTo(SyncRecordRepository.WAITING_FOR_DEPENDENCY);
        }
        // Of the fixture's parties only these are DUPLICATE_MATCH issues (the sample adds its own two).
        IssueView[] all = api.getForObject("/api/issues?type=" + IssueTypes.DUPLICATE_MATCH + "&realm="
                + realm.realmId() + "&limit=1000", IssueView[].class);
        assertThat(List.of(all).stream().filter(i -> i.sourceId().contains(":OB-")).map(IssueView::recordId)
                .collect(Collectors.toSet())).isEqualTo(held);
    }

    @Test
    @Order(4)
    void unmatchedPartiesAreCreatedOnceAndNothingIsDoubled() {
        String realmId = realm.realmId();
        SandboxInspector qbo = new SandboxInspector(sandbox.baseUrl());
        Map<String, JsonNode> qboCustomers = qbo.entities(realmId, "Customer").stream()
                .collect(Collectors.toMap(c -> c.path("Id").asText(), Function.identity()));

        List<Party> unmatched = FIXTURE.with(Expect.UNMATCHED);
        assertThat(unmatched).as("50 billed + the unbilled parent company").hasSize(51);
        for (Party p : unmatched) {
            SyncRecord r = customer(p);
            assertThat(r.status()).as("%s (%s)", p.key(), p.displayName()).isEqualTo(SyncStatus.SYNCED);
            assertThat(r.matchedBy()).as(p.key()).isNull();
            assertThat(customersBeforePoll).as("%s got a new customer", p.key()).doesNotContain(r.qboId());
            JsonNode c = qboCustomers.get(r.qboId());
            assertThat(c.path("DisplayName").asText()).isEqualTo(p.displayName());
            if (p.companyId != null) {
                SyncRecord company = records.find(realmId, EntityType.CUSTOMER, "company:" + p.companyId).orElseThrow();
                assertThat(c.path("Job").asBoolean()).as("%s is a sub-customer", p.key()).isTrue();
                assertThat(c.path("ParentRef").path("value").asText()).isEqualTo(company.qboId());
            }
        }

        // One QBO customer per customer record, and QBO holds what it held plus one per create: no duplicate.
        List<SyncRecord> customerRecords = new ArrayList<>();
        for (SyncStatus s : SyncStatus.values()) {
            records.findByStatus(s, 100_000).stream().filter(r -> r.entityType() == EntityType.CUSTOMER)
                    .forEach(customerRecords::add);
        }
        Map<String, Long> perQboId = customerRecords.stream().filter(r -> r.qboId() != null)
                .collect(Collectors.groupingBy(SyncRecord::qboId, Collectors.counting()));
        assertThat(perQboId.values()).as("customer records per QBO customer").allMatch(n -> n == 1);
        List<SyncRecord> created = customerRecords.stream()
                .filter(r -> r.status() == SyncStatus.SYNCED && r.matchedBy() == null).toList();
        long createdForFixture = created.stream().filter(r -> r.sourceId().contains(":OB-")).count();
        assertThat(createdForFixture).as("created for the unmatched parties and their parent company")
                .isEqualTo(unmatched.size());
        assertThat(qboCustomers).hasSize(customersBeforePoll.size() + created.size());
        Set<String> newCustomers = new HashSet<>(qboCustomers.keySet());
        newCustomers.removeAll(customersBeforePoll);
        assertThat(newCustomers).isEqualTo(created.stream().map(SyncRecord::qboId).collect(Collectors.toSet()));
        // The customers no party stands for are untouched.
        Set<String> linkedIds = perQboId.keySet();
        List<String> untouched = seededIds.subList(seededIds.size() - 100, seededIds.size());
        assertThat(untouched).noneMatch(linkedIds::contains);
        System.out.printf("OnboardingIT: QBO customers %d = %d before the poll + %d created (%d for the fixture's"
                + " unmatched parties and their parent, %d for the sample's own cases)%n", qboCustomers.size(),
                customersBeforePoll.size(), created.size(), createdForFixture, created.size() - createdForFixture);
    }

    @Test
    @Order(5)
    void everyInvoiceIsOnTheRightCustomerAndItem() {
        String realmId = realm.realmId();
        SandboxInspector qbo = new SandboxInspector(sandbox.baseUrl());
        Map<String, JsonNode> qboInvoices = qbo.entities(realmId, "Invoice").stream()
                .collect(Collectors.toMap(i -> i.path("Id").asText(), Function.identity()));
        Map<String, String> itemBySku = new HashMap<>();
        Map<String, String> itemByName = new HashMap<>();
        for (JsonNode item : qbo.entities(realmId, "Item")) {
            if (item.hasNonNull("Sku")) {
                itemBySku.put(item.get("Sku").asText(), item.path("Id").asText());
            }
            itemByName.put(item.path("Name").asText(), item.path("Id").asText());
        }
        int synced = 0;
        Set<String> itemsUsed = new HashSet<>();
        for (Party p : FIXTURE.billed()) {
            if (p.expect == Expect.AMBIGUOUS) {
                continue;
            }
            SyncRecord invoice = records.find(realmId, EntityType.INVOICE, p.invoiceId).orElseThrow();
            assertThat(invoice.status()).as("invoice of %s", p.key()).isEqualTo(SyncStatus.SYNCED);
            JsonNode q = qboInvoices.get(invoice.qboId());
            String expectedCustomer = p.expect == Expect.UNMATCHED ? customer(p).qboId() : seededIds.get(p.qbo.get(0));
            assertThat(q.path("CustomerRef").path("value").asText()).as("CustomerRef of %s", p.invoiceId)
                    .isEqualTo(expectedCustomer);
            OnboardingFixture.InvoiceType type = p.invoiceType;
            String expectedItem = type.itemSku() != null ? itemBySku.get(type.itemSku()) : itemByName.get(type.itemName());
            String item = q.path("Line").get(0).path("SalesItemLineDetail").path("ItemRef").path("value").asText();
            assertThat(item).as("item of %s (%s)", p.invoiceId, type.typeName()).isEqualTo(expectedItem);
            assertThat(q.path("TotalAmt").decimalValue()).isEqualByComparingTo(type.price());
            itemsUsed.add(item);
            synced++;
        }
        assertThat(synced).isEqualTo(FIXTURE.billed().size() - 20);
        assertThat(itemsUsed).as("every mapped item, the name-only one included")
                .hasSize(OnboardingFixture.INVOICE_TYPES.size()).contains(itemByName.get(OnboardingFixture.BREAKFAST_ITEM_NAME));
        assertThat(qbo.entities(realmId, "Item").stream().filter(i -> OnboardingFixture.BREAKFAST_ITEM_NAME
                .equals(i.path("Name").asText())).findFirst().orElseThrow().hasNonNull("Sku")).isFalse();
    }

    @Test
    @Order(6)
    void qboRequestsPerSyncedRecordStayLow() {
        long synced = records.countByStatus().stream().filter(c -> c.status() == SyncStatus.SYNCED)
                .mapToLong(SyncRecordRepository.StatusCount::count).sum();
        double perRecord = (double) requestsForTheSync / synced;
        System.out.printf("OnboardingIT: %d QBO requests accepted for %d synced records = %.3f per synced record%n",
                requestsForTheSync, synced, perRecord);
        assertThat(synced).isGreaterThan(400);
        assertThat(perRecord).isLessThan(1.3);
    }

    private SyncRecord customer(Party p) {
        return records.find(realm.realmId(), EntityType.CUSTOMER, p.key())
                .orElseThrow(() -> new AssertionError("no customer record for " + p.key()));
    }

    private long accepted(SandboxInspector qbo, String realmId) {
        return qbo.get("/sandbox/realms/" + realmId + "/stats").path("accepted").asLong();
    }

    private JsonNode post(String path, String body) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(sandbox.baseUrl() + path))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as("POST %s: %s", path, r.body()).isEqualTo(200);
            return OnboardingFixture.JSON.readTree(r.body());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
