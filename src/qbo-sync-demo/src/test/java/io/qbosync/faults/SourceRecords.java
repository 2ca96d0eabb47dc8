package io.qbosync.faults;

import java.math.BigDecimal;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.qbosync.source.sample.SampleSourceAdmin;

/**
 * Builds records for the sample source's admin endpoint ({@code POST /sample/records}) and sends them: new contacts,
 * invoices and payments with ids no generated record uses, or changes to existing ones.
 */
final class SourceRecords {

    private static final AtomicInteger NEXT = new AtomicInteger(9000);

    private final SampleSourceAdmin admin;
    private final ObjectNode changes = SandboxQbo.JSON.createObjectNode();

    private SourceRecords(SampleSourceAdmin admin) {
        this.admin = admin;
    }

    static SourceRecords to(SampleSourceAdmin admin) {
        return new SourceRecords(admin);
    }

    /** A number unique in this JVM, for ids, invoice numbers and e-mail addresses. */
    static int next() {
        return NEXT.incrementAndGet();
    }

    SourceRecords contact(String id, String first, String last, String email) {
        ObjectNode c = array("contacts").addObject();
        c.put("id", id);
        c.put("firstName", first);
        c.put("lastName", last);
        if (email != null) {
            c.put("email", email);
        }
        return this;
    }

    /** A change to fields of an existing contact (merged onto the stored record). */
    SourceRecords contactChange(String id, String field, String value) {
        ObjectNode c = array("contacts").addObject();
        c.put("id", id);
        c.put(field, value);
        return this;
    }

    /** A one-line Gold Membership invoice (450.00) for a contact. */
    SourceRecords invoice(String id, String number, String contactId, String memo) {
        return invoice(id, number, contactId, "Gold Membership", new BigDecimal("450.00"), memo);
    }

    SourceRecords invoice(String id, String number, String contactId, String membershipType, BigDecimal amount,
            String memo) {
        ObjectNode i = array("invoices").addObject();
        i.put("id", id);
        i.put("number", number);
        i.put("billToType", "contact");
        i.put("billToId", contactId);
        i.put("category", "membership");
        i.put("typeName", membershipType);
        i.put("issueDate", "2026-03-02");
        i.put("dueDate", "2026-04-01");
        i.put("currency", "USD");
        ObjectNode line = i.putArray("lines").addObject();
        line.put("description", membershipType + " dues");
        line.put("quantity", BigDecimal.ONE);
        line.put("unitPrice", amount);
        line.put("amount", amount);
        i.put("total", amount);
        i.put("status", "open");
        if (memo != null) {
            i.put("memo", memo);
        }
        return this;
    }

    /** A change to one text field of an existing invoice. */
    SourceRecords invoiceChange(String id, String field, String value) {
        ObjectNode i = array("invoices").addObject();
        i.put("id", id);
        i.put(field, value);
        return this;
    }

    SourceRecords payment(String id, String invoiceId, BigDecimal amount, String reference) {
        ObjectNode p = array("payments").addObject();
        p.put("id", id);
        p.put("invoiceId", invoiceId);
        p.put("amount", amount);
        p.put("paidOn", "2026-03-05");
        p.put("method", "check");
        if (reference != null) {
            p.put("reference", reference);
        }
        return this;
    }

    SourceRecords paymentChange(String id, String field, String value) {
        ObjectNode p = array("payments").addObject();
        p.put("id", id);
        p.put(field, value);
        return this;
    }

    /** Stores the records in the sample source (all or nothing). */
    void send() {
        admin.putRecords(changes);
    }

    private ArrayNode array(String name) {
        return changes.has(name) ? (ArrayNode) changes.get(name) : changes.putArray(name);
    }
}
