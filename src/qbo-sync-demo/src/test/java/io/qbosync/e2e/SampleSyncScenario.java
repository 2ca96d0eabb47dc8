package io.qbosync.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.apache.camel.ProducerTemplate;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import jakarta.jms.ConnectionFactory;

import javax.management.MBeanServer;
import javax.management.ObjectName;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.http.ResponseEntity;
import org.springframework.jms.core.JmsTemplate;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.qbosync.QboSyncApplication;
import io.qbosync.connect.ActiveRealm;
import io.qbosync.ops.DeadLetters;
import io.qbosync.ops.IssuesController;
import io.qbosync.ops.IssuesController.IssueView;
import io.qbosync.ops.IssuesJmx;
import io.qbosync.ops.RecordOperations;
import io.qbosync.ops.RecordsController;
import io.qbosync.sandbox.QboSandbox;
import io.qbosync.source.SourceBatch;
import io.qbosync.source.SourceClient;
import io.qbosync.source.feed.SourceInvoice;
import io.qbosync.source.SourceItem;
import io.qbosync.source.feed.SourceKind;
import io.qbosync.source.feed.SourcePayment;
import io.qbosync.source.sample.SampleCases;
import io.qbosync.source.sample.SampleQboSeed;
import io.qbosync.store.EntityType;
import io.qbosync.store.IssueTypes;
import io.qbosync.store.QboIndexRepository;
import io.qbosync.store.QboIndexRepository.Suggestion;
import io.qbosync.store.SyncIssue;
import io.qbosync.store.SyncRecord;
import io.qbosync.store.SyncRecordRepository;
import io.qbosync.store.SyncStatus;
import io.qbosync.testsupport.Await;

/**
 * The first end-to-end slice on embedded defaults: the bundled sample source's records go through the YAML routes,
 * the sync store, embedded Artemis and the {@code qbo:} component into the bundled QBO sandbox over real HTTP.
 * Asserts what QBO ends up holding (totals, balances, no duplicates), the seeded fault cases, the seeded ambiguous and
 * near-identical customer matches, one QBO customer per party, sub-customers, and that a second poll changes nothing. Run once per supported sync-store database (subclasses).
 */
@SpringBootTest(classes = QboSyncApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
abstract class SampleSyncScenario {

    @Autowired
    SyncRecordRepository records;
    @Autowired
    ActiveRealm realm;
    @Autowired
    QboSandbox sandbox;
    @Autowired
    SourceClient source;
    @Autowired
    ProducerTemplate camel;
    @Autowired
    TestRestTemplate rest;
    @Autowired
    ConnectionFactory connectionFactory;
    @LocalManagementPort
    int managementPort;
    @Autowired
    IssuesJmx issuesJmx;
    @Autowired
    RecordOperations recordOperations;
    @Autowired
    QboIndexRepository index;
    JmsTemplate jms;

    @org.junit.jupiter.api.BeforeEach
    void jms() {
        jms = new JmsTemplate(connectionFactory);
    }

    @Test
    @Order(1)
    void sampleReachesQboWithCorrectTotalsAndBalances() {
        SourceData data = SourceData.read(source);
        SyncAwait.settled(records, data.invoices.size() + data.payments.size(), Duration.ofMinutes(3));
        SandboxInspector qbo = new SandboxInspector(sandbox.baseUrl());
        String realmId = realm.realmId();

        Map<String, JsonNode> qboInvoices = qbo.entities(realmId, "Invoice").stream()
                .collect(Collectors.toMap(n -> n.get("Id").asText(), Function.identity()));
        Map<String, BigDecimal> paidByInvoice = new HashMap<>();
        for (SourcePayment p : data.payments) {
            SyncRecord r = record(EntityType.PAYMENT, p.id());
            if (r.status() == SyncStatus.SYNCED) {
                paidByInvoice.merge(p.invoiceId(), p.amount(), BigDecimal::add);
            }
        }
        int synced = 0;
        for (SourceInvoice invoice : data.invoices) {
            SyncRecord r = record(EntityType.INVOICE, invoice.id());
            if ("voided".equals(invoice.status())) {
                assertThat(r.status()).as("voided invoice %s", invoice.id()).isEqualTo(SyncStatus.SKIPPED);
                continue;
            }
            if (r.status() != SyncStatus.SYNCED) {
                continue;
            }
            synced++;
            JsonNode q = qboInvoices.get(r.qboId());
            assertThat(q).as("QBO invoice for %s", invoice.id()).isNotNull();
            assertThat(q.get("TotalAmt").decimalValue()).as("TotalAmt of %s", invoice.id())
                    .isEqualByComparingTo(invoice.total());
            BigDecimal paid = paidByInvoice.getOrDefault(invoice.id(), BigDecimal.ZERO);
            assertThat(q.get("Balance").decimalValue()).as("Balance of %s", invoice.id())
                    .isEqualByComparingTo(invoice.total().subtract(paid));
            assertThat(q.get("DocNumber").asText()).isEqualTo(invoice.number());
        }
        assertThat(synced).as("synced invoices").isGreaterThan(data.invoices.size() / 2);

        // Nothing doubled: one QBO invoice per synced source invoice (plus the one seeded before the sync).
        long syncedInvoiceRecords = data.invoices.stream()
                .filter(i -> record(EntityType.INVOICE, i.id()).status() == SyncStatus.SYNCED).count();
        assertThat(qboInvoices).hasSize((int) syncedInvoiceRecords + 1);
        long syncedPayments = data.payments.stream()
                .filter(p -> record(EntityType.PAYMENT, p.id()).status() == SyncStatus.SYNCED).count();
        assertThat(qbo.entities(realmId, "Payment")).hasSize((int) syncedPayments);
        // Every non-synced record says why and what to do.
        for (SyncStatus s : List.of(SyncStatus.FAILED, SyncStatus.HELD)) {
            for (SyncRecord r : records.findByStatus(s, 10_000)) {
                assertThat(r.faultCode()).as("code of %s", r.key()).isNotBlank();
                assertThat(r.faultMessage()).as("message of %s", r.key()).isNotBlank();
                assertThat(r.action()).as("action of %s", r.key()).isNotBlank();
            }
        }
    }

    @Test
    @Order(2)
    void seededFaultCasesEndWithQbosCodeAndMessage() {
        for (String contact : List.of(SampleCases.VENDOR_NAME_CONTACT_ID, SampleCases.INACTIVE_VENDOR_NAME_CONTACT_ID,
                SampleCases.EMPLOYEE_NAME_CONTACT_ID)) {
            SyncRecord customer = record(EntityType.CUSTOMER, "contact:" + contact);
            assertThat(customer.status()).as(contact).isEqualTo(SyncStatus.FAILED);
            assertThat(customer.faultCode()).isEqualTo("6240");
            assertThat(customer.faultMessage()).isEqualTo("Duplicate Name Exists Error");
            assertThat(customer.faultDetail()).contains("Id=");
        }
        // Their invoices wait for the customer instead of failing on their own.
        SyncRecord held = record(EntityType.INVOICE, SampleCases.VENDOR_NAME_INVOICE_ID);
        assertThat(held.status()).isEqualTo(SyncStatus.HELD);
        assertThat(held.faultCode()).isEqualTo(SyncRecordRepository.WAITING_FOR_DEPENDENCY);

        SyncRecord duplicateNumber = record(EntityType.INVOICE, SampleCases.DUPLICATE_NUMBER_INVOICE_ID);
        assertThat(duplicateNumber.status()).isEqualTo(SyncStatus.FAILED);
        assertThat(duplicateNumber.faultCode()).isEqualTo("6140");
        assertThat(duplicateNumber.faultMessage()).containsIgnoringCase("Duplicate");
        assertThat(duplicateNumber.faultDetail()).contains("DocNumber=");
        assertThat(duplicateNumber.action()).contains("resync");
    }

    @Test
    @Order(3)
    void customersMatchByEmailAndMappingFallsBack() {
        SyncRecord byEmail = record(EntityType.CUSTOMER, "contact:" + SampleCases.EMAIL_MATCH_CONTACT_ID);
        assertThat(byEmail.status()).isEqualTo(SyncStatus.SYNCED);
        assertThat(byEmail.matchedBy()).isEqualTo("EMAIL");
        SyncRecord company = record(EntityType.CUSTOMER, "company:" + SampleCases.EMAIL_MATCH_COMPANY_ID);
        assertThat(company.matchedBy()).isEqualTo("EMAIL");
        // Linked, not created: exactly one QBO customer carries each matched e-mail.
        SandboxInspector qbo = new SandboxInspector(sandbox.baseUrl());
        List<JsonNode> customers = qbo.entities(realm.realmId(), "Customer");
        assertThat(customers.stream().filter(c -> SampleCases.EMAIL_MATCH_CONTACT_EMAIL
                .equals(c.path("PrimaryEmailAddr").path("Address").asText()))).hasSize(1);

        SyncRecord noEmail = record(EntityType.CUSTOMER, "contact:" + SampleCases.NO_EMAIL_CONTACT_ID);
        assertThat(noEmail.status()).isEqualTo(SyncStatus.SYNCED);
        assertThat(noEmail.matchedBy()).isNull();

        List<String> rules = records.findByStatus(SyncStatus.SYNCED, 10_000).stream()
                .filter(r -> r.entityType() == EntityType.INVOICE).map(SyncRecord::mappingRule).distinct().toList();
        assertThat(rules).contains("events/All Events (fallback)", "memberships/All Memberships (fallback)",
                "memberships/Gold Membership");
    }

    /**
     * The two seeded ambiguous parties (an e-mail two QBO customers share, a name two QBO customers have once
     * normalised) are never guessed between: each is HELD with one open DUPLICATE_MATCH issue and the two customers as
     * ranked suggestions, and waits with its invoice. The near-identical name with one counterpart links to it.
     */
    @Test
    @Order(4)
    void ambiguousPartiesAreHeldWithRankedSuggestionsAndANearNameLinks() {
        TestRestTemplate api = rest.withBasicAuth("admin", "admin");
        SandboxInspector qbo = new SandboxInspector(sandbox.baseUrl());
        List<JsonNode> customers = qbo.entities(realm.realmId(), "Customer");
        Map<String, String> idByName = customers.stream()
                .collect(Collectors.toMap(c -> c.path("DisplayName").asText(), c -> c.path("Id").asText()));

        Map<String, List<String>> ambiguous = Map.of(
                "contact:" + SampleCases.SHARED_EMAIL_CONTACT_ID, SampleCases.SHARED_EMAIL_QBO_NAMES,
                "company:" + SampleCases.AMBIGUOUS_NAME_COMPANY_ID, SampleCases.AMBIGUOUS_NAME_QBO_NAMES);
        Map<String, String> invoiceOf = Map.of(
                "contact:" + SampleCases.SHARED_EMAIL_CONTACT_ID, SampleCases.SHARED_EMAIL_INVOICE_ID,
                "company:" + SampleCases.AMBIGUOUS_NAME_COMPANY_ID, SampleCases.AMBIGUOUS_NAME_INVOICE_ID);
        List<Long> heldIds = new ArrayList<>();
        for (Map.Entry<String, List<String>> e : ambiguous.entrySet()) {
            SyncRecord r = record(EntityType.CUSTOMER, e.getKey());
            heldIds.add(r.id());
            assertThat(r.status()).as(e.getKey()).isEqualTo(SyncStatus.HELD);
            assertThat(r.faultCode()).as(e.getKey()).isEqualTo(IssueTypes.DUPLICATE_MATCH);
            assertThat(r.qboId()).as(e.getKey()).isNull();
            assertThat(r.faultMessage()).contains(idByName.get(e.getValue().get(0))).contains(idByName.get(e.getValue().get(1)));

            List<IssueView> open = List.of(api.getForObject("/api/issues?status=OPEN&record=" + r.id(), IssueView[].class));
            assertThat(open).as("open issues of %s", e.getKey()).hasSize(1);
            assertThat(open.get(0).issueType()).isEqualTo(IssueTypes.DUPLICATE_MATCH);
            assertThat(open.get(0).occurrences()).isEqualTo(1);

            List<Suggestion> suggestions = index.suggestions(r.id());
            assertThat(suggestions).as("suggestions of %s", e.getKey()).hasSize(2);
            assertThat(suggestions).extracting(Suggestion::rank).containsExactly(1, 2);
            assertThat(suggestions).extracting(Suggestion::qboId)
                    .containsExactlyInAnyOrder(idByName.get(e.getValue().get(0)), idByName.get(e.getValue().get(1)));
            assertThat(suggestions).extracting(Suggestion::displayName).containsExactlyInAnyOrderElementsOf(e.getValue());
            assertThat(suggestions).allSatisfy(g -> assertThat(g.reason()).isNotBlank());
            assertThat(suggestions.get(0).score()).isGreaterThanOrEqualTo(suggestions.get(1).score());

            // Its invoice waits for it; nothing was created in QBO for the party.
            SyncRecord invoice = record(EntityType.INVOICE, invoiceOf.get(e.getKey()));
            assertThat(invoice.status()).isEqualTo(SyncStatus.HELD);
            assertThat(invoice.faultCode()).isEqualTo(SyncRecordRepository.WAITING_FOR_DEPENDENCY);
        }
        // The e-mail is the reason both share; for the name, the customer that also has it as CompanyName ranks first.
        assertThat(index.suggestions(record(EntityType.CUSTOMER, "contact:" + SampleCases.SHARED_EMAIL_CONTACT_ID).id()))
                .allSatisfy(g -> assertThat(g.reason()).contains(SampleCases.SHARED_EMAIL));
        assertThat(index.suggestions(record(EntityType.CUSTOMER, "company:" + SampleCases.AMBIGUOUS_NAME_COMPANY_ID).id())
                .get(0).displayName()).isEqualTo(SampleCases.AMBIGUOUS_NAME_QBO_NAMES.get(1));
        assertThat(idByName).doesNotContainKeys("Theodora Quist", SampleCases.AMBIGUOUS_NAME_COMPANY,
                SampleCases.NEAR_NAME_COMPANY);

        // Exactly these two records have a DUPLICATE_MATCH issue.
        List<IssueView> duplicateMatches = List.of(api.getForObject("/api/issues?type=" + IssueTypes.DUPLICATE_MATCH
                + "&realm=" + realm.realmId(), IssueView[].class));
        assertThat(duplicateMatches).extracting(IssueView::recordId).containsExactlyInAnyOrderElementsOf(heldIds);

        // The near-identical name with a single counterpart is linked to it, and its invoice and payment follow.
        SyncRecord maple = record(EntityType.CUSTOMER, "company:" + SampleCases.NEAR_NAME_COMPANY_ID);
        assertThat(maple.status()).isEqualTo(SyncStatus.SYNCED);
        assertThat(maple.matchedBy()).isIn("DISPLAY_NAME", "COMPANY_NAME");
        assertThat(maple.qboId()).isEqualTo(idByName.get(SampleCases.NEAR_NAME_QBO_NAME));
        SyncRecord mapleInvoice = record(EntityType.INVOICE, SampleCases.NEAR_NAME_INVOICE_ID);
        assertThat(mapleInvoice.status()).isEqualTo(SyncStatus.SYNCED);
        JsonNode qboInvoice = qbo.entities(realm.realmId(), "Invoice").stream()
                .filter(i -> i.path("Id").asText().equals(mapleInvoice.qboId())).findFirst().orElseThrow();
        assertThat(qboInvoice.path("CustomerRef").path("value").asText()).isEqualTo(maple.qboId());
        assertThat(qboInvoice.path("Balance").decimalValue()).isZero();
        assertThat(record(EntityType.PAYMENT, SampleCases.NEAR_NAME_PAYMENT_ID).status()).isEqualTo(SyncStatus.SYNCED);
    }

    /**
     * One party, one QBO customer: no suggestion names a customer qbo-sync created itself (only the seeded ones), no
     * two customer records share a QBO customer, QBO holds the seeded customers plus one per customer created, and a
     * contact of a company is its QBO sub-customer.
     */
    @Test
    @Order(5)
    void oneQboCustomerPerPartyAndContactsAreSubCustomersOfTheirCompany() throws Exception {
        SandboxInspector qbo = new SandboxInspector(sandbox.baseUrl());
        Map<String, JsonNode> qboCustomers = qbo.entities(realm.realmId(), "Customer").stream()
                .collect(Collectors.toMap(c -> c.path("Id").asText(), Function.identity()));
        java.util.Set<String> seededNames = new java.util.HashSet<>();
        SampleQboSeed.create().path("Customer").forEach(c -> seededNames.add(c.path("DisplayName").asText()));
        java.util.Set<String> seededIds = qboCustomers.values().stream()
                .filter(c -> seededNames.contains(c.path("DisplayName").asText())).map(c -> c.path("Id").asText())
                .collect(Collectors.toSet());
        assertThat(seededIds).hasSize(seededNames.size());

        List<SyncRecord> customerRecords = new ArrayList<>();
        for (SyncStatus s : SyncStatus.values()) {
            records.findByStatus(s, 10_000).stream().filter(r -> r.entityType() == EntityType.CUSTOMER)
                    .forEach(customerRecords::add);
        }
        java.util.Set<String> createdIds = customerRecords.stream()
                .filter(r -> r.status() == SyncStatus.SYNCED && r.matchedBy() == null).map(SyncRecord::qboId)
                .collect(Collectors.toSet());
        assertThat(createdIds).doesNotContainAnyElementsOf(seededIds);

        // Every suggestion of every DUPLICATE_MATCH record names a seeded customer, never one qbo-sync created.
        List<SyncRecord> ambiguous = customerRecords.stream()
                .filter(r -> IssueTypes.DUPLICATE_MATCH.equals(r.faultCode())).toList();
        assertThat(ambiguous).hasSize(2);
        for (SyncRecord r : ambiguous) {
            assertThat(index.suggestions(r.id())).extracting(Suggestion::qboId).isNotEmpty()
                    .allMatch(seededIds::contains).noneMatch(createdIds::contains);
        }

        // No two customer records share a QBO customer; QBO holds the seeded ones plus one per create, nothing more.
        Map<String, List<String>> byQboId = customerRecords.stream().filter(r -> r.qboId() != null)
                .collect(Collectors.groupingBy(SyncRecord::qboId, Collectors.mapping(SyncRecord::key, Collectors.toList())));
        assertThat(byQboId.values()).as("customer records per QBO customer").allMatch(keys -> keys.size() == 1);
        assertThat(qboCustomers).hasSize(seededIds.size() + createdIds.size());
        assertThat(qboCustomers.keySet()).containsAll(byQboId.keySet());

        // A synced contact who belongs to a company is a QBO sub-customer of that company's customer.
        ObjectMapper json = new ObjectMapper();
        int subCustomers = 0;
        for (SyncRecord r : customerRecords) {
            JsonNode party = json.readTree(r.payload()).path("party");
            if (r.status() != SyncStatus.SYNCED || !r.sourceId().startsWith("contact:") || !party.hasNonNull("companyId")) {
                continue;
            }
            SyncRecord company = record(EntityType.CUSTOMER, "company:" + party.get("companyId").asText());
            assertThat(company.status()).as("company of %s", r.key()).isEqualTo(SyncStatus.SYNCED);
            assertThat(r.dependsOn()).as("%s depends on its company", r.key()).isEqualTo(company.key());
            JsonNode c = qboCustomers.get(r.qboId());
            assertThat(c).as("QBO customer of %s", r.key()).isNotNull();
            assertThat(c.path("Job").asBoolean()).as("Job of %s", r.key()).isTrue();
            assertThat(c.path("ParentRef").path("value").asText()).as("ParentRef of %s", r.key()).isEqualTo(company.qboId());
            subCustomers++;
        }
        assertThat(subCustomers).as("synced contacts of companies").isPositive();
    }

    @Test
    @Order(6)
    void secondPollCreatesNothingNew() {
        SandboxInspector qbo = new SandboxInspector(sandbox.baseUrl());
        String realmId = realm.realmId();
        Map<String, Integer> before = counts(qbo, realmId);
        List<SyncRecordRepository.StatusCount> storeBefore = records.countByStatus();

        camel.requestBody("direct:poll-source", (Object) null);
        // Give any (wrongly) queued message time to be consumed before comparing.
        SyncAwait.queuesIdle(camel.getCamelContext(), Duration.ofSeconds(30));

        assertThat(counts(qbo, realmId)).isEqualTo(before);
        assertThat(records.countByStatus()).isEqualTo(storeBefore);
    }

    /**
     * The seeded faults are issues: one OPEN issue per record and type with QBO's code and message; a resync that
     * meets the same fault again counts a second occurrence on the same issue. The issue view shows the record to act
     * on, and Hawtio's MBean shows the same counts.
     */
    @Test
    @Order(7)
    void faultsAreIssuesCountedPerRecordAndType() throws Exception {
        TestRestTemplate api = rest.withBasicAuth("admin", "admin");
        // Every record that failed or is held with a fault has exactly one open issue, with its code and message.
        for (SyncStatus s : List.of(SyncStatus.FAILED, SyncStatus.HELD)) {
            for (SyncRecord r : records.findByStatus(s, 10_000)) {
                List<IssueView> open = List.of(api.getForObject("/api/issues?status=OPEN&record=" + r.id(),
                        IssueView[].class));
                if (SyncRecordRepository.WAITING_FOR_DEPENDENCY.equals(r.faultCode())) {
                    assertThat(open).as("waiting is no issue: %s", r.key()).isEmpty();
                    continue;
                }
                assertThat(open).as("open issues of %s", r.key()).hasSize(1);
                assertThat(open.get(0).qboCode()).isEqualTo(r.faultCode());
                assertThat(open.get(0).qboMessage()).isEqualTo(r.faultMessage());
                assertThat(open.get(0).issueType()).isEqualTo(IssueTypes.typeOf(r.faultCode()));
            }
        }

        // The 6240 clashes (vendor, inactive vendor, employee) are DUPLICATE_NAME issues; the one whose invoice
        // waits for it says so.
        List<IssueView> names = List.of(api.getForObject("/api/issues?status=OPEN&type=DUPLICATE_NAME&realm="
                + realm.realmId(), IssueView[].class));
        SyncRecord vendorClash = record(EntityType.CUSTOMER, "contact:" + SampleCases.VENDOR_NAME_CONTACT_ID);
        IssueView vendorIssue = names.stream().filter(i -> i.recordId() == vendorClash.id()).findFirst().orElseThrow();
        assertThat(vendorIssue.qboCode()).isEqualTo("6240");
        assertThat(vendorIssue.qboMessage()).isEqualTo("Duplicate Name Exists Error");
        assertThat(vendorIssue.detail()).contains("Id=");
        assertThat(vendorIssue.recordKey()).isEqualTo(vendorClash.key());
        assertThat(vendorIssue.recordUrl()).isEqualTo("/api/records/" + vendorClash.id());
        assertThat(vendorIssue.actions()).containsExactly("match", "create", "resync", "skip");
        long waiting = records.findByStatusAndFaultCode(realm.realmId(), SyncStatus.HELD,
                SyncRecordRepository.WAITING_FOR_DEPENDENCY, 10_000).stream()
                .filter(r -> vendorClash.key().equals(r.dependsOn())).count();
        assertThat(waiting).as("its invoices wait").isPositive();
        assertThat(vendorIssue.blockedRecords()).isEqualTo(waiting);
        assertThat(names).hasSizeGreaterThanOrEqualTo(3).allMatch(i -> "6240".equals(i.qboCode()));
        assertThat(names).extracting(IssueView::lastSeen).isSortedAccordingTo(java.util.Comparator.reverseOrder());

        // The duplicate DocNumber: one open issue, QBO's 6140.
        SyncRecord duplicate = record(EntityType.INVOICE, SampleCases.DUPLICATE_NUMBER_INVOICE_ID);
        IssueView[] ofDuplicate = api.getForObject("/api/issues?record=" + duplicate.id(), IssueView[].class);
        assertThat(ofDuplicate).hasSize(1);
        IssueView issue = ofDuplicate[0];
        assertThat(issue.status()).isEqualTo(SyncIssue.Status.OPEN);
        assertThat(issue.issueType()).isEqualTo(IssueTypes.DUPLICATE_DOC_NUMBER);
        assertThat(issue.qboCode()).isEqualTo("6140");
        assertThat(issue.qboMessage()).isEqualTo(duplicate.faultMessage()).containsIgnoringCase("Duplicate");
        assertThat(issue.occurrences()).isEqualTo(1);
        assertThat(issue.actions()).containsExactly("resync", "skip");

        IssuesController.Summary summary = api.getForObject("/api/issues/summary", IssuesController.Summary.class);
        assertThat(summary.byType().get(IssueTypes.DUPLICATE_NAME)).isEqualTo(names.size());
        assertThat(summary.byType().get(IssueTypes.DUPLICATE_DOC_NUMBER)).isGreaterThanOrEqualTo(1L);
        assertThat(summary.byType().get(IssueTypes.DUPLICATE_MATCH)).as("the two seeded ambiguous parties").isEqualTo(2L);
        assertThat(summary.open()).isEqualTo(summary.byType().values().stream().mapToLong(Long::longValue).sum());

        // The same counts in Hawtio: MBean qbosync:type=Issues (this context's instance).
        MBeanServer jmx = ManagementFactory.getPlatformMBeanServer();
        ObjectName name = issuesJmx.getObjectName();
        assertThat(name.toString()).startsWith(IssuesJmx.NAME);
        assertThat(jmx.getAttribute(name, "OpenDuplicateName")).isEqualTo((long) names.size());
        assertThat(jmx.getAttribute(name, "OpenTotal")).isEqualTo(summary.open());
        String[] newest = (String[]) jmx.invoke(name, "newestOpen", new Object[] {500}, new String[] {"int"});
        assertThat(newest).hasSize((int) summary.open())
                .anyMatch(line -> line.startsWith("issue " + issue.id() + " DUPLICATE_DOC_NUMBER x1 "));

        // A resync that meets the same fault counts on the same issue instead of opening another.
        assertThat(api.postForEntity("/api/records/" + duplicate.id() + "/resync", null, String.class)
                .getStatusCode().value()).isEqualTo(200);
        IssueView again = Await.value("a second occurrence of the 6140 issue", Duration.ofSeconds(60), () -> {
            IssueView v = api.getForObject("/api/issues/" + issue.id(), IssueView.class);
            return v.occurrences() == 2 && v.recordStatus() == SyncStatus.FAILED ? v : null;
        });
        assertThat(again.status()).isEqualTo(SyncIssue.Status.OPEN);
        assertThat(again.qboCode()).isEqualTo("6140");
        assertThat(again.lastSeen()).isAfter(issue.lastSeen());
        assertThat(again.lastAction()).isEqualTo("RESYNC");
        assertThat(again.lastActionBy()).isEqualTo("admin");
        assertThat(api.getForObject("/api/issues?record=" + duplicate.id(), IssueView[].class)).hasSize(1);

        assertThat(api.getForEntity("/api/issues/999999999", String.class).getStatusCode().value()).isEqualTo(404);
        assertThat(rest.getForEntity("/api/issues", String.class).getStatusCode().value()).as("anonymous")
                .isEqualTo(401);
    }

    @Test
    @Order(8)
    void opsMatchAHeldCustomerByHandAndItsInvoiceFollows() throws Exception {
        TestRestTemplate api = rest.withBasicAuth("admin", "admin");
        SyncRecord failed = record(EntityType.CUSTOMER, "contact:" + SampleCases.VENDOR_NAME_CONTACT_ID);
        long vendorIssue = api.getForObject("/api/issues?status=OPEN&record=" + failed.id(), IssueView[].class)[0].id();
        RecordsController.RecordView[] failedList = api.getForObject("/api/records?status=FAILED&type=CUSTOMER",
                RecordsController.RecordView[].class);
        assertThat(failedList).extracting(RecordsController.RecordView::id).contains(failed.id());
        RecordsController.RecordView view = api.getForObject("/api/records/" + failed.id(), RecordsController.RecordView.class);
        assertThat(view.actions()).contains("resync", "skip", "match", "create");
        assertThat(view.faultCode()).isEqualTo("6240");

        // The person decides this contact is an existing QBO customer (here: one the sample seeded that no other
        // record is linked to; one QBO customer stands for one party).
        SandboxInspector qbo = new SandboxInspector(sandbox.baseUrl());
        String existing = qbo.entities(realm.realmId(), "Customer").stream()
                .filter(c -> SampleCases.DUPLICATE_NUMBER_QBO_CUSTOMER.equals(c.path("DisplayName").asText()))
                .findFirst().orElseThrow().get("Id").asText();
        ResponseEntity<RecordsController.RecordView> matched = api.postForEntity("/api/records/" + failed.id() + "/match",
                Map.of("qboId", existing), RecordsController.RecordView.class);
        assertThat(matched.getStatusCode().value()).isEqualTo(200);
        assertThat(matched.getBody().status()).isEqualTo(SyncStatus.SYNCED);
        assertThat(matched.getBody().matchedBy()).isEqualTo("MANUAL");

        // Its held invoice is released and reaches QBO on that customer.
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        SyncRecord invoice = record(EntityType.INVOICE, SampleCases.VENDOR_NAME_INVOICE_ID);
        while (invoice.status() != SyncStatus.SYNCED && System.nanoTime() < deadline) {
            Thread.sleep(200);
            invoice = record(EntityType.INVOICE, SampleCases.VENDOR_NAME_INVOICE_ID);
        }
        assertThat(invoice.status()).isEqualTo(SyncStatus.SYNCED);
        String invoiceQboId = invoice.qboId();
        JsonNode qboInvoice = qbo.entities(realm.realmId(), "Invoice").stream()
                .filter(i -> i.get("Id").asText().equals(invoiceQboId)).findFirst().orElseThrow();
        assertThat(qboInvoice.path("CustomerRef").path("value").asText()).isEqualTo(existing);
        // The match ended the customer's issue, in the name of the person who matched.
        IssueView matchedIssue = api.getForObject("/api/issues/" + vendorIssue, IssueView.class);
        assertThat(matchedIssue.status()).isEqualTo(SyncIssue.Status.RESOLVED);
        assertThat(matchedIssue.resolution()).isEqualTo("MATCH");
        assertThat(matchedIssue.resolvedBy()).isEqualTo("admin");
        assertThat(matchedIssue.blockedRecords()).isZero();
        assertThat(matchedIssue.actions()).isEmpty();

        // Skipping the duplicate-number invoice ends it; an action that does not fit is refused.
        SyncRecord duplicate = record(EntityType.INVOICE, SampleCases.DUPLICATE_NUMBER_INVOICE_ID);
        assertThat(api.postForEntity("/api/records/" + duplicate.id() + "/skip", null, String.class).getStatusCode().value())
                .isEqualTo(200);
        assertThat(record(EntityType.INVOICE, SampleCases.DUPLICATE_NUMBER_INVOICE_ID).status()).isEqualTo(SyncStatus.SKIPPED);
        IssueView[] skippedIssues = api.getForObject("/api/issues?record=" + duplicate.id(), IssueView[].class);
        assertThat(skippedIssues).hasSize(1);
        assertThat(skippedIssues[0].status()).isEqualTo(SyncIssue.Status.RESOLVED);
        assertThat(skippedIssues[0].resolution()).isEqualTo("SKIPPED");
        assertThat(skippedIssues[0].resolvedBy()).isEqualTo("admin");
        assertThat(skippedIssues[0].occurrences()).isEqualTo(2);
        assertThat(api.postForEntity("/api/records/" + duplicate.id() + "/match", Map.of("qboId", "1"), String.class)
                .getStatusCode().value()).isEqualTo(409);
        assertThat(rest.postForEntity("/api/records/" + duplicate.id() + "/resync", null, String.class)
                .getStatusCode().value()).as("anonymous").isEqualTo(401);
    }

    @Test
    @Order(9)
    void connectionsAreListedWithoutSecretsAndTheDailyCheckRuns() throws Exception {
        ResponseEntity<String> anonymous = rest.getForEntity("/api/connections", String.class);
        assertThat(anonymous.getStatusCode().value()).isEqualTo(401);
        ResponseEntity<String> listed = rest.withBasicAuth("admin", "admin").getForEntity("/api/connections", String.class);
        assertThat(listed.getStatusCode().value()).isEqualTo(200);
        JsonNode connections = new ObjectMapper().readTree(listed.getBody());
        assertThat(connections).hasSize(1);
        JsonNode first = connections.get(0);
        assertThat(first.path("connection").path("realmId").asText()).isEqualTo(realm.realmId());
        assertThat(first.path("connection").path("status").asText()).isEqualTo("CONNECTED");
        assertThat(first.path("connection").path("refreshExpiresAt").asText()).isNotEmpty();
        assertThat(first.path("needsAttention").asBoolean()).isFalse();
        assertThat(listed.getBody()).doesNotContainIgnoringCase("token\":\"").doesNotContainIgnoringCase("secret");
        // The daily check route is there and finds nothing to warn about for a fresh sandbox connection.
        assertThat(camel.getCamelContext().getRoute("qbo-connection-check")).isNotNull();
        assertThat(camel.requestBody("bean:oauthTokenManager?method=checkConnections", null, List.class)).isEmpty();
    }

    @Test
    @Order(10)
    void opsActFromHawtioThroughTheJmxOperations() throws Exception {
        SyncRecord failed = record(EntityType.CUSTOMER, "contact:" + SampleCases.EMPLOYEE_NAME_CONTACT_ID);
        assertThat(failed.status()).isEqualTo(SyncStatus.FAILED);
        String exec = "{\"type\":\"exec\",\"mbean\":\"" + recordOperations.getObjectName() + "\",\"operation\":\"skip\","
                + "\"arguments\":[" + failed.id() + "]}";
        TestRestTemplate management = new TestRestTemplate().withBasicAuth("admin", "admin");
        String jolokia = "http://127.0.0.1:" + managementPort + "/actuator/jolokia";
        JsonNode answer = new ObjectMapper().readTree(management.postForObject(jolokia, exec, String.class));
        assertThat(answer.path("status").asInt()).as(answer.toString()).isEqualTo(200);
        assertThat(answer.path("value").asText()).contains("SKIPPED");
        assertThat(record(EntityType.CUSTOMER, "contact:" + SampleCases.EMPLOYEE_NAME_CONTACT_ID).status())
                .isEqualTo(SyncStatus.SKIPPED);
        // Acting on a record in a state that does not allow it is refused with the reason, and changes nothing.
        JsonNode again = new ObjectMapper().readTree(management.postForObject(jolokia, exec.replace("\"skip\"",
                "\"clearQboId\""), String.class));
        assertThat(again.path("status").asInt()).isNotEqualTo(200);
        assertThat(again.path("error").asText()).contains("Cannot");
        assertThat(new TestRestTemplate().postForEntity(jolokia, exec, String.class).getStatusCode().value())
                .as("anonymous").isEqualTo(401);
    }

    @Test
    @Order(11)
    void deadLettersAreListedAndReplayedOntoTheirQueue() {
        TestRestTemplate api = rest.withBasicAuth("admin", "admin");
        SyncRecord customer = record(EntityType.CUSTOMER, "contact:" + SampleCases.NO_EMAIL_CONTACT_ID);
        String text = "{\"realmId\":\"" + realm.realmId() + "\",\"entityType\":\"CUSTOMER\",\"sourceId\":\""
                + customer.sourceId() + "\",\"version\":\"" + customer.sourceVersion() + "\",\"payload\":{}}";
        jms.send("DLQ.qbo.customers", session -> session.createTextMessage(text));

        DeadLetters.DeadLetter[] letters = api.getForObject("/api/dead-letters/qbo.customers", DeadLetters.DeadLetter[].class);
        assertThat(letters).hasSize(1);
        assertThat(letters[0].body()).isEqualTo(text);
        ResponseEntity<String> replayed = api.postForEntity("/api/dead-letters/qbo.customers/" + letters[0].messageId()
                + "/replay", null, String.class);
        assertThat(replayed.getStatusCode().value()).isEqualTo(200);
        assertThat(api.getForObject("/api/dead-letters/qbo.customers", DeadLetters.DeadLetter[].class)).isEmpty();
        // Replaying a synced record is a no-op for QBO: the customer stays as it was.
        SyncAwait.queuesIdle(camel.getCamelContext(), Duration.ofSeconds(10));
        assertThat(record(EntityType.CUSTOMER, "contact:" + SampleCases.NO_EMAIL_CONTACT_ID).qboId()).isEqualTo(customer.qboId());
    }

    private Map<String, Integer> counts(SandboxInspector qbo, String realmId) {
        Map<String, Integer> counts = new HashMap<>();
        for (String entity : List.of("Customer", "Invoice", "Payment")) {
            counts.put(entity, qbo.entities(realmId, entity).size());
        }
        return counts;
    }

    private SyncRecord record(EntityType type, String sourceId) {
        return records.find(realm.realmId(), type, sourceId)
                .orElseThrow(() -> new AssertionError("no sync record for " + type.key(sourceId)));
    }

    /** The whole source feed, read like the poller does. */
    record SourceData(List<SourceInvoice> invoices, List<SourcePayment> payments) {
        static SourceData read(SourceClient client) {
            List<SourceInvoice> invoices = new ArrayList<>();
            List<SourcePayment> payments = new ArrayList<>();
            String cursor = "";
            SourceBatch batch;
            do {
                batch = client.fetchChanges(cursor, 1000);
                for (SourceItem item : batch.items()) {
                    if (item.kind() == SourceKind.INVOICE && item.valid()) {
                        invoices.add(item.recordAs(SourceInvoice.class));
                    } else if (item.kind() == SourceKind.PAYMENT && item.valid()) {
                        payments.add(item.recordAs(SourcePayment.class));
                    }
                }
                cursor = batch.nextCursor();
            } while (batch.hasMore());
            return new SourceData(invoices, payments);
        }
    }
}
