package io.qbosync.faults;

import java.util.Locale;

import org.apache.camel.Exchange;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.qbosync.component.qbo.QboConstants;
import io.qbosync.component.qbo.QboFaultException;
import io.qbosync.store.EntityType;
import io.qbosync.sync.SyncHeaders;
import io.qbosync.sync.SyncWork;

/**
 * What a {@code qbo-errors-*} route is handling, read once from the exchange: the record being pushed, QBO's fault,
 * the write that was refused (intent {@code CREATE}/{@code UPDATE}/{@code VOID}, its requestid, and a private,
 * mutable copy of the request body), so that a handler can inspect it or retry a corrected copy.
 *
 * @param work      the record in hand (null when the fault happened outside any record)
 * @param fault     QBO's fault (null when the caught exception is something else)
 * @param intent    the write's intent, or null when the fault came from a read (a matching query, an item lookup)
 * @param body      a deep copy of the request body as JSON (empty object for a void or a read)
 * @param requestId the requestid the refused write carried, or null
 * @param entityId  header {@code QboEntityId} (voids name their target there), or null
 */
public record FailedWrite(SyncWork work, QboFaultException fault, String intent, ObjectNode body, String requestId,
        String entityId) {

    /** Exchange property keeping the failed write while several handler steps work on it. */
    static final String PROPERTY = "syncFailedWrite";

    /**
     * The failed write of this exchange, read on the first call and kept in an exchange property: later handler
     * steps must see the refused request, not the body an earlier step returned.
     */
    public static FailedWrite capture(Exchange exchange, ObjectMapper json) {
        FailedWrite kept = exchange.getProperty(PROPERTY, FailedWrite.class);
        // A kept write belongs to the fault it was read for; a later fault on the same exchange is read afresh.
        if (kept == null || kept.fault() != exchange.getProperty(Exchange.EXCEPTION_CAUGHT)) {
            kept = of(exchange, json);
            exchange.setProperty(PROPERTY, kept);
        }
        return kept;
    }

    /**
     * Reads the failed write from an exchange inside an {@code onException} block.
     *
     * @param json the QBO mapper, so that money in the copied body stays exact
     */
    public static FailedWrite of(Exchange exchange, ObjectMapper json) {
        SyncWork work = exchange.getProperty(SyncHeaders.WORK, SyncWork.class);
        Exception caught = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        if (caught == null) {
            caught = exchange.getException();
        }
        QboFaultException fault = caught instanceof QboFaultException q ? q : null;
        String intent = exchange.getIn().getHeader(SyncHeaders.INTENT, String.class);
        return new FailedWrite(work, fault, intent == null ? null : intent.toUpperCase(Locale.ROOT),
                copyOf(exchange.getIn().getBody(), json), exchange.getIn().getHeader(QboConstants.REQUEST_ID, String.class),
                exchange.getIn().getHeader(QboConstants.ENTITY_ID, String.class));
    }

    /** A copy of the refused request body that a repair may change freely. */
    public ObjectNode bodyCopy() {
        return body.deepCopy();
    }

    /** The record's entity type, or null outside a record. */
    public EntityType entityType() {
        return work == null ? null : work.record().entityType();
    }

    public String realmId() {
        return work.realmId();
    }

    /** QBO's name of the entity written ({@code Customer}, {@code Invoice}, {@code Payment}). */
    public String qboEntity() {
        return work.record().entityType().qboName();
    }

    /** True when the refused request was a create. */
    public boolean isCreate() {
        return "CREATE".equals(intent);
    }

    /** The QBO id the refused write addressed: the body's Id, else header QboEntityId, else the record's. */
    public String targetId() {
        JsonNode id = body.get("Id");
        if (id != null && !id.isNull()) {
            return id.asText();
        }
        if (entityId != null) {
            return entityId;
        }
        return work == null ? null : work.record().qboId();
    }

    /** "invoice I-0042", "customer contact:C-0007": how messages name the source record. */
    public String sourceName() {
        return work.record().entityType().name().toLowerCase(Locale.ROOT) + " " + work.record().sourceId();
    }

    private static ObjectNode copyOf(Object body, ObjectMapper json) {
        try {
            JsonNode node;
            if (body == null) {
                return json.createObjectNode();
            } else if (body instanceof JsonNode n) {
                node = n.deepCopy();
            } else if (body instanceof CharSequence s) {
                node = json.readTree(s.toString());
            } else {
                node = json.valueToTree(body);
            }
            return node instanceof ObjectNode o ? o : json.createObjectNode();
        } catch (Exception notJson) {
            // A read or a void carries no entity body; handlers that need one check for it.
            return json.createObjectNode();
        }
    }
}
