package io.qbosync.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.qbosync.store.EntityType;
import io.qbosync.store.SyncRecord;
import io.qbosync.store.SyncStatus;

/**
 * QBO 5010 against the sandbox: a payment applied in QBO raises its invoice's SyncToken, so the next update of the
 * invoice from the source carries a stale one.
 */
class StaleSyncTokenIT extends FaultHandlingItBase {

    @Test
    void updateIsReappliedWithTheCurrentSyncToken() {
        String invoice = paidInvoice();
        String qboId = record(EntityType.INVOICE, invoice).qboId();
        String tokenAfterPayment = qbo.read("Invoice", qboId).path("SyncToken").asText();
        assertThat(record(EntityType.INVOICE, invoice).qboSyncToken()).isNotEqualTo(tokenAfterPayment);

        source().invoiceChange(invoice, "memo", "updated after the payment").send();
        poll();
        SyncRecord updated = await(EntityType.INVOICE, invoice,
                r -> r.status() != SyncStatus.PENDING && !tokenAfterPayment.equals(r.qboSyncToken())
                        && r.status() != SyncStatus.HELD, "the update settled");
        assertThat(updated.status()).as(describe(updated)).isEqualTo(SyncStatus.SYNCED);
        JsonNode inQbo = qbo.read("Invoice", qboId);
        assertThat(inQbo.path("PrivateNote").asText()).contains("updated after the payment");
        assertThat(updated.qboSyncToken()).isEqualTo(inQbo.path("SyncToken").asText());
        assertThat(inQbo.path("Balance").decimalValue()).isEqualByComparingTo("250.00");
    }

    @Test
    void withNoAttemptsLeftTheRecordFailsWithQbosReason() {
        policy("sync.errors.stale-synctoken.max-attempts", "0");
        String invoice = paidInvoice();
        source().invoiceChange(invoice, "memo", "updated after the payment").send();
        poll();
        SyncRecord failed = awaitStatus(EntityType.INVOICE, invoice, SyncStatus.FAILED);
        assertThat(failed.faultCode()).isEqualTo("5010");
        assertThat(failed.faultMessage()).isEqualTo("Stale Object Error");
        assertThat(failed.faultDetail()).contains("Stale Object Error");
        assertThat(failed.action()).contains("Resync");
    }

    /** A new contact's 450.00 invoice with a 200.00 payment applied, both synced. */
    private String paidInvoice() {
        int n = SourceRecords.next();
        String contact = "C-" + n;
        source().contact(contact, "Aiko", "Tanaka" + n, "aiko" + n + "@tanaka.example.org")
                .invoice("I-" + n, "FX-" + n, contact, "before the payment")
                .payment("P-" + n, "I-" + n, new BigDecimal("200.00"), "CHK-" + n).send();
        poll();
        awaitStatus(EntityType.PAYMENT, "P-" + n, SyncStatus.SYNCED);
        return "I-" + n;
    }
}
