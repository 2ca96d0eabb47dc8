package io.qbosync.faults;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.camel.Exchange;
import org.apache.camel.Header;
import org.springframework.stereotype.Component;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.qbosync.component.qbo.QboFaultException;
import io.qbosync.component.qbo.QboFaultFamily;
import io.qbosync.store.EntityType;
import io.qbosync.store.Fault;
import io.qbosync.sync.SyncHeaders;
import io.qbosync.sync.SyncMessage;
import io.qbosync.sync.SyncWork;

/**
 * QBO 6140 "Duplicate Document Number" on an invoice write (route {@code qbo-errors-duplicate-docnumber}).
 *
 * <p>{@link #inspect} reads the document that holds the number (QBO's detail names it: {@code TxnType=Invoice with
 * TxnId=2137}; otherwise it is queried by DocNumber). An invoice with the same customer and the same total is this
 * invoice already: the record is linked to it, so QBO gets no duplicate. That is also what happens when an earlier
 * create went through but its answer was lost. Any other holder is left to the policy: {@link #raiseIssue}, or
 * {@link #retryWithPrefix} with the configured prefix.
 */
@Component("duplicateDocNumberHandler")
public class DuplicateDocNumberHandler {

    /** Exchange property: the QBO document that holds the number, found by {@link #inspect}. */
    static final String CLASH = "syncDocClash";
    /** QBO's DocNumber limit. */
    static final int MAX_DOC_NUMBER = 21;
    private static final Pattern TXN_TYPE = Pattern.compile("TxnType\\s*=\\s*([A-Za-z]+)");

    /** The document holding the number: its type and id as QBO named them, and the invoice when it is one. */
    record Holder(String txnType, String txnId, Map<String, Object> invoice) {
        String describe(String docNumber) {
            if (invoice == null) {
                return "'" + docNumber + "' is used by QBO " + (txnType == null ? "document" : txnType)
                        + (txnId == null ? "" : " " + txnId) + ". ";
            }
            Object customer = invoice.get("CustomerRef") instanceof Map<?, ?> m ? m.get("name") : null;
            return "'" + docNumber + "' is used by QBO Invoice " + invoice.get("Id")
                    + (customer == null ? "" : " for customer '" + customer + "'") + ", total "
                    + invoice.get("TotalAmt") + ". ";
        }
    }

    private final QboLookups lookups;
    private final RepairWriter writer;
    private final FaultOutcomes outcomes;
    private final ObjectMapper json;

    public DuplicateDocNumberHandler(QboLookups lookups, RepairWriter writer, FaultOutcomes outcomes) {
        this.lookups = lookups;
        this.writer = writer;
        this.outcomes = outcomes;
        this.json = lookups.mapper();
    }

    /**
     * Links the QBO invoice that already has this number, customer and total (only when creating: an update must
     * not move the record to another QBO document). Otherwise remembers who holds the number and leaves the record
     * to the policy (header {@value SyncHeaders#RESOLVED} false).
     */
    public List<SyncMessage> inspect(Exchange exchange, @Header(SyncHeaders.ACTION) String action) {
        return outcomes.guarded(exchange, () -> {
            FailedWrite w = FailedWrite.capture(exchange, json);
            exchange.getIn().setHeader(SyncHeaders.RESOLVED, true);
            if (w.work() == null || w.fault() == null || w.entityType() != EntityType.INVOICE) {
                return w.work() == null ? List.of() : outcomes.fail(w.work(), w.fault() == null
                        ? Fault.of("INTERNAL_ERROR", "6140 handler without a QBO fault", action)
                        : FaultOutcomes.fault(w.fault(), action));
            }
            try {
                String doc = w.body().path("DocNumber").asText("");
                Holder holder = holder(w, doc);
                exchange.setProperty(CLASH, holder);
                if (w.isCreate() && holder.invoice() != null && sameInvoice(w, holder.invoice())) {
                    return outcomes.synced(w.work(), holder.invoice(), "DOC_NUMBER", Fault.of("LINKED_EXISTING",
                            "Linked to QBO Invoice " + holder.invoice().get("Id") + " '" + doc + "', which has the same"
                                    + " number, customer and total (an earlier create whose answer was lost, or one"
                                    + " entered by hand)", "None."));
                }
                exchange.getIn().setHeader(SyncHeaders.RESOLVED, false);
                return List.of();
            } catch (QboFaultException e) {
                return outcomes.repairFailed(w.work(), e, action);
            }
        });
    }

    /** Policy {@code issue}: the invoice fails with QBO's code and message, and what holds the number. */
    public List<SyncMessage> raiseIssue(Exchange exchange, @Header(SyncHeaders.ACTION) String action) {
        return outcomes.guarded(exchange, () -> {
            FailedWrite w = FailedWrite.capture(exchange, json);
            Holder holder = exchange.getProperty(CLASH, Holder.class);
            String doc = w.body().path("DocNumber").asText("");
            return outcomes.fail(w.work(), FaultOutcomes.fault(w.fault(), (holder == null ? "" : holder.describe(doc))
                    + action));
        });
    }

    /**
     * Policy {@code prefix}: the write is repeated once with {@code prefix} + the number (still within QBO's 21
     * characters). An invoice that already has the prefixed number, this customer and this total is linked instead.
     */
    public List<SyncMessage> retryWithPrefix(Exchange exchange, @Header(SyncHeaders.DOC_NUMBER_PREFIX) String prefix,
            @Header(SyncHeaders.ACTION) String action) {
        return outcomes.guarded(exchange, () -> {
            FailedWrite w = FailedWrite.capture(exchange, json);
            SyncWork work = w.work();
            String doc = w.body().path("DocNumber").asText("");
            String renumbered = (prefix == null ? "" : prefix) + doc;
            if (prefix == null || prefix.isBlank() || renumbered.length() > MAX_DOC_NUMBER) {
                return outcomes.fail(work, FaultOutcomes.fault(w.fault(), "Cannot renumber '" + doc + "' with prefix '"
                        + prefix + "': the result '" + renumbered + "' is empty or longer than QBO's " + MAX_DOC_NUMBER
                        + " characters", action));
            }
            try {
                if (w.isCreate()) {
                    Optional<Map<String, Object>> mine = lookups.invoicesByDocNumber(w.realmId(), renumbered).stream()
                            .filter(i -> sameInvoice(w, i)).findFirst();
                    if (mine.isPresent()) {
                        return outcomes.synced(work, mine.get(), "DOC_NUMBER", renumberedNote(doc, renumbered));
                    }
                }
                ObjectNode body = w.bodyCopy();
                body.put("DocNumber", renumbered);
                return outcomes.synced(work, writer.write(w, body, "pfx"), null, renumberedNote(doc, renumbered));
            } catch (QboFaultException again) {
                if (again.family() == QboFaultFamily.DUPLICATE_DOC_NUMBER) {
                    return outcomes.fail(work, FaultOutcomes.fault(again, "The prefixed number '" + renumbered
                            + "' is used in QBO as well", action));
                }
                return outcomes.repairFailed(work, again, action);
            }
        });
    }

    private static Fault renumberedNote(String doc, String renumbered) {
        return Fault.of("DOC_NUMBER_PREFIXED", "Numbered '" + renumbered + "' in QBO because '" + doc
                + "' is used by another QBO document", "None. The source keeps its own number.");
    }

    private Holder holder(FailedWrite w, String doc) {
        String detail = w.fault().detail() == null ? "" : w.fault().detail();
        Matcher type = TXN_TYPE.matcher(detail);
        String txnType = type.find() ? type.group(1) : null;
        String txnId = w.fault().existingId().orElse(null);
        if (txnId != null && (txnType == null || "Invoice".equalsIgnoreCase(txnType))) {
            Optional<Map<String, Object>> invoice = lookups.read(w.realmId(), "Invoice", txnId);
            if (invoice.isPresent()) {
                return new Holder("Invoice", txnId, invoice.get());
            }
        }
        if (txnType == null || "Invoice".equalsIgnoreCase(txnType)) {
            String self = w.work().record().qboId();
            for (Map<String, Object> invoice : lookups.invoicesByDocNumber(w.realmId(), doc)) {
                if (!Objects.equals(self, QboLookups.text(invoice, "Id"))) {
                    return new Holder("Invoice", QboLookups.text(invoice, "Id"), invoice);
                }
            }
        }
        return new Holder(txnType, txnId, null);
    }

    /** Same QBO customer and same total as the invoice being written. */
    private static boolean sameInvoice(FailedWrite w, Map<String, Object> invoice) {
        String ourCustomer = w.body().path("CustomerRef").path("value").asText(null);
        JsonNode total = w.work().payload().path("invoice").path("total");
        BigDecimal theirTotal = QboLookups.decimal(invoice, "TotalAmt");
        return ourCustomer != null && ourCustomer.equals(QboLookups.refValue(invoice, "CustomerRef"))
                && total.isNumber() && theirTotal != null && total.decimalValue().compareTo(theirTotal) == 0;
    }
}
