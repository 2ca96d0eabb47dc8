package io.qbosync.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.qbosync.store.EntityType;
import io.qbosync.store.SyncRecord;
import io.qbosync.store.SyncStatus;

/**
 * Parties that share an e-mail address (a household, an office's billing address) arrive in one poll and are pushed
 * by several concurrent consumers. They are distinct parties: each becomes its own QBO customer, and no QBO customer
 * stands for two of them, whichever consumer takes which message first. (Before, the second party was linked by
 * e-mail to the customer just created for the first, and the company-name variant of that race linked a company to
 * one of its contacts.)
 */
class SharedEmailMatchIT extends FaultHandlingItBase {

    @Test
    void partiesSharingAnEmailStayDistinctQboCustomersEvenWithConcurrentConsumers() {
        int pairs = 16;
        SourceRecords batch = source();
        List<String> emails = new ArrayList<>();
        List<String> invoices = new ArrayList<>();
        for (int i = 0; i < pairs; i++) {
            int n = SourceRecords.next();
            String email = "shared" + n + "@household.example.org";
            emails.add(email);
            // Two people of one household with one address, each billed: different names, so only e-mail matches.
            batch.contact("C-" + n + "a", "Alva", "Berg" + n, email).invoice("I-" + n + "a", "SE-" + n + "a", "C-" + n + "a", null);
            batch.contact("C-" + n + "b", "Bo", "Dahl" + n, email).invoice("I-" + n + "b", "SE-" + n + "b", "C-" + n + "b", null);
            invoices.add("I-" + n + "a");
            invoices.add("I-" + n + "b");
        }
        batch.send();
        poll();

        java.util.Set<String> customerIds = new java.util.HashSet<>();
        for (String invoice : invoices) {
            SyncRecord r = awaitStatus(EntityType.INVOICE, invoice, SyncStatus.SYNCED, SyncStatus.FAILED);
            assertThat(r.status()).as(invoice + ": " + describe(r)).isEqualTo(SyncStatus.SYNCED);
            SyncRecord customer = record(EntityType.CUSTOMER, r.dependsOn().substring("CUSTOMER:".length()));
            assertThat(customer.matchedBy()).as("%s was created, not matched to the other party", customer.sourceId()).isNull();
            assertThat(customerIds.add(customer.qboId())).as("QBO customer %s stands for one party only", customer.qboId())
                    .isTrue();
            assertThat(qbo.read("Invoice", r.qboId()).path("CustomerRef").path("value").asText())
                    .as("%s is billed to its own party's customer", invoice).isEqualTo(customer.qboId());
        }
        for (String email : emails) {
            assertThat(qbo.entities("Customer").stream()
                    .filter(c -> email.equals(c.path("PrimaryEmailAddr").path("Address").asText())))
                    .as("QBO customers with " + email).hasSize(2);
        }
    }
}
