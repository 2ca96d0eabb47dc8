package io.qbosync.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.qbosync.store.EntityType;
import io.qbosync.store.SyncRecord;
import io.qbosync.store.SyncStatus;

/**
 * Parties that share an e-mail address arrive in one poll and are pushed by several concurrent consumers: each
 * address must become exactly one QBO customer, the other party linked to it by e-mail. The customer messages of
 * one address share a JMS message group, so one consumer handles them in order.
 */
class SharedEmailMatchIT extends FaultHandlingItBase {

    @Test
    void partiesSharingAnEmailBecomeOneQboCustomerEvenWithConcurrentConsumers() {
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

        for (String invoice : invoices) {
            SyncRecord r = awaitStatus(EntityType.INVOICE, invoice, SyncStatus.SYNCED, SyncStatus.FAILED);
            assertThat(r.status()).as(invoice + ": " + describe(r)).isEqualTo(SyncStatus.SYNCED);
        }
        for (String email : emails) {
            assertThat(qbo.entities("Customer").stream()
                    .filter(c -> email.equals(c.path("PrimaryEmailAddr").path("Address").asText())))
                    .as("QBO customers with " + email).hasSize(1);
        }
    }
}
