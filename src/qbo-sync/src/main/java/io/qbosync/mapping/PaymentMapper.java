package io.qbosync.mapping;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.camel.ExchangeProperty;
import org.apache.camel.Header;
import org.springframework.stereotype.Component;

import com.fasterxml.jackson.databind.JsonNode;

import io.qbosync.store.SyncRecord;
import io.qbosync.sync.SyncHeaders;
import io.qbosync.sync.SyncStore;
import io.qbosync.sync.SyncWork;

/** Builds the QBO Payment for a source payment, applied to its (already synced) invoice. */
@Component("paymentMapper")
public class PaymentMapper {

    private final SyncStore store;

    public PaymentMapper(SyncStore store) {
        this.store = store;
    }

    public Map<String, Object> toQbo(@ExchangeProperty(SyncHeaders.WORK) SyncWork work,
            @ExchangeProperty(SyncHeaders.DEPENDENCY) SyncRecord invoice) {
        JsonNode payment = work.payload().path("payment");
        Map<String, Object> qbo = new LinkedHashMap<>();
        if (work.record().qboId() != null) {
            // A changed source payment updates its QBO payment; creating a second one would double the money.
            qbo.put("Id", work.record().qboId());
            qbo.put("SyncToken", work.record().qboSyncToken());
            qbo.put("sparse", true);
        }
        qbo.put("CustomerRef", Map.of("value", store.qboIdOf(work.realmId(), invoice.dependsOn())));
        qbo.put("TotalAmt", payment.path("amount").decimalValue());
        if (payment.hasNonNull("paidOn")) {
            qbo.put("TxnDate", payment.get("paidOn").asText());
        }
        if (payment.hasNonNull("reference")) {
            qbo.put("PaymentRefNum", payment.get("reference").asText());
        }
        qbo.put("PrivateNote", InvoiceMapper.MARKER + work.record().sourceId());
        qbo.put("Line", List.of(Map.of(
                "Amount", payment.path("amount").decimalValue(),
                "LinkedTxn", List.of(Map.of("TxnId", invoice.qboId(), "TxnType", "Invoice")))));
        return qbo;
    }
}
