package io.qbosync.faults;

import java.util.Map;
import java.util.UUID;

import org.springframework.stereotype.Component;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.qbosync.gateway.QboGateway;

/**
 * Sends a corrected copy of a refused write (suffixed name, prefixed number, fresh SyncToken, shortened text…), through
 * {@code qboGateway} and so {@code qbo:}.
 *
 * <p>The corrected write gets its own requestid, derived from the refused one and a tag naming the repair
 * ({@code qs-12-create-0a1b2c3d4e5f-sfx}). It must differ from the refused one, because QBO may answer a reused
 * requestid with the old reply; it must be deterministic, because after a crash the same repair then reuses it and
 * QBO replays the answer instead of writing twice.
 */
@Component
public class RepairWriter {

    /** QBO's limit for {@code requestid} on single-entity calls. */
    static final int MAX_REQUEST_ID = 50;

    private final QboGateway qbo;

    public RepairWriter(QboGateway qbo) {
        this.qbo = qbo;
    }

    /** Repeats {@code failed}'s write (create, update or void) with {@code body}; returns the entity QBO answered. */
    public Map<String, Object> write(FailedWrite failed, ObjectNode body, String tag) {
        String realm = failed.realmId();
        String entity = failed.qboEntity();
        String requestId = derivedRequestId(failed.requestId(), tag);
        String intent = failed.intent() == null ? "" : failed.intent();
        return switch (intent) {
            case "CREATE" -> qbo.create(realm, entity, body, requestId);
            case "UPDATE" -> qbo.update(realm, entity, body, !body.has("sparse") || body.get("sparse").asBoolean(),
                    requestId);
            case "VOID" -> qbo.voidTransaction(realm, entity, failed.targetId(), body.path("SyncToken").asText(null),
                    requestId);
            default -> throw new IllegalStateException("No write to repeat for " + failed.sourceName()
                    + " (intent " + failed.intent() + ")");
        };
    }

    /**
     * Makes an inactive QBO customer active again (sparse {@code Active: true} with its current SyncToken), as QBO
     * advises instead of creating a second customer under another name.
     */
    public Map<String, Object> reactivateCustomer(String realmId, Map<String, Object> customer, String requestId) {
        ObjectNode body = qbo.mapper().createObjectNode();
        body.put("Id", QboLookups.text(customer, "Id"));
        body.put("SyncToken", QboLookups.text(customer, "SyncToken"));
        body.put("sparse", true);
        body.put("Active", true);
        return qbo.update(realmId, "Customer", body, true, requestId);
    }

    /**
     * {@code original + "-" + tag}, cut to QBO's 50 characters. Without an original (a write sent without one) a
     * random id is used: such a write had no idempotency to keep.
     */
    public static String derivedRequestId(String original, String tag) {
        String base = original == null || original.isBlank() ? "qs-" + UUID.randomUUID() : original;
        String suffix = "-" + tag;
        if (base.length() + suffix.length() > MAX_REQUEST_ID) {
            base = base.substring(0, MAX_REQUEST_ID - suffix.length());
        }
        return base + suffix;
    }
}
