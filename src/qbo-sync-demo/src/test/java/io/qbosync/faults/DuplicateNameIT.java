package io.qbosync.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.qbosync.source.sample.SampleCases;
import io.qbosync.store.EntityType;
import io.qbosync.store.SyncRecord;
import io.qbosync.store.SyncRecordRepository;
import io.qbosync.store.SyncStatus;

/** QBO 6240 against the sandbox: policy {@code issue} and {@code suffix}, and never a second customer for a party. */
class DuplicateNameIT extends FaultHandlingItBase {

    @Test
    void issuePolicyFailsWithQbosReasonAndNamesTheHolder() {
        // The sample's contact "Daniel Whitfield" collides with the QBO vendor of that name (default policy).
        SyncRecord customer = record(EntityType.CUSTOMER, "contact:" + SampleCases.VENDOR_NAME_CONTACT_ID);
        assertThat(customer.status()).isEqualTo(SyncStatus.FAILED);
        assertThat(customer.faultCode()).isEqualTo("6240");
        assertThat(customer.faultMessage()).isEqualTo("Duplicate Name Exists Error");
        assertThat(customer.faultDetail()).contains("Id=");
        assertThat(customer.action()).contains("QBO Vendor").contains(SampleCases.VENDOR_NAME).contains("Match or create");

        SyncRecord invoice = record(EntityType.INVOICE, SampleCases.VENDOR_NAME_INVOICE_ID);
        assertThat(invoice.status()).isEqualTo(SyncStatus.HELD);
        assertThat(invoice.faultCode()).isEqualTo(SyncRecordRepository.WAITING_FOR_DEPENDENCY);
        assertThat(qbo.live("Customer", "DisplayName", SampleCases.VENDOR_NAME)).isEmpty();
    }

    @Test
    void suffixPolicyCreatesTheCustomerUnderTheSuffixedName() {
        policy("sync.errors.duplicate-name.policy", "suffix");
        // The sample's contact "Tomasz Nowak" collides with a QBO employee; a change in the source pushes it again.
        String contact = SampleCases.EMPLOYEE_NAME_CONTACT_ID;
        long lookups = exchangesThrough("qbo-calls-query");
        long repairs = exchangesThrough("qbo-calls-create");
        source().contactChange(contact, "phone", "+1 555 0100").send();
        poll();

        SyncRecord customer = awaitStatus(EntityType.CUSTOMER, "contact:" + contact, SyncStatus.SYNCED,
                SyncStatus.FAILED);
        assertThat(customer.status()).as(describe(customer)).isEqualTo(SyncStatus.SYNCED);
        assertThat(customer.faultCode()).isEqualTo("NAME_SUFFIXED");
        assertThat(customer.faultMessage()).contains("Tomasz Nowak (Customer)").contains("QBO Employee");
        JsonNode created = qbo.read("Customer", customer.qboId());
        assertThat(created.path("DisplayName").asText()).isEqualTo(SampleCases.EMPLOYEE_NAME + " (Customer)");
        assertThat(qbo.live("Employee", "DisplayName", SampleCases.EMPLOYEE_NAME)).hasSize(1);
        // The handler's look-up of the suffixed name and its repaired create went through qbo: (route statistics).
        assertThat(exchangesThrough("qbo-calls-query")).isGreaterThan(lookups);
        assertThat(exchangesThrough("qbo-calls-create")).isEqualTo(repairs + 1);

        // The invoice that waited for the customer is released and lands on it.
        SyncRecord invoice = awaitStatus(EntityType.INVOICE, SampleCases.EMPLOYEE_NAME_INVOICE_ID, SyncStatus.SYNCED);
        assertThat(qbo.read("Invoice", invoice.qboId()).path("CustomerRef").path("value").asText())
                .isEqualTo(customer.qboId());
    }

    @Test
    void neverASecondCustomerForAPartyWhoseInactiveCustomerHoldsTheName() {
        policy("sync.errors.duplicate-name.policy", "suffix");
        int n = SourceRecords.next();
        String name = "Nadia Hale" + n;
        String email = "nadia" + n + "@hale.example.org";
        JsonNode seeded = qbo.seed("""
                {"Customer":[{"DisplayName":"%s","GivenName":"Nadia","PrimaryEmailAddr":{"Address":"%s"},
                  "Active":false}]}""".formatted(name, email));
        String inactiveId = seeded.path("created").path("Customer").path(0).asText();
        String contact = "C-" + n;
        source().contact(contact, "Nadia", "Hale" + n, email).invoice("I-" + n, "FX-" + n, contact, null).send();
        poll();

        SyncRecord customer = awaitStatus(EntityType.CUSTOMER, "contact:" + contact, SyncStatus.FAILED,
                SyncStatus.SYNCED);
        assertThat(customer.status()).as(describe(customer)).isEqualTo(SyncStatus.FAILED);
        assertThat(customer.faultCode()).isEqualTo("6240");
        assertThat(customer.faultMessage()).contains("Customer " + inactiveId).contains(email).contains("inactive");
        assertThat(customer.action()).contains("Reactivate");
        assertThat(qbo.entities("Customer").stream()
                .filter(c -> email.equals(c.path("PrimaryEmailAddr").path("Address").asText()))).hasSize(1);
        assertThat(qbo.live("Customer", "DisplayName", name + " (Customer)")).isEmpty();

        // With reactivation allowed, the party's own customer comes back and is linked.
        policy("sync.errors.inactive-customer.policy", "reactivate");
        source().contactChange(contact, "phone", "+1 555 0101").send();
        poll();
        SyncRecord linked = awaitStatus(EntityType.CUSTOMER, "contact:" + contact, SyncStatus.SYNCED, SyncStatus.FAILED);
        assertThat(linked.status()).as(describe(linked)).isEqualTo(SyncStatus.SYNCED);
        assertThat(linked.qboId()).isEqualTo(inactiveId);
        assertThat(linked.matchedBy()).isEqualTo("EMAIL");
        assertThat(linked.faultCode()).isEqualTo("CUSTOMER_REACTIVATED");
        assertThat(qbo.read("Customer", inactiveId).path("Active").asBoolean()).isTrue();
        SyncRecord invoice = awaitStatus(EntityType.INVOICE, "I-" + n, SyncStatus.SYNCED);
        assertThat(qbo.read("Invoice", invoice.qboId()).path("CustomerRef").path("value").asText()).isEqualTo(inactiveId);
    }

    @Test
    void suffixPolicyFailsWhenTheSuffixedNameIsTakenToo() {
        policy("sync.errors.duplicate-name.policy", "suffix");
        int n = SourceRecords.next();
        String name = "Omar Reyes" + n;
        qbo.seed("""
                {"Vendor":[{"DisplayName":"%1$s"}],
                 "Customer":[{"DisplayName":"%1$s (Customer)","PrimaryEmailAddr":{"Address":"other%2$d@reyes.example.com"}}]}
                """.formatted(name, n));
        String contact = "C-" + n;
        source().contact(contact, "Omar", "Reyes" + n, "omar" + n + "@reyes.example.org")
                .invoice("I-" + n, "FX-" + n, contact, null).send();
        poll();

        SyncRecord customer = awaitStatus(EntityType.CUSTOMER, "contact:" + contact, SyncStatus.FAILED,
                SyncStatus.SYNCED);
        assertThat(customer.status()).as(describe(customer)).isEqualTo(SyncStatus.FAILED);
        assertThat(customer.faultCode()).isEqualTo("6240");
        assertThat(customer.faultMessage()).isEqualTo("The suffixed name '" + name + " (Customer)' is taken as well");
        assertThat(customer.faultDetail()).contains("Id=");
        List<JsonNode> named = qbo.entities("Customer").stream()
                .filter(c -> c.path("DisplayName").asText().startsWith(name)).toList();
        assertThat(named).hasSize(1);
    }
}
