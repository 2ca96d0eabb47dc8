package io.qbosync.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.qbosync.store.EntityType;
import io.qbosync.store.SyncRecord;
import io.qbosync.store.SyncStatus;

/** QBO 2050 against the sandbox: per-field truncate (with marker and note) or fail naming field and limit. */
class StringLengthIT extends FaultHandlingItBase {

    @Test
    void freeTextAndNamePartsAreCutWithAMarkerAndTheRecordSaysSo() {
        int n = SourceRecords.next();
        String contact = "C-" + n;
        String longFirstName = "Maximiliane" + "x".repeat(110);         // GivenName: QBO allows 100
        String memo = "Conference notes " + "y".repeat(3983);            // 4000, plus the marker: over 4000
        source().contact(contact, longFirstName, "Brandt" + n, "max" + n + "@brandt.example.org")
                .invoice("I-" + n, "FX-" + n, contact, memo).send();
        poll();

        SyncRecord customer = awaitStatus(EntityType.CUSTOMER, "contact:" + contact, SyncStatus.SYNCED, SyncStatus.FAILED);
        assertThat(customer.status()).as(describe(customer)).isEqualTo(SyncStatus.SYNCED);
        assertThat(customer.faultCode()).isEqualTo("TRUNCATED");
        assertThat(customer.faultMessage()).contains("GivenName cut to 100 characters (was 121)");
        JsonNode qboCustomer = qbo.read("Customer", customer.qboId());
        assertThat(qboCustomer.path("GivenName").asText()).hasSize(100).endsWith("…");
        assertThat(qboCustomer.path("DisplayName").asText()).isEqualTo(longFirstName + " Brandt" + n);

        SyncRecord invoice = awaitStatus(EntityType.INVOICE, "I-" + n, SyncStatus.SYNCED, SyncStatus.FAILED);
        assertThat(invoice.status()).as(describe(invoice)).isEqualTo(SyncStatus.SYNCED);
        assertThat(invoice.faultCode()).isEqualTo("TRUNCATED");
        assertThat(invoice.faultMessage()).contains("PrivateNote cut to 4000 characters");
        String note = qbo.read("Invoice", invoice.qboId()).path("PrivateNote").asText();
        assertThat(note).hasSize(4000).startsWith("qbo-sync:I-" + n + " Conference notes").endsWith("…");
    }

    @Test
    void aFieldWhosePolicyIsFailNamesFieldAndLimitUntilThePolicyAllowsCutting() {
        int n = SourceRecords.next();
        String contact = "C-" + n;
        String reference = "WIRE-" + "0123456789".repeat(3);           // 35; QBO's PaymentRefNum allows 21
        source().contact(contact, "Jonas", "Berg" + n, "jonas" + n + "@berg.example.org")
                .invoice("I-" + n, "FX-" + n, contact, null)
                .payment("P-" + n, "I-" + n, new BigDecimal("450.00"), reference).send();
        poll();

        SyncRecord failed = awaitStatus(EntityType.PAYMENT, "P-" + n, SyncStatus.FAILED, SyncStatus.SYNCED);
        assertThat(failed.status()).as(describe(failed)).isEqualTo(SyncStatus.FAILED);
        assertThat(failed.faultCode()).isEqualTo("2050");
        assertThat(failed.faultMessage()).isEqualTo("Payment field PaymentRefNum of payment P-" + n
                + " is 35 characters long; QBO allows 21");
        assertThat(failed.action()).contains("PaymentRefNum").contains("21");
        assertThat(qbo.query("SELECT * FROM Payment WHERE PaymentRefNum = '" + reference + "'", "Payment")).isEmpty();

        // The integration engineer allows cutting references; the next version goes through.
        policy("sync.errors.string-length.fields", "PaymentRefNum=truncate,*=fail");
        source().paymentChange("P-" + n, "reference", reference + "-2").send();
        poll();
        SyncRecord synced = awaitStatus(EntityType.PAYMENT, "P-" + n, SyncStatus.SYNCED, SyncStatus.FAILED);
        assertThat(synced.status()).as(describe(synced)).isEqualTo(SyncStatus.SYNCED);
        assertThat(qbo.read("Payment", synced.qboId()).path("PaymentRefNum").asText())
                .isEqualTo(reference.substring(0, 20) + "…");
    }
}
