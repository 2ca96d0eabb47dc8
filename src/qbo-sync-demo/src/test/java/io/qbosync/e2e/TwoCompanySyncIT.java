package io.qbosync.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import com.fasterxml.jackson.databind.JsonNode;

import io.qbosync.QboSyncApplication;
import io.qbosync.connect.QboCompanies;
import io.qbosync.sandbox.QboSandbox;
import io.qbosync.source.SourceClient;
import io.qbosync.source.feed.SourceInvoice;
import io.qbosync.source.feed.SourcePayment;
import io.qbosync.store.EntityType;
import io.qbosync.store.SyncRecord;
import io.qbosync.store.SyncRecordRepository;
import io.qbosync.store.SyncStatus;
import io.qbosync.testsupport.E2eProperties;

/**
 * One node, two QBO companies (the README's two-company demo, routes/mappings/two-companies.yaml): the sample's
 * North and South chapters share company "association" with DocNumber prefixes N- and S-, Pacific has a company of
 * its own. Each invoice lands in its chapter's company with its prefix, its payments follow it, and a party becomes a
 * customer in exactly the companies whose invoices bill it; nothing is written into the wrong company or twice.
 */
@SpringBootTest(classes = QboSyncApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class TwoCompanySyncIT {

    private static final Map<String, String> COMPANY = Map.of("North", "association", "South", "association",
            "Pacific", "pacific");
    private static final Map<String, String> PREFIX = Map.of("North", "N-", "South", "S-", "Pacific", "");

    @TempDir
    static Path data;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        E2eProperties.withoutJmxIn(() -> data, registry);
        registry.add("sync.mappings.file", () -> "routes/mappings/qbo-mappings.yaml,routes/mappings/two-companies.yaml");
    }

    @Autowired
    SyncRecordRepository records;
    @Autowired
    QboCompanies companies;
    @Autowired
    QboSandbox sandbox;
    @Autowired
    SourceClient source;

    @Test
    void eachChapterLandsInItsCompanyWithItsPrefixAndNothingElseDoes() {
        SampleSyncScenario.SourceData source = SampleSyncScenario.SourceData.read(this.source);
        SyncAwait.settled(records, source.invoices().size() + source.payments().size(), Duration.ofMinutes(3));
        assertThat(companies.all()).containsOnlyKeys("association", "pacific");
        String association = companies.realmOf("association").orElseThrow();
        String pacific = companies.realmOf("pacific").orElseThrow();
        assertThat(association).isNotEqualTo(pacific);
        SandboxInspector qbo = new SandboxInspector(sandbox.baseUrl());

        Map<String, String> realmOfInvoice = new HashMap<>();
        Map<String, Set<String>> billedParties = Map.of(association, new HashSet<>(), pacific, new HashSet<>());
        Map<String, Integer> syncedInvoices = new HashMap<>();
        for (SourceInvoice invoice : source.invoices()) {
            String realm = companies.realmOf(COMPANY.get(invoice.chapter())).orElseThrow();
            List<SyncRecord> recorded = records.findInEveryCompany(EntityType.INVOICE, invoice.id());
            assertThat(recorded).as("records of %s", invoice.id()).hasSize(1);
            SyncRecord r = recorded.get(0);
            assertThat(r.realmId()).as("company of %s (%s)", invoice.id(), invoice.chapter()).isEqualTo(realm);
            realmOfInvoice.put(invoice.id(), realm);
            billedParties.get(realm).add(invoice.billToType() + ":" + invoice.billToId());
            if (r.status() == SyncStatus.SYNCED) {
                syncedInvoices.merge(realm, 1, Integer::sum);
                JsonNode q = qbo.entities(realm, "Invoice").stream()
                        .filter(e -> e.get("Id").asText().equals(r.qboId())).findFirst().orElseThrow();
                assertThat(q.get("DocNumber").asText()).isEqualTo(PREFIX.get(invoice.chapter()) + invoice.number());
            }
        }
        assertThat(syncedInvoices.get(association)).isGreaterThan(50);
        assertThat(syncedInvoices.get(pacific)).isGreaterThan(10);
        // One QBO invoice per synced record in each company (plus the one the sandbox seed put in each).
        assertThat(qbo.entities(association, "Invoice")).hasSize(syncedInvoices.get(association) + 1);
        assertThat(qbo.entities(pacific, "Invoice")).hasSize(syncedInvoices.get(pacific) + 1);
        Set<String> associationNumbers = qbo.entities(association, "Invoice").stream()
                .map(e -> e.get("DocNumber").asText()).collect(Collectors.toSet());
        assertThat(associationNumbers.stream().filter(n -> !n.startsWith("N-") && !n.startsWith("S-"))).hasSize(1);

        Map<String, Integer> syncedPayments = new HashMap<>();
        for (SourcePayment payment : source.payments()) {
            SyncRecord r = records.findInEveryCompany(EntityType.PAYMENT, payment.id()).get(0);
            assertThat(r.realmId()).as("payment %s follows its invoice", payment.id())
                    .isEqualTo(realmOfInvoice.get(payment.invoiceId()));
            if (r.status() == SyncStatus.SYNCED) {
                syncedPayments.merge(r.realmId(), 1, Integer::sum);
            }
        }
        assertThat(qbo.entities(association, "Payment")).hasSize(syncedPayments.getOrDefault(association, 0));
        assertThat(qbo.entities(pacific, "Payment")).hasSize(syncedPayments.getOrDefault(pacific, 0));

        // A party is a customer where it is billed, or where it is the parent of a billed contact; nowhere else.
        int inBoth = 0;
        for (String realm : List.of(association, pacific)) {
            List<SyncRecord> customers = java.util.Arrays.stream(SyncStatus.values())
                    .flatMap(s -> records.findByStatus(s, 10_000).stream())
                    .filter(c -> c.entityType() == EntityType.CUSTOMER && c.realmId().equals(realm)).toList();
            Set<String> parents = customers.stream().map(SyncRecord::dependsOn).filter(java.util.Objects::nonNull)
                    .collect(Collectors.toSet());
            for (SyncRecord customer : customers) {
                assertThat(billedParties.get(realm).contains(customer.sourceId())
                        || parents.contains(EntityType.CUSTOMER.key(customer.sourceId())))
                        .as("%s is a customer in %s", customer.sourceId(), realm).isTrue();
            }
        }
        for (String party : billedParties.get(association)) {
            if (billedParties.get(pacific).contains(party)) {
                inBoth++;
                assertThat(records.findInEveryCompany(EntityType.CUSTOMER, party)).extracting(SyncRecord::realmId)
                        .containsExactlyInAnyOrder(association, pacific);
            }
        }
        assertThat(inBoth).as("parties billed by both companies").isGreaterThan(0);
    }
}
