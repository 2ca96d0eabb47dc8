package io.qbosync.mapping;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.camel.ExchangeProperty;
import org.apache.camel.Header;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import com.fasterxml.jackson.databind.JsonNode;

import io.qbosync.store.SyncRecord;
import io.qbosync.sync.SyncHeaders;
import io.qbosync.sync.SyncWork;

/**
 * Builds the QBO Invoice for a source invoice: its customer, its lines on the mapped item, its number with this
 * source's DocNumber prefix (chapters sharing one QBO company each use their own prefix), and a PrivateNote marker
 * that ties the QBO document back to the source record.
 */
@Component("invoiceMapper")
public class InvoiceMapper {

    /** Written into PrivateNote so that a QBO invoice can always be traced (and reconciled) to its source record. */
    public static final String MARKER = "qbo-sync:";

    private final String docNumberPrefix;

    public InvoiceMapper(@Value("${sync.invoice.doc-number-prefix:}") String docNumberPrefix) {
        this.docNumberPrefix = docNumberPrefix;
    }

    public Map<String, Object> toQbo(@ExchangeProperty(SyncHeaders.WORK) SyncWork work,
            @Header(SyncHeaders.ITEM_ID) String itemId, @ExchangeProperty(SyncHeaders.DEPENDENCY) SyncRecord customer) {
        JsonNode invoice = work.payload().path("invoice");
        Map<String, Object> qbo = new LinkedHashMap<>();
        if (work.record().qboId() != null) {
            qbo.put("Id", work.record().qboId());
            qbo.put("SyncToken", work.record().qboSyncToken());
            qbo.put("sparse", true);
        }
        qbo.put("DocNumber", docNumber(work.payload(), invoice.path("number").asText()));
        qbo.put("CustomerRef", Map.of("value", customer.qboId()));
        putDate(qbo, "TxnDate", invoice.path("issueDate"));
        putDate(qbo, "DueDate", invoice.path("dueDate"));
        qbo.put("PrivateNote", MARKER + work.record().sourceId()
                + (invoice.hasNonNull("memo") ? " " + invoice.get("memo").asText() : ""));
        List<Map<String, Object>> lines = new ArrayList<>();
        for (JsonNode line : invoice.path("lines")) {
            Map<String, Object> detail = new LinkedHashMap<>();
            detail.put("ItemRef", Map.of("value", itemId));
            detail.put("Qty", line.path("quantity").decimalValue());
            detail.put("UnitPrice", line.path("unitPrice").decimalValue());
            Map<String, Object> qboLine = new LinkedHashMap<>();
            qboLine.put("DetailType", "SalesItemLineDetail");
            qboLine.put("Amount", line.path("amount").decimalValue());
            if (line.hasNonNull("description")) {
                qboLine.put("Description", line.get("description").asText());
            }
            qboLine.put("SalesItemLineDetail", detail);
            lines.add(qboLine);
        }
        qbo.put("Line", lines);
        return qbo;
    }

    /**
     * The source number behind the prefix of the invoice's route (companies: in the mapping file, stored on the record
     * when it was registered), or {@code sync.invoice.doc-number-prefix} for a record from before routing.
     */
    public String docNumber(JsonNode payload, String sourceNumber) {
        JsonNode routed = payload.path("company").path("docNumberPrefix");
        return (routed.isTextual() ? routed.asText() : docNumberPrefix) + sourceNumber;
    }

    private static void putDate(Map<String, Object> target, String field, JsonNode value) {
        if (value.isTextual() && !value.asText().isBlank()) {
            target.put(field, value.asText());
        }
    }
}
