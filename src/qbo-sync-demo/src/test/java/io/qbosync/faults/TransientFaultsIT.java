package io.qbosync.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.qbosync.component.qbo.client.RealmRateGovernor;
import io.qbosync.ops.RecordActions;
import io.qbosync.store.EntityType;
import io.qbosync.store.SyncRecord;
import io.qbosync.store.SyncStatus;

/**
 * Transient faults against the sandbox's fault injection: writes whose answer is lost by a QBO that also ignores
 * requestid, 5xx pages until the attempts are used up, throttling with Retry-After.
 */
class TransientFaultsIT extends FaultHandlingItBase {

    @Autowired
    RealmRateGovernor governor;
    @Autowired
    RecordActions actions;

    @Test
    void lostAnswersAreReconciledBeforeResendingSoNothingIsDuplicated() {
        // Every write is committed, then its answer is dropped; and QBO ignores requestid, so a blind re-send
        // would create a second customer, invoice and payment.
        qbo.faults("{\"timeoutAfterCommitRate\":1.0,\"ignoreRequestId\":true}");
        int n = SourceRecords.next();
        String contact = "C-" + n;
        String email = "selma" + n + "@ek.example.org";
        source().contact(contact, "Selma", "Ek" + n, email).invoice("I-" + n, "FX-" + n, contact, "lost answers")
                .payment("P-" + n, "I-" + n, new BigDecimal("450.00"), null).send();
        poll();

        SyncRecord payment = awaitStatus(EntityType.PAYMENT, "P-" + n, SyncStatus.SYNCED, SyncStatus.FAILED);
        qbo.clearFaults();
        assertThat(payment.status()).as(describe(payment)).isEqualTo(SyncStatus.SYNCED);
        SyncRecord customer = record(EntityType.CUSTOMER, "contact:" + contact);
        SyncRecord invoice = record(EntityType.INVOICE, "I-" + n);
        for (SyncRecord r : new SyncRecord[] {customer, invoice, payment}) {
            assertThat(r.status()).as(describe(r)).isEqualTo(SyncStatus.SYNCED);
            assertThat(r.matchedBy()).as(r.key()).isEqualTo("RECONCILED");
        }
        assertThat(qbo.entities("Customer").stream()
                .filter(c -> email.equals(c.path("PrimaryEmailAddr").path("Address").asText()))).hasSize(1);
        assertThat(qbo.live("Invoice", "DocNumber", "FX-" + n)).hasSize(1);
        assertThat(qbo.live("Payment", "PrivateNote", "qbo-sync:P-" + n)).hasSize(1);
        assertThat(qbo.read("Invoice", invoice.qboId()).path("Balance").decimalValue()).isZero();
    }

    @Test
    void aCreateAnEarlierAttemptLeftInQboIsLinkedNotSentAgain() {
        int n = SourceRecords.next();
        String contact = "C-" + n;
        source().contact(contact, "Ines", "Roth" + n, "ines" + n + "@roth.example.org")
                .invoice("I-" + n, "FX-" + n, contact, null).send();
        poll();
        SyncRecord invoice = awaitStatus(EntityType.INVOICE, "I-" + n, SyncStatus.SYNCED, SyncStatus.FAILED);
        assertThat(invoice.status()).as(describe(invoice)).isEqualTo(SyncStatus.SYNCED);

        // The payment's attempts all fail, so its requestid is minted and persisted but QBO has no payment...
        qbo.faults("{\"error5xxRate\":1.0}");
        source().payment("P-" + n, "I-" + n, new BigDecimal("450.00"), null).send();
        poll();
        SyncRecord failed = awaitStatus(EntityType.PAYMENT, "P-" + n, SyncStatus.FAILED, SyncStatus.SYNCED);
        assertThat(failed.status()).as(describe(failed)).isEqualTo(SyncStatus.FAILED);
        assertThat(failed.requestId()).isNotNull();
        // ...until one attempt turns out to have gone through after all, its answer lost (as when the app is killed
        // between QBO's commit and its own). And this QBO ignores requestid, so only a lookup can prevent a double.
        qbo.clearFaults();
        ObjectNode earlier = SandboxQbo.JSON.createObjectNode();
        earlier.putObject("CustomerRef").put("value", record(EntityType.CUSTOMER, "contact:" + contact).qboId());
        earlier.put("TotalAmt", new BigDecimal("450.00"));
        earlier.put("PrivateNote", "qbo-sync:P-" + n);
        ObjectNode line = earlier.putArray("Line").addObject();
        line.put("Amount", new BigDecimal("450.00"));
        line.putArray("LinkedTxn").addObject().put("TxnId", invoice.qboId()).put("TxnType", "Invoice");
        String earlierId = qbo.create("Payment", earlier).path("Id").asText();
        qbo.faults("{\"ignoreRequestId\":true}");

        actions.resync(failed.id(), "test");
        SyncRecord payment = await(EntityType.PAYMENT, "P-" + n, r -> r.status() != SyncStatus.PENDING
                && r.status() != SyncStatus.FAILED, "settled after resync");
        assertThat(payment.status()).as(describe(payment)).isEqualTo(SyncStatus.SYNCED);
        assertThat(payment.matchedBy()).isEqualTo("RECONCILED");
        assertThat(payment.qboId()).isEqualTo(earlierId);
        assertThat(qbo.live("Payment", "PrivateNote", "qbo-sync:P-" + n)).hasSize(1);
        assertThat(qbo.read("Invoice", invoice.qboId()).path("Balance").decimalValue()).isZero();
    }

    @Test
    void serverErrorsAreRetriedWithBackoffThenFailAndAResyncGoesThroughOnce() {
        qbo.faults("{\"error5xxRate\":1.0}");
        int n = SourceRecords.next();
        String contact = "C-" + n;
        String email = "pia" + n + "@lund.example.org";
        source().contact(contact, "Pia", "Lund" + n, email).invoice("I-" + n, "FX-" + n, contact, null).send();
        poll();

        SyncRecord failed = awaitStatus(EntityType.CUSTOMER, "contact:" + contact, SyncStatus.FAILED, SyncStatus.SYNCED);
        assertThat(failed.status()).as(describe(failed)).isEqualTo(SyncStatus.FAILED);
        assertThat(failed.faultCode()).matches("HTTP_50[03]");
        assertThat(failed.faultMessage()).contains("(5 attempts)");
        assertThat(failed.action()).contains("Resync");

        qbo.clearFaults();
        source().contactChange(contact, "phone", "+1 555 0199").send();
        poll();
        SyncRecord invoice = awaitStatus(EntityType.INVOICE, "I-" + n, SyncStatus.SYNCED, SyncStatus.FAILED);
        assertThat(invoice.status()).as(describe(invoice)).isEqualTo(SyncStatus.SYNCED);
        assertThat(qbo.entities("Customer").stream()
                .filter(c -> email.equals(c.path("PrimaryEmailAddr").path("Address").asText()))).hasSize(1);
        assertThat(qbo.live("Invoice", "DocNumber", "FX-" + n)).hasSize(1);
    }

    @Test
    void throttlingWaitsForRetryAfterAndThenSucceeds() {
        long throttledBefore = governor.stats(realm.realmId()).throttled429();
        // The next four calls are refused with 429 and Retry-After: 1; the client retries once itself, then Camel
        // redelivers after at least that long.
        qbo.faults("{\"throttleBurst\":4,\"retryAfterSeconds\":1}");
        int n = SourceRecords.next();
        String contact = "C-" + n;
        source().contact(contact, "Tove", "Sand" + n, "tove" + n + "@sand.example.org")
                .invoice("I-" + n, "FX-" + n, contact, null).send();
        poll();

        SyncRecord invoice = awaitStatus(EntityType.INVOICE, "I-" + n, SyncStatus.SYNCED, SyncStatus.FAILED);
        assertThat(invoice.status()).as(describe(invoice)).isEqualTo(SyncStatus.SYNCED);
        assertThat(governor.stats(realm.realmId()).throttled429() - throttledBefore).isEqualTo(4);
        assertThat(qbo.live("Invoice", "DocNumber", "FX-" + n)).hasSize(1);
    }
}
