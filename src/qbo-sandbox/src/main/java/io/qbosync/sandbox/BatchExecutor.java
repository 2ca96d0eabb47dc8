package io.qbosync.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.HashSet;
import java.util.Iterator;
import java.util.Locale;
import java.util.Set;

/**
 * {@code POST /batch} (fact sheet §5): up to 30 items, each a create/update/delete (void = update with
 * {@code optionsData: "void"}) or a {@code Query}; every item answers with its entity, a QueryResponse or
 * its own Fault, and the call itself is 200. Items run in order in one transaction.
 */
final class BatchExecutor {
    static final int MAX_ITEMS = 30;
    static final int MAX_BID = 10;

    private final SandboxEngine engine;

    BatchExecutor(SandboxEngine engine) {
        this.engine = engine;
    }

    /** Checks the envelope before any lock is taken: item count, bId presence, length and uniqueness. */
    ArrayNode validate(JsonNode body) {
        JsonNode items = body == null ? null : body.get("BatchItemRequest");
        if (items == null || !items.isArray() || items.isEmpty()) {
            throw Faults.fault(Faults.requiredParam("BatchItemRequest"));
        }
        if (items.size() > MAX_ITEMS) {
            throw Faults.fault(Faults.invalidProperty("Property Name:BatchItemRequest holds " + items.size()
                    + " items; at most " + MAX_ITEMS + " are supported", "BatchItemRequest"));
        }
        Set<String> seen = new HashSet<>();
        FaultCollector faults = new FaultCollector();
        for (JsonNode item : items) {
            String bId = Json.text(item, "bId");
            if (!item.isObject() || bId == null || bId.isEmpty()) {
                faults.add(Faults.requiredParam("bId"));
            } else if (bId.length() > MAX_BID) {
                faults.add(Faults.stringLength("bId", MAX_BID, bId.length()));
            } else if (!seen.add(bId)) {
                faults.add(Faults.invalidProperty("Property Name:bId " + bId + " is used twice", "bId"));
            }
        }
        faults.throwIfAny();
        return (ArrayNode) items;
    }

    /** Runs the items; caller holds the write lock through {@link SandboxEngine#write}. */
    ArrayNode run(RealmState realm, ArrayNode items, boolean allowDuplicateDocNumber, SandboxEngine.WriteTx tx) {
        ArrayNode out = Json.array();
        for (JsonNode item : items) {
            ObjectNode resp = out.addObject();
            resp.put("bId", Json.text(item, "bId"));
            try {
                if (item.has("Query")) {
                    resp.set("QueryResponse", engine.queries.run(realm, Json.text(item, "Query")));
                    continue;
                }
                String op = Json.text(item, "operation");
                if (op == null) {
                    throw Faults.fault(Faults.requiredParam("operation"));
                }
                EntityRules type = null;
                JsonNode payload = null;
                Iterator<String> names = item.fieldNames();
                while (names.hasNext() && type == null) {
                    String n = names.next();
                    EntityRules r = engine.catalog.find(n);
                    if (r != null && r.name().equals(n)) {
                        type = r;
                        payload = item.get(n);
                    }
                }
                if (type == null || !payload.isObject()) {
                    throw Faults.fault(Faults.unsupported("Batch item " + Json.text(item, "bId")
                            + " names no supported entity."));
                }
                WriteContext ctx = new WriteContext(realm, engine.catalog, engine.clock, allowDuplicateDocNumber, false);
                ObjectNode body = (ObjectNode) payload;
                ObjectNode result = switch (op.toLowerCase(Locale.ROOT)) {
                    case "create" -> engine.entities.create(ctx, type, body, tx);
                    case "update" -> "void".equalsIgnoreCase(Json.text(item, "optionsData"))
                            ? engine.entities.voidTxn(ctx, type, body, tx)
                            : engine.entities.update(ctx, type, body, tx);
                    case "delete" -> engine.entities.delete(ctx, type, body, tx);
                    default -> throw Faults.fault(Faults.unsupported("Operation " + op + " is not supported."));
                };
                resp.set(type.name(), result);
            } catch (QboFault f) {
                resp.set("Fault", f.faultNode());
            }
        }
        return out;
    }
}
