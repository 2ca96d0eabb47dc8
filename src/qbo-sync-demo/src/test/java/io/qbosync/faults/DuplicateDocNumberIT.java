package io.qbosync.faults;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import com.fasterxml.jackson.databind.JsonNode;

import io.qbosync.source.sample.SampleCases;
import io.qbosync.store.EntityType;
import io.qbosync.store.SyncRecord;
import io.qbosync.store.SyncStatus;

/** QBO 6140 against the sandbox: link the same invoice, issue for another one, or renumber with a prefix. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DuplicateDocNumberIT extends FaultHandlingItBase {

    @Test
    @Order(1)
    void anotherDocumentWithTheNumberFailsTheInvoiceNamingIt() {
        // The sample's I-0009 (GU-10009, Marcus Bell, 275.00) meets QBO's GU-10009 of Westbrook Library Friends.
        SyncRecord invoice = record(EntityType.INVOICE, SampleCases.DUPLICATE_NUMBER_INVOICE_ID);
        assertThat(invoice.status()).isEqualTo(SyncStatus.FAILED);
        assertThat(invoice.faultCode()).isEqualTo("6140");
        assertThat(invoice.faultMessage()).isEqualTo("Duplicate Document Number Error");
        assertThat(invoice.action()).contains("'" + SampleCases.DUPLICATE_DOC_NUMBER + "' is used by QBO Invoice")
                .contains(SampleCases.DUPLICATE_NUMBER_QBO_CUSTOMER).contains("total 80").contains("resync");
        assertThat(qbo.live("Invoice", "DocNumber", SampleCases.DUPLICATE_DOC_NUMBER)).hasSize(1);
    }

    @Test
    @Order(2)
    void theSameInvoiceAlreadyInQboIsLinkedNotDuplicated() {
        int n = SourceRecords.next();
        String contact = "C-" + n;
        String email = "ines" + n + "@moreau.example.org";
        String doc = "FX-" + n;
        // QBO already has this customer and this invoice (same number, customer and total), e.g. typed in by hand
        // or created by an earlier attempt whose answer was lost.
        JsonNode seeded = qbo.seed("""
                {"Customer":[{"DisplayName":"Ines Moreau%1$d","PrimaryEmailAddr":{"Address":"%2$s"}}],
                 "Invoice":[{"DocNumber":"%3$s","CustomerRef":{"name":"Ines Moreau%1$d"},
                   "Line":[{"DetailType":"SalesItemLineDetail","Amount":450.00,
                     "SalesItemLineDetail":{"ItemRef":{"name":"Gold Membership Dues"},"Qty":1,"UnitPrice":450.00}}]}]}
                """.formatted(n, email, doc));
        String existing = seeded.path("created").path("Invoice").path(0).asText();
        source().contact(contact, "Ines", "Moreau" + n, email).invoice("I-" + n, doc, contact, null).send();
        poll();

        SyncRecord invoice = awaitStatus(EntityType.INVOICE, "I-" + n, SyncStatus.SYNCED, SyncStatus.FAILED);
        assertThat(invoice.status()).as(describe(invoice)).isEqualTo(SyncStatus.SYNCED);
        assertThat(invoice.qboId()).isEqualTo(existing);
        assertThat(invoice.matchedBy()).isEqualTo("DOC_NUMBER");
        assertThat(invoice.faultCode()).isEqualTo("LINKED_EXISTING");
        assertThat(qbo.live("Invoice", "DocNumber", doc)).hasSize(1);
    }

    @Test
    @Order(3) // changes the sample's I-0009, which the first test reads as the sample left it
    void prefixPolicyRenumbersTheInvoice() {
        policy("sync.errors.duplicate-docnumber.policy", "prefix");
        policy("sync.errors.duplicate-docnumber.prefix", "CH2-");
        String id = SampleCases.DUPLICATE_NUMBER_INVOICE_ID;
        source().invoiceChange(id, "memo", "resent after renumbering").send();
        poll();

        SyncRecord invoice = awaitStatus(EntityType.INVOICE, id, SyncStatus.SYNCED, SyncStatus.FAILED);
        assertThat(invoice.status()).as(describe(invoice)).isEqualTo(SyncStatus.SYNCED);
        assertThat(invoice.faultCode()).isEqualTo("DOC_NUMBER_PREFIXED");
        JsonNode created = qbo.read("Invoice", invoice.qboId());
        assertThat(created.path("DocNumber").asText()).isEqualTo("CH2-" + SampleCases.DUPLICATE_DOC_NUMBER);
        String customer = record(EntityType.CUSTOMER, "contact:" + SampleCases.PLAIN_CONTACT_ID).qboId();
        assertThat(created.path("CustomerRef").path("value").asText()).isEqualTo(customer);
        // The QBO document that held the number is untouched.
        JsonNode holder = qbo.live("Invoice", "DocNumber", SampleCases.DUPLICATE_DOC_NUMBER).get(0);
        assertThat(holder.path("CustomerRef").path("name").asText()).isEqualTo(SampleCases.DUPLICATE_NUMBER_QBO_CUSTOMER);
    }
}
