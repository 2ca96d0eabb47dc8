package io.qbosync.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

import org.apache.camel.ProducerTemplate;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.http.ResponseEntity;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.qbosync.QboSyncApplication;
import io.qbosync.connect.ActiveRealm;
import io.qbosync.matching.RealmOnboarding;
import io.qbosync.sandbox.QboSandbox;
import io.qbosync.source.sample.SampleSourceAdmin;
import io.qbosync.source.sample.SampleSourceServer;
import io.qbosync.store.EntityType;
import io.qbosync.store.IssueTypes;
import io.qbosync.store.SyncRecord;
import io.qbosync.store.SyncRecordRepository;
import io.qbosync.store.SyncStatus;
import io.qbosync.testsupport.E2eProperties;

/**
 * The ops side of customer identity against the whole application (embedded H2, Artemis, the QBO sandbox and a
 * small sample source, on ephemeral ports): a party held with DUPLICATE_MATCH is matched by a name or e-mail search,
 * by id, or created anew in bulk; a QBO customer linked to another record is never matched again; the suggestions,
 * the customer search and onboarding on demand over HTTP with their roles, and the same operations through JMX.
 * Each test stages its own parties: QBO customers seeded in the sandbox, then imported with
 * {@link RealmOnboarding#onboard}, then the source party and its invoice, polled.
 */
@SpringBootTest(classes = QboSyncApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class CustomerMatchOpsIT {

    private static final Path DATA = E2eProperties.newDataDir("qbo-sync-match-ops");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final AtomicInteger NEXT = new AtomicInteger(7000);
    private static volatile boolean initialSyncSettled;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        E2eProperties.smallSampleIn(DATA, registry);
        registry.add("qbosync.security.users[0].name", () -> "viewer");
        registry.add("qbosync.security.users[0].password", () -> "{noop}viewer-secret");
        registry.add("qbosync.security.users[0].roles", () -> "VIEWER");
        registry.add("qbosync.security.users[1].name", () -> "operator");
        registry.add("qbosync.security.users[1].password", () -> "{noop}operator-secret");
        registry.add("qbosync.security.users[1].roles", () -> "OPERATOR");
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
    TestRestTemplate rest;
    @Autowired
    RealmOnboarding realmOnboarding;
    @Autowired
    RecordOperations recordOperations;
    @Autowired
    IssuesJmx issuesJmx;

    private SampleSourceAdmin source;
    private TestRestTemplate viewer;
    private TestRestTemplate operator;

    @BeforeEach
    void setUp() {
        source = new SampleSourceAdmin(sampleSource.baseUrl());
        viewer = rest.withBasicAuth("viewer", "viewer-secret");
        operator = rest.withBasicAuth("operator", "operator-secret");
        if (!initialSyncSettled) {
            awaitInitialSync();
            initialSyncSettled = true;
        }
    }

    // ---------------------------------------------------------------------------------------------- tests

    @Test
    void aSearchWithOneHitLinksTheCustomerAndReleasesItsInvoice() throws Exception {
        int n = NEXT.incrementAndGet();
        String email = "mira" + n + "@holt.example.org";
        Held held = holdAmbiguous("Mira", "Holt" + n, email, "Mira Holt" + n, "Holt Family" + n);
        String mira = held.qboIds().get(0);
        String family = held.qboIds().get(1);

        // The suggestions, ranked, for a viewer; and on the record's DUPLICATE_MATCH issue.
        JsonNode suggestions = getJson(viewer, "/api/records/" + held.customer().id() + "/suggestions");
        assertThat(suggestions).hasSize(2);
        assertThat(suggestions.get(0).path("rank").asInt()).isEqualTo(1);
        assertThat(suggestions.get(0).path("qboId").asText()).isEqualTo(mira);
        assertThat(suggestions.get(0).path("displayName").asText()).isEqualTo("Mira Holt" + n);
        assertThat(suggestions.get(0).path("email").asText()).isEqualTo(email);
        assertThat(suggestions.get(0).path("score").asInt()).isEqualTo(160);
        assertThat(suggestions.get(0).path("reason").asText()).contains("same e-mail").contains("same name");
        assertThat(suggestions.get(1).path("qboId").asText()).isEqualTo(family);
        assertThat(suggestions.get(1).path("score").asInt()).isEqualTo(100);
        JsonNode issues = getJson(viewer, "/api/issues?status=OPEN&record=" + held.customer().id());
        assertThat(issues).hasSize(1);
        assertThat(issues.get(0).path("issueType").asText()).isEqualTo(IssueTypes.DUPLICATE_MATCH);
        assertThat(issues.get(0).path("suggestions")).hasSize(2);
        assertThat(issues.get(0).path("suggestions").get(0).path("qboId").asText()).isEqualTo(mira);
        long issueId = issues.get(0).path("id").asLong();
        assertThat(issuesJmx.newestOpen(1000)).anySatisfy(line -> assertThat(line)
                .contains("record " + held.customer().id() + " ").contains("top suggestion: QBO customer " + mira));

        // A viewer may look but not act.
        assertThat(viewer.postForEntity("/api/records/" + held.customer().id() + "/match",
                Map.of("search", "Mira Holt" + n), String.class).getStatusCode().value()).isEqualTo(403);

        // The name finds one customer: linked at once, by the person.
        ResponseEntity<String> matched = operator.postForEntity("/api/records/" + held.customer().id() + "/match",
                Map.of("search", "mira holt" + n), String.class);
        assertThat(matched.getStatusCode().value()).as(matched.getBody()).isEqualTo(200);
        JsonNode view = JSON.readTree(matched.getBody());
        assertThat(view.path("status").asText()).isEqualTo("SYNCED");
        assertThat(view.path("qboId").asText()).isEqualTo(mira);
        assertThat(view.path("matchedBy").asText()).isEqualTo("MANUAL");
        assertThat(getJson(viewer, "/api/records/" + held.customer().id() + "/suggestions")).isEmpty();

        // The invoice that waited for the customer reaches QBO on it; the issue ends as the operator's match.
        SyncRecord invoice = awaitStatus(EntityType.INVOICE, held.invoiceId(), SyncStatus.SYNCED, SyncStatus.FAILED);
        assertThat(invoice.status()).as(describe(invoice)).isEqualTo(SyncStatus.SYNCED);
        assertThat(sandboxEntity("Invoice", invoice.qboId()).path("CustomerRef").path("value").asText()).isEqualTo(mira);
        JsonNode issue = getJson(viewer, "/api/issues/" + issueId);
        assertThat(issue.path("status").asText()).isEqualTo("RESOLVED");
        assertThat(issue.path("resolution").asText()).isEqualTo("MATCH");
        assertThat(issue.path("resolvedBy").asText()).isEqualTo("operator");
        // Nothing was created in QBO for the party.
        assertThat(sandboxEntities("Customer").stream()
                .filter(c -> email.equals(c.path("PrimaryEmailAddr").path("Address").asText()))).hasSize(2);

        // The customer search shows which customer is linked, and to whom.
        JsonNode found = getJson(viewer, "/api/qbo-customers?search=" + email + "&limit=20");
        assertThat(found).hasSize(2);
        JsonNode linked = pick(found, mira);
        assertThat(linked.path("displayName").asText()).isEqualTo("Mira Holt" + n);
        assertThat(linked.path("email").asText()).isEqualTo(email);
        assertThat(linked.path("linkedRecordId").asLong()).isEqualTo(held.customer().id());
        assertThat(linked.path("linkedSourceId").asText()).isEqualTo(held.customer().sourceId());
        assertThat(pick(found, family).path("linkedRecordId").isNull()).isTrue();
        assertThat(rest.getForEntity("/api/qbo-customers?search=holt", String.class).getStatusCode().value())
                .as("anonymous").isEqualTo(401);
    }

    @Test
    void aSearchWithSeveralHitsListsThemAndACustomerLinkedToAnotherRecordIsRefused() throws Exception {
        int n = NEXT.incrementAndGet();
        // Another party is linked (by e-mail, when registered) to its own QBO customer.
        String otherName = "Arne Berg" + n;
        String otherId = seedCustomers(List.of(otherName), "arne" + n + "@berg.example.org").get(0);
        String email = "tove" + n + "@lind.example.org";
        Held held = holdAmbiguous("Tove", "Lind" + n, email, "Tove Lind" + n, "Lind Household" + n);
        SyncRecord other = stageContact("A-" + n, "Arne", "Berg" + n, "arne" + n + "@berg.example.org");
        other = awaitStatus(EntityType.CUSTOMER, other.sourceId(), SyncStatus.SYNCED);
        assertThat(other.qboId()).isEqualTo(otherId);
        String url = "/api/records/" + held.customer().id() + "/match";

        // The shared e-mail finds two customers: nothing is linked, both are listed to pick from.
        ResponseEntity<String> several = operator.postForEntity(url, Map.of("search", email), String.class);
        assertThat(several.getStatusCode().value()).isEqualTo(409);
        JsonNode answer = JSON.readTree(several.getBody());
        assertThat(answer.path("error").asText()).contains("finds 2 QBO customers").contains("pick one by id");
        assertThat(answer.path("search").asText()).isEqualTo(email);
        assertThat(answer.path("candidates")).hasSize(2);
        for (String id : held.qboIds()) {
            JsonNode c = pick(answer.path("candidates"), id);
            assertThat(c.path("email").asText()).isEqualTo(email);
            assertThat(c.path("linkedRecordId").isNull()).isTrue();
        }
        assertThat(pick(answer.path("candidates"), held.qboIds().get(1)).path("displayName").asText())
                .isEqualTo("Lind Household" + n);
        assertThatThrownBy(() -> recordOperations.matchBySearch(held.customer().id(), email))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(held.qboIds().get(0) + " 'Tove Lind" + n + "'")
                .hasMessageContaining(held.qboIds().get(1) + " 'Lind Household" + n + "'");

        // A search that finds only a customer another record is linked to: refused, naming that record.
        ResponseEntity<String> taken = operator.postForEntity(url, Map.of("search", otherName), String.class);
        assertThat(taken.getStatusCode().value()).isEqualTo(409);
        JsonNode takenAnswer = JSON.readTree(taken.getBody());
        assertThat(takenAnswer.path("error").asText()).contains("already linked to other customer records");
        assertThat(takenAnswer.path("candidates")).hasSize(1);
        assertThat(takenAnswer.path("candidates").get(0).path("qboId").asText()).isEqualTo(otherId);
        assertThat(takenAnswer.path("candidates").get(0).path("linkedRecordId").asLong()).isEqualTo(other.id());
        assertThat(takenAnswer.path("candidates").get(0).path("linkedSourceId").asText()).isEqualTo(other.sourceId());

        // The same customer by id: refused too, naming the record it belongs to.
        ResponseEntity<String> byId = operator.postForEntity(url, Map.of("qboId", otherId), String.class);
        assertThat(byId.getStatusCode().value()).isEqualTo(409);
        JsonNode byIdAnswer = JSON.readTree(byId.getBody());
        assertThat(byIdAnswer.path("error").asText()).contains("QBO customer " + otherId)
                .contains("already linked to customer record " + other.id()).contains(other.key());
        assertThat(byIdAnswer.path("linkedRecordId").asLong()).isEqualTo(other.id());
        assertThat(byIdAnswer.path("linkedRecordKey").asText()).isEqualTo(other.key());
        assertThatThrownBy(() -> recordOperations.matchExisting(held.customer().id(), otherId))
                .hasMessageContaining("already linked to customer record " + other.id());

        // Nothing changed: still held with its suggestions, the other party still on its customer.
        SyncRecord still = records.findById(held.customer().id()).orElseThrow();
        assertThat(still.status()).isEqualTo(SyncStatus.HELD);
        assertThat(still.faultCode()).isEqualTo(IssueTypes.DUPLICATE_MATCH);
        assertThat(still.qboId()).isNull();
        assertThat(getJson(viewer, "/api/records/" + held.customer().id() + "/suggestions")).hasSize(2);
        assertThat(records.findById(other.id()).orElseThrow().qboId()).isEqualTo(otherId);

        // Picking one of the listed candidates by id (here through JMX) links it.
        String picked = recordOperations.matchExisting(held.customer().id(), held.qboIds().get(1));
        assertThat(picked).contains("SYNCED").contains("QBO id " + held.qboIds().get(1));
        assertThat(getJson(viewer, "/api/records/" + held.customer().id() + "/suggestions")).isEmpty();
        SyncRecord invoice = awaitStatus(EntityType.INVOICE, held.invoiceId(), SyncStatus.SYNCED, SyncStatus.FAILED);
        assertThat(invoice.status()).as(describe(invoice)).isEqualTo(SyncStatus.SYNCED);
        assertThat(sandboxEntity("Invoice", invoice.qboId()).path("CustomerRef").path("value").asText())
                .isEqualTo(held.qboIds().get(1));
    }

    @Test
    void createUnmatchedCreatesEveryHeldPartyAsANewCustomer() throws Exception {
        int n = NEXT.incrementAndGet();
        Held first = holdAmbiguous("Rune", "Dahl" + n, "rune" + n + "@dahl.example.org", "R. Dahl" + n,
                "Dahl Household" + n);
        Held second = holdAmbiguous("Siv", "Eng" + n, "siv" + n + "@eng.example.org", "S. Eng" + n,
                "Eng Household" + n);

        assertThat(viewer.postForEntity("/api/records/create-unmatched", null, String.class).getStatusCode().value())
                .isEqualTo(403);
        ResponseEntity<String> done = operator.postForEntity("/api/records/create-unmatched", null, String.class);
        assertThat(done.getStatusCode().value()).as(done.getBody()).isEqualTo(200);
        JsonNode answer = JSON.readTree(done.getBody());
        List<Long> queued = new ArrayList<>();
        answer.path("records").forEach(id -> queued.add(id.asLong()));
        assertThat(queued).contains(first.customer().id(), second.customer().id());
        assertThat(answer.path("queued").asInt()).isEqualTo(queued.size());

        for (Held held : List.of(first, second)) {
            SyncRecord customer = awaitStatus(EntityType.CUSTOMER, held.customer().sourceId(), SyncStatus.SYNCED,
                    SyncStatus.FAILED);
            assertThat(customer.status()).as(describe(customer)).isEqualTo(SyncStatus.SYNCED);
            assertThat(customer.qboId()).isNotIn(held.qboIds());
            assertThat(sandboxEntity("Customer", customer.qboId()).path("DisplayName").asText())
                    .isEqualTo(held.displayName());
            SyncRecord invoice = awaitStatus(EntityType.INVOICE, held.invoiceId(), SyncStatus.SYNCED, SyncStatus.FAILED);
            assertThat(invoice.status()).as(describe(invoice)).isEqualTo(SyncStatus.SYNCED);
            assertThat(sandboxEntity("Invoice", invoice.qboId()).path("CustomerRef").path("value").asText())
                    .isEqualTo(customer.qboId());
            JsonNode issues = getJson(viewer, "/api/issues?record=" + customer.id());
            assertThat(issues).hasSize(1);
            assertThat(issues.get(0).path("status").asText()).isEqualTo("RESOLVED");
            assertThat(issues.get(0).path("resolution").asText()).isEqualTo("CREATE");
            assertThat(issues.get(0).path("resolvedBy").asText()).isEqualTo("operator");
        }

        // Through JMX the same operation: these two are synced now and stay so.
        assertThat(recordOperations.createAllUnmatched()).startsWith("queued ");
        for (Held held : List.of(first, second)) {
            assertThat(records.findById(held.customer().id()).orElseThrow().status()).isEqualTo(SyncStatus.SYNCED);
        }
    }

    @Test
    void onboardingOnDemandImportsCustomersAddedInQbo() throws Exception {
        JsonNode before = getJson(viewer, "/api/onboarding");
        assertThat(before.path("realmId").asText()).isEqualTo(realm.realmId());
        assertThat(before.path("onboarded").asBoolean()).isTrue();
        assertThat(before.path("itemCount").asInt()).isPositive();
        int customersBefore = before.path("customerCount").asInt();

        int n = NEXT.incrementAndGet();
        String name = "Onboarding Probe" + n;
        String probe = seedCustomers(List.of(name), "probe" + n + "@example.org").get(0);
        assertThat(getJson(viewer, "/api/qbo-customers?search=" + name.replace(" ", "%20"))).isEmpty();

        assertThat(viewer.postForEntity("/api/onboarding", null, String.class).getStatusCode().value()).isEqualTo(403);
        ResponseEntity<String> posted = operator.postForEntity("/api/onboarding", null, String.class);
        assertThat(posted.getStatusCode().value()).as(posted.getBody()).isEqualTo(200);
        JsonNode run = JSON.readTree(posted.getBody());
        assertThat(run.path("onboarded").asBoolean()).isTrue();
        assertThat(run.path("requestedBy").asText()).isEqualTo("operator");
        assertThat(run.path("customers").asInt()).isPositive();
        assertThat(run.path("items").asInt()).isPositive();
        assertThat(run.path("qboRequests").asInt()).isGreaterThanOrEqualTo(2);
        assertThat(run.path("customerCount").asInt()).isGreaterThanOrEqualTo(customersBefore + 1);

        JsonNode found = getJson(viewer, "/api/qbo-customers?search=probe" + n + "@example.org");
        assertThat(found).hasSize(1);
        assertThat(found.get(0).path("qboId").asText()).isEqualTo(probe);
        assertThat(found.get(0).path("displayName").asText()).isEqualTo(name);

        JsonNode after = getJson(viewer, "/api/onboarding");
        assertThat(after.path("requestedBy").asText()).isEqualTo("operator");
        assertThat(after.path("finishedAt").asText()).isNotEmpty();
        assertThat(after.path("customerCount").asInt()).isEqualTo(run.path("customerCount").asInt());

        assertThat(recordOperations.onboardNow()).startsWith("Onboarded QBO company " + realm.realmId() + ":")
                .contains(" customers and ");
        assertThat(getJson(viewer, "/api/onboarding").path("requestedBy").asText()).isEqualTo("jmx");
    }

    @Test
    void matchTakesAnIdOrASearchAndASearchNamingOneCustomerExactlyPicksIt() throws Exception {
        int n = NEXT.incrementAndGet();
        Held held = holdAmbiguous("Ulla", "Moe" + n, "ulla" + n + "@moe.example.org", "Ulla Moe" + n,
                "Ulla Moe" + n + " Jr");
        String url = "/api/records/" + held.customer().id() + "/match";
        ResponseEntity<String> both = operator.postForEntity(url,
                Map.of("qboId", held.qboIds().get(0), "search", "Ulla"), String.class);
        assertThat(both.getStatusCode().value()).isEqualTo(409);
        assertThat(both.getBody()).contains("not both");
        ResponseEntity<String> none = operator.postForEntity(url, Map.of(), String.class);
        assertThat(none.getStatusCode().value()).isEqualTo(409);
        ResponseEntity<String> nothingFound = operator.postForEntity(url, Map.of("search", "no-such-customer-" + n),
                String.class);
        assertThat(nothingFound.getStatusCode().value()).isEqualTo(409);
        JsonNode answer = JSON.readTree(nothingFound.getBody());
        assertThat(answer.path("error").asText()).contains("No QBO customer").contains("/api/onboarding");
        assertThat(answer.path("candidates")).isEmpty();
        assertThat(viewer.getForEntity("/api/records/999999999/suggestions", String.class).getStatusCode().value())
                .isEqualTo(404);
        assertThat(records.findById(held.customer().id()).orElseThrow().status()).isEqualTo(SyncStatus.HELD);

        // Both names contain the text, but only one is the whole name: that one is linked.
        ResponseEntity<String> exact = operator.postForEntity(url, Map.of("search", "  ULLA MOE" + n + " "), String.class);
        assertThat(exact.getStatusCode().value()).as(exact.getBody()).isEqualTo(200);
        assertThat(JSON.readTree(exact.getBody()).path("qboId").asText()).isEqualTo(held.qboIds().get(0));
    }

    // ---------------------------------------------------------------------------------------------- staging

    /** A party held with DUPLICATE_MATCH, the QBO customers it could be (seed order) and its invoice. */
    record Held(SyncRecord customer, String displayName, String invoiceId, List<String> qboIds) {
    }

    /**
     * Seeds QBO customers sharing {@code email}, imports them (onboarding), then registers a contact with that e-mail
     * billed by one invoice: matching finds several customers, so the contact is held and its invoice waits.
     */
    private Held holdAmbiguous(String first, String last, String email, String... qboNames) {
        List<String> ids = seedCustomers(List.of(qboNames), email);
        String contact = "M-" + last;
        String invoice = "MI-" + last;
        ObjectNode changes = JSON.createObjectNode();
        contact(changes, contact, first, last, email);
        invoice(changes, invoice, "MX-" + last, contact);
        source.putRecords(changes);
        poll();
        SyncRecord customer = awaitStatus(EntityType.CUSTOMER, "contact:" + contact, SyncStatus.HELD, SyncStatus.SYNCED,
                SyncStatus.FAILED);
        assertThat(customer.status()).as(describe(customer)).isEqualTo(SyncStatus.HELD);
        assertThat(customer.faultCode()).isEqualTo(IssueTypes.DUPLICATE_MATCH);
        SyncRecord waiting = awaitStatus(EntityType.INVOICE, invoice, SyncStatus.HELD, SyncStatus.SYNCED, SyncStatus.FAILED);
        assertThat(waiting.faultCode()).isEqualTo(SyncRecordRepository.WAITING_FOR_DEPENDENCY);
        return new Held(customer, first + " " + last, invoice, ids);
    }

    /** Registers a contact of its own (no invoice) and returns its customer record once registered. */
    private SyncRecord stageContact(String contact, String first, String last, String email) {
        ObjectNode changes = JSON.createObjectNode();
        contact(changes, contact, first, last, email);
        invoice(changes, "I" + contact, "AX-" + contact, contact);
        source.putRecords(changes);
        poll();
        return await(EntityType.CUSTOMER, "contact:" + contact, r -> true, "registered");
    }

    /** Seeds QBO customers of these names with one e-mail, then imports the company's customers again. */
    private List<String> seedCustomers(List<String> names, String email) {
        ObjectNode seed = JSON.createObjectNode();
        ArrayNode customers = seed.putArray("Customer");
        for (String name : names) {
            ObjectNode c = customers.addObject();
            c.put("DisplayName", name);
            c.putObject("PrimaryEmailAddr").put("Address", email);
        }
        JsonNode created = sandboxAdmin("POST", "/seed", seed.toString());
        List<String> ids = new ArrayList<>();
        created.path("created").path("Customer").forEach(id -> ids.add(id.asText()));
        assertThat(ids).hasSize(names.size());
        realmOnboarding.onboard(realm.realmId(), "test");
        return ids;
    }

    private static void contact(ObjectNode changes, String id, String first, String last, String email) {
        ObjectNode c = array(changes, "contacts").addObject();
        c.put("id", id);
        c.put("firstName", first);
        c.put("lastName", last);
        c.put("email", email);
    }

    private static void invoice(ObjectNode changes, String id, String number, String contactId) {
        ObjectNode i = array(changes, "invoices").addObject();
        i.put("id", id);
        i.put("number", number);
        i.put("billToType", "contact");
        i.put("billToId", contactId);
        i.put("category", "membership");
        i.put("typeName", "Gold Membership");
        i.put("issueDate", "2026-03-02");
        i.put("dueDate", "2026-04-01");
        i.put("currency", "USD");
        ObjectNode line = i.putArray("lines").addObject();
        line.put("description", "Gold Membership dues");
        line.put("quantity", 1);
        line.put("unitPrice", new java.math.BigDecimal("450.00"));
        line.put("amount", new java.math.BigDecimal("450.00"));
        i.put("total", new java.math.BigDecimal("450.00"));
        i.put("status", "open");
    }

    private static ArrayNode array(ObjectNode changes, String name) {
        return changes.has(name) ? (ArrayNode) changes.get(name) : changes.putArray(name);
    }

    private void poll() {
        camel.sendBody("direct:poll-source", (Object) null);
    }

    // ---------------------------------------------------------------------------------------------- reading

    private static JsonNode getJson(TestRestTemplate as, String url) throws IOException {
        ResponseEntity<String> r = as.getForEntity(url, String.class);
        assertThat(r.getStatusCode().value()).as(url + ": " + r.getBody()).isEqualTo(200);
        return JSON.readTree(r.getBody());
    }

    private static JsonNode pick(JsonNode customers, String qboId) {
        for (JsonNode c : customers) {
            if (qboId.equals(c.path("qboId").asText())) {
                return c;
            }
        }
        throw new AssertionError("no QBO customer " + qboId + " in " + customers);
    }

    private List<JsonNode> sandboxEntities(String entity) {
        List<JsonNode> out = new ArrayList<>();
        sandboxAdmin("GET", "/entities/" + entity, null).path(entity).forEach(out::add);
        return out;
    }

    private JsonNode sandboxEntity(String entity, String id) {
        return sandboxEntities(entity).stream().filter(e -> id.equals(e.path("Id").asText())).findFirst()
                .orElseThrow(() -> new AssertionError("no QBO " + entity + " " + id));
    }

    private JsonNode sandboxAdmin(String method, String path, String body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(sandbox.baseUrl() + "/sandbox/realms/"
                + realm.realmId() + path)).timeout(Duration.ofSeconds(30)).header("Accept", "application/json");
        if (body != null) {
            b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
        } else {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        }
        try {
            HttpResponse<String> r = HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(method + " " + path + ": " + r.body()).isEqualTo(200);
            return JSON.readTree(r.body());
        } catch (IOException e) {
            throw new IllegalStateException(method + " " + path, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private SyncRecord awaitStatus(EntityType type, String sourceId, SyncStatus... statuses) {
        Set<SyncStatus> wanted = Set.copyOf(Arrays.asList(statuses));
        return await(type, sourceId, r -> wanted.contains(r.status()), "status in " + wanted);
    }

    private SyncRecord await(EntityType type, String sourceId, Predicate<SyncRecord> done, String what) {
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

    private void awaitInitialSync() {
        JsonNode stats = source.stats();
        int expected = stats.path("invoices").asInt() + stats.path("payments").asInt();
        awaitTrue("the sample's records registered and none PENDING", () -> {
            List<SyncRecordRepository.StatusCount> counts = records.countByStatus();
            long registered = counts.stream().filter(c -> c.entityType() != EntityType.CUSTOMER)
                    .mapToLong(SyncRecordRepository.StatusCount::count).sum();
            long pending = counts.stream().filter(c -> c.status() == SyncStatus.PENDING)
                    .mapToLong(SyncRecordRepository.StatusCount::count).sum();
            return registered >= expected && pending == 0;
        });
    }

    private static void awaitTrue(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return;
            }
            pause();
        }
        throw new AssertionError("never true: " + what);
    }

    private static String describe(SyncRecord r) {
        return r == null ? "(none)" : r.status() + " qbo=" + r.qboId() + " code=" + r.faultCode() + " message="
                + r.faultMessage() + " action=" + r.action();
    }

    private static void pause() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
