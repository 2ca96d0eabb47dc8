package io.qbosync.faults;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.apache.camel.Body;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import com.fasterxml.jackson.databind.JsonNode;

import io.qbosync.mapping.InvoiceMapper;
import io.qbosync.store.SyncRecord;
import io.qbosync.store.SyncRecordRepository;
import io.qbosync.sync.Payloads;
import io.qbosync.sync.SyncHeaders;
import io.qbosync.sync.SyncWork;

/**
 * Finds out whether a create whose answer was lost (timeout, dropped connection, 5xx after sending) went through,
 * by looking the record up in QBO by what qbo-sync wrote into it: an invoice by its DocNumber and the
 * {@code qbo-sync:<sourceId>} marker in PrivateNote, a payment by the same marker among its customer's payments, a
 * customer by its DisplayName (unique in QBO) when no other record is linked to it. Only an exact, single hit counts: a guess would link the wrong entity.
 */
@Component
public class WriteReconciler {

    private static final Logger LOG = LoggerFactory.getLogger(WriteReconciler.class);

    /** Header {@value SyncHeaders#MATCHED_BY} when a create is linked to what an earlier attempt left in QBO. */
    public static final String RECONCILED = "RECONCILED";

    private final QboLookups lookups;
    private final SyncRecordRepository records;

    public WriteReconciler(QboLookups lookups, SyncRecordRepository records) {
        this.lookups = lookups;
        this.records = records;
    }

    /**
     * Used by the push routes just before a create: when an earlier attempt with the same requestid may have reached
     * QBO (header {@value SyncHeaders#PRIOR_ATTEMPT}), looks for what it left there. If found, the body becomes that
     * entity and header {@value SyncHeaders#MATCHED_BY} is {@value #RECONCILED}, and the route links it instead of
     * sending the create again. QBO replays a requestid it has seen, but only for a while and only if it honours it at
     * all; this check does not depend on either.
     */
    public void findPriorCreate(@ExchangeProperty(SyncHeaders.WORK) SyncWork work,
            @Header(SyncHeaders.PRIOR_ATTEMPT) Boolean priorAttempt, @Body Map<String, Object> request, Exchange exchange) {
        if (!Boolean.TRUE.equals(priorAttempt)) {
            return;
        }
        Optional<Map<String, Object>> found = find(work, Payloads.JSON.valueToTree(request));
        if (found.isPresent()) {
            LOG.info("{} {}: an earlier attempt already created QBO {} {}; linking it instead of creating again",
                    work.record().entityType(), work.record().sourceId(), work.record().entityType().qboName(),
                    found.get().get("Id"));
            exchange.getIn().setBody(found.get());
            exchange.getIn().setHeader(SyncHeaders.MATCHED_BY, RECONCILED);
        }
    }

    /** The QBO entity the create of {@code work} produced, if QBO has it. */
    public Optional<Map<String, Object>> find(SyncWork work, JsonNode request) {
        String realm = work.realmId();
        SyncRecord record = work.record();
        return switch (record.entityType()) {
            case INVOICE -> {
                String doc = request.path("DocNumber").asText("");
                yield doc.isEmpty() ? Optional.empty()
                        : single(lookups.invoicesByDocNumber(realm, doc).stream()
                                .filter(i -> carriesMarker(i, record.sourceId())).toList());
            }
            case PAYMENT -> {
                String customer = request.path("CustomerRef").path("value").asText("");
                yield customer.isEmpty() ? Optional.empty()
                        : single(lookups.paymentsOfCustomer(realm, customer).stream()
                                .filter(p -> carriesMarker(p, record.sourceId())).toList());
            }
            case CUSTOMER -> {
                // DisplayName is unique in QBO, and it is what the create wrote; an e-mail may be shared by parties.
                // A customer another record is linked to is that party's, never this one's.
                String name = request.path("DisplayName").asText("");
                yield name.isBlank() ? Optional.empty()
                        : single(lookups.customersByName(realm, name, false).stream()
                                .filter(c -> records.customerLinkedTo(realm, QboLookups.text(c, "Id"), record.id()).isEmpty())
                                .toList());
            }
        };
    }

    /**
     * True when PrivateNote is exactly the marker of this source record, or starts with it followed by a space
     * (invoices append the memo); {@code qbo-sync:I-1} must not match {@code qbo-sync:I-10}.
     */
    static boolean carriesMarker(Map<String, Object> entity, String sourceId) {
        String note = QboLookups.text(entity, "PrivateNote");
        String marker = InvoiceMapper.MARKER + sourceId;
        return note != null && (note.equals(marker) || note.startsWith(marker + " "));
    }

    private static Optional<Map<String, Object>> single(List<Map<String, Object>> found) {
        return found.size() == 1 ? Optional.of(found.get(0)) : Optional.empty();
    }
}
