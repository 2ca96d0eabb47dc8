package io.qbosync.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.qbosync.store.EntityType;
import io.qbosync.store.SyncRecord;
import io.qbosync.store.SyncStatus;

/**
 * QBO 610/2500 against the sandbox: an invoice deleted in QBO, an inactive customer, a customer QBO no longer
 * knows, an inactive item; policies {@code issue} and {@code recreate}, and customer reactivation.
 */
class StaleReferenceIT extends FaultHandlingItBase {

    @Test
    void deletedInvoiceIssuePolicyClearsTheIdAndAResyncCreatesItAgain() {
        Case c = syncedInvoice();
        qbo.delete("Invoice", c.invoiceQboId);
        source().invoiceChange(c.invoice, "memo", "changed after the QBO invoice was deleted").send();
        poll();

        SyncRecord failed = awaitStatus(EntityType.INVOICE, c.invoice, SyncStatus.FAILED, SyncStatus.SYNCED);
        assertThat(failed.status()).as(describe(failed)).isEqualTo(SyncStatus.FAILED);
        assertThat(failed.faultCode()).isEqualTo("610");
        assertThat(failed.faultMessage()).contains("QBO Invoice " + c.invoiceQboId).contains("invoice " + c.invoice)
                .contains("no longer exists");
        assertThat(failed.qboId()).isNull();

        // The action: resync. A new version is pushed as a create, since the stale id is gone.
        source().invoiceChange(c.invoice, "memo", "resynced").send();
        poll();
        SyncRecord resynced = awaitStatus(EntityType.INVOICE, c.invoice, SyncStatus.SYNCED);
        assertThat(resynced.qboId()).isNotEqualTo(c.invoiceQboId);
        assertThat(qbo.live("Invoice", "DocNumber", c.doc)).hasSize(1);
    }

    @Test
    void deletedInvoiceRecreatePolicyCreatesItAgain() {
        policy("sync.errors.stale-reference.policy", "recreate");
        Case c = syncedInvoice();
        qbo.delete("Invoice", c.invoiceQboId);
        source().invoiceChange(c.invoice, "memo", "changed after the QBO invoice was deleted").send();
        poll();

        SyncRecord invoice = await(EntityType.INVOICE, c.invoice,
                r -> r.status() != SyncStatus.PENDING && !c.invoiceQboId.equals(r.qboId()), "re-created");
        assertThat(invoice.status()).as(describe(invoice)).isEqualTo(SyncStatus.SYNCED);
        JsonNode recreated = qbo.read("Invoice", invoice.qboId());
        assertThat(recreated.path("PrivateNote").asText()).contains("changed after the QBO invoice was deleted");
        assertThat(qbo.live("Invoice", "DocNumber", c.doc)).hasSize(1);
    }

    @Test
    void inactiveCustomerFailsTheInvoiceNamingItThenReactivationLetsItThrough() {
        Case c = syncedInvoice();
        // Paid in full, so QBO lets the customer be made inactive (not with an open balance).
        source().payment("P-" + c.n, c.invoice, new BigDecimal("450.00"), null).send();
        poll();
        awaitStatus(EntityType.PAYMENT, "P-" + c.n, SyncStatus.SYNCED);
        qbo.sparseUpdate("Customer", c.customerQboId, SandboxQbo.JSON.createObjectNode().put("Active", false));

        String second = "I-" + c.n + "B";
        source().invoice(second, c.doc + "B", c.contact, "second invoice").send();
        poll();
        SyncRecord failed = awaitStatus(EntityType.INVOICE, second, SyncStatus.FAILED, SyncStatus.SYNCED);
        assertThat(failed.status()).as(describe(failed)).isEqualTo(SyncStatus.FAILED);
        assertThat(failed.faultCode()).isEqualTo("610");
        assertThat(failed.faultMessage()).contains("invoice " + second).contains("QBO Customer " + c.customerQboId)
                .contains("contact:" + c.contact).contains("inactive");
        assertThat(failed.action()).contains("Reactivate");

        policy("sync.errors.inactive-customer.policy", "reactivate");
        source().invoiceChange(second, "memo", "second invoice, resynced").send();
        poll();
        SyncRecord synced = awaitStatus(EntityType.INVOICE, second, SyncStatus.SYNCED, SyncStatus.FAILED);
        assertThat(synced.status()).as(describe(synced)).isEqualTo(SyncStatus.SYNCED);
        assertThat(synced.faultCode()).isEqualTo("CUSTOMER_REACTIVATED");
        assertThat(qbo.read("Customer", c.customerQboId).path("Active").asBoolean()).isTrue();
        assertThat(qbo.read("Invoice", synced.qboId()).path("CustomerRef").path("value").asText())
                .isEqualTo(c.customerQboId);
    }

    @Test
    void customerQboNoLongerKnowsIsMatchedAgainAndTheInvoiceWaitsForIt() {
        policy("sync.errors.stale-reference.policy", "recreate");
        Case c = syncedInvoice();
        // As after a merge in QBO: the store still points at a customer id that QBO no longer has.
        SyncRecord customer = record(EntityType.CUSTOMER, "contact:" + c.contact);
        records.markSynced(customer.id(), customer.sourceVersion(), "99" + c.n, "0", null, null);

        String second = "I-" + c.n + "B";
        source().invoice(second, c.doc + "B", c.contact, "after the merge").send();
        poll();
        SyncRecord invoice = awaitStatus(EntityType.INVOICE, second, SyncStatus.SYNCED, SyncStatus.FAILED);
        assertThat(invoice.status()).as(describe(invoice)).isEqualTo(SyncStatus.SYNCED);
        SyncRecord rematched = record(EntityType.CUSTOMER, "contact:" + c.contact);
        assertThat(rematched.status()).isEqualTo(SyncStatus.SYNCED);
        assertThat(rematched.qboId()).isEqualTo(c.customerQboId);
        assertThat(rematched.matchedBy()).isEqualTo("EMAIL");
        assertThat(qbo.read("Invoice", invoice.qboId()).path("CustomerRef").path("value").asText())
                .isEqualTo(c.customerQboId);
        assertThat(qbo.entities("Customer").stream()
                .filter(e -> c.email.equals(e.path("PrimaryEmailAddr").path("Address").asText()))).hasSize(1);
    }

    @Test
    void inactiveItemIsReplacedByTheActiveItemWithTheMappedSku() {
        // A Silver invoice first, so that the item id for SKU MEM-SILVER is cached.
        int n = SourceRecords.next();
        String contact = "C-" + n;
        source().contact(contact, "Ravi", "Kumar" + n, "ravi" + n + "@kumar.example.org")
                .invoice("I-" + n, "FX-" + n, contact, "Silver Membership", new BigDecimal("275.00"), null).send();
        poll();
        SyncRecord first = awaitStatus(EntityType.INVOICE, "I-" + n, SyncStatus.SYNCED);
        String oldItem = qbo.read("Invoice", first.qboId()).path("Line").path(0).path("SalesItemLineDetail")
                .path("ItemRef").path("value").asText();
        // In QBO the item is retired and a new one carries the SKU.
        qbo.sparseUpdate("Item", oldItem, SandboxQbo.JSON.createObjectNode().put("Active", false));
        JsonNode seeded = qbo.seed("""
                {"Item":[{"Name":"Silver Membership Dues %d","Sku":"MEM-SILVER","Type":"Service",
                  "IncomeAccountRef":{"name":"Membership Income"}}]}""".formatted(n));
        String newItem = seeded.path("created").path("Item").path(0).asText();

        String second = "I-" + n + "B";
        source().invoice(second, "FX-" + n + "B", contact, "Silver Membership", new BigDecimal("275.00"), null).send();
        poll();
        SyncRecord invoice = awaitStatus(EntityType.INVOICE, second, SyncStatus.SYNCED, SyncStatus.FAILED);
        assertThat(invoice.status()).as(describe(invoice)).isEqualTo(SyncStatus.SYNCED);
        assertThat(invoice.faultCode()).isEqualTo("ITEM_REPLACED");
        assertThat(qbo.read("Invoice", invoice.qboId()).path("Line").path(0).path("SalesItemLineDetail")
                .path("ItemRef").path("value").asText()).isEqualTo(newItem);
    }

    /** A new contact with one synced Gold invoice. */
    private Case syncedInvoice() {
        int n = SourceRecords.next();
        Case c = new Case(n);
        source().contact(c.contact, "Lena", "Vogel" + n, c.email).invoice(c.invoice, c.doc, c.contact, "first").send();
        poll();
        SyncRecord invoice = awaitStatus(EntityType.INVOICE, c.invoice, SyncStatus.SYNCED);
        c.invoiceQboId = invoice.qboId();
        c.customerQboId = record(EntityType.CUSTOMER, "contact:" + c.contact).qboId();
        return c;
    }

    private static final class Case {
        final int n;
        final String contact;
        final String email;
        final String invoice;
        final String doc;
        String invoiceQboId;
        String customerQboId;

        Case(int n) {
            this.n = n;
            this.contact = "C-" + n;
            this.email = "lena" + n + "@vogel.example.org";
            this.invoice = "I-" + n;
            this.doc = "FX-" + n;
        }
    }
}
