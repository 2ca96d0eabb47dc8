package io.qbosync.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The generic create / read / update / delete / void flow over {@link EntityRules}. Every write validates
 * first and only then hands its changes to the sink, so a fault never leaves a half-applied write.
 * Callers hold the realm's write lock for writes and its read lock for reads.
 */
final class EntityService {

    ObjectNode read(RealmState realm, EntityRules type, String idText) {
        Stored s = find(realm, type, idText);
        if (s == null) {
            throw Faults.fault(Faults.objectNotFound(type.plural()));
        }
        if (s.deleted()) {
            throw Faults.fault(Faults.deletedTransaction());
        }
        return type.render(realm, s.node());
    }

    /** POST /{entity}: an {@code Id} in the body makes it an update, as in QBO. */
    ObjectNode save(WriteContext ctx, EntityRules type, JsonNode body, Consumer<Change> sink) {
        ObjectNode input = requireObject(body);
        return input.hasNonNull("Id") ? update(ctx, type, input, sink) : create(ctx, type, input, sink);
    }

    ObjectNode create(WriteContext ctx, EntityRules type, ObjectNode input, Consumer<Change> sink) {
        ObjectNode candidate = input.deepCopy();
        strip(type, candidate);
        FaultCollector faults = new FaultCollector();
        FieldLimits.check(type.name(), candidate, faults);
        type.prepare(ctx, candidate, null, faults);
        faults.throwIfAny();
        long id = ctx.realm.allocateId();
        String now = ctx.clock.metaTime(ctx.now);
        ObjectNode node = stamp(candidate, id, "0", now, now);
        apply(ctx, type, null, node, sink);
        return type.render(ctx.realm, node);
    }

    ObjectNode update(WriteContext ctx, EntityRules type, ObjectNode input, Consumer<Change> sink) {
        Stored current = current(ctx, type, input);
        ObjectNode candidate;
        if (Json.bool(input, "sparse", false)) {
            candidate = current.node().deepCopy();
            strip(type, candidate);
            Iterator<Map.Entry<String, JsonNode>> it = input.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                if (EntityRules.SERVER_FIELDS.contains(e.getKey()) || type.readOnlyFields().contains(e.getKey())) {
                    continue;
                }
                if (e.getValue().isNull()) {
                    candidate.remove(e.getKey());
                } else {
                    candidate.set(e.getKey(), e.getValue().deepCopy());
                }
            }
        } else {
            candidate = input.deepCopy();
            strip(type, candidate);
        }
        FaultCollector faults = new FaultCollector();
        FieldLimits.check(type.name(), candidate, faults);
        type.prepare(ctx, candidate, current.node(), faults);
        faults.throwIfAny();
        ObjectNode node = stamp(candidate, current.id(), EntityRules.nextSyncToken(current.syncToken()),
                createTime(current), ctx.clock.metaTime(ctx.now));
        apply(ctx, type, current.node(), node, sink);
        return type.render(ctx.realm, node);
    }

    /** {@code ?operation=delete}: transactions only; answers QBO's {@code status: Deleted} stub. */
    ObjectNode delete(WriteContext ctx, EntityRules type, JsonNode body, Consumer<Change> sink) {
        if (!type.supportsDelete()) {
            throw Faults.fault(Faults.unsupported("Operation Delete is not supported for " + type.name()
                    + "; make it inactive with a sparse update \"Active\": false."));
        }
        Stored current = current(ctx, type, requireObject(body));
        type.checkDelete(ctx, current);
        List<Change> linked = type.linkedChanges(ctx, current.node(), null);
        sink.accept(new Change(type, new Stored(current.node(), true, ctx.now)));
        linked.forEach(sink);
        return deletedStub(current.node());
    }

    /** {@code ?operation=void} (and payments' {@code operation=update&include=void}). */
    ObjectNode voidTxn(WriteContext ctx, EntityRules type, JsonNode body, Consumer<Change> sink) {
        if (!type.supportsVoid()) {
            throw Faults.fault(Faults.unsupported("Operation Void is not supported for " + type.name() + "."));
        }
        Stored current = current(ctx, type, requireObject(body));
        ObjectNode voided = type.voided(ctx, current.node());
        voided.put("SyncToken", EntityRules.nextSyncToken(current.syncToken()));
        ((ObjectNode) voided.get("MetaData")).put("LastUpdatedTime", ctx.clock.metaTime(ctx.now));
        apply(ctx, type, current.node(), voided, sink);
        return type.render(ctx.realm, voided);
    }

    /** {@code POST /invoice/{id}/send}: marks the invoice e-mailed (optionally to {@code sendTo}). */
    ObjectNode markSent(WriteContext ctx, EntityRules type, String idText, String sendTo, Consumer<Change> sink) {
        Stored s = find(ctx.realm, type, idText);
        if (s == null) {
            throw Faults.fault(Faults.objectNotFound(type.plural()));
        }
        if (s.deleted()) {
            throw Faults.fault(Faults.deletedTransaction());
        }
        ObjectNode n = s.node().deepCopy();
        if (sendTo != null && !sendTo.isBlank()) {
            if (sendTo.length() > 100) {
                throw Faults.fault(Faults.stringLength("sendTo", 100, sendTo.length()));
            }
            n.putObject("BillEmail").put("Address", sendTo);
        }
        if (Json.text(n.path("BillEmail"), "Address") == null) {
            throw Faults.fault(Faults.businessValidation("There is no e-mail address to send this transaction to."));
        }
        n.put("EmailStatus", "EmailSent");
        ObjectNode delivery = n.putObject("DeliveryInfo");
        delivery.put("DeliveryType", "Email");
        delivery.put("DeliveryTime", ctx.clock.metaTime(ctx.now));
        n.put("SyncToken", EntityRules.nextSyncToken(s.syncToken()));
        ((ObjectNode) n.get("MetaData")).put("LastUpdatedTime", ctx.clock.metaTime(ctx.now));
        sink.accept(new Change(type, new Stored(n, false, ctx.now)));
        return type.render(ctx.realm, n);
    }

    static ObjectNode deletedStub(ObjectNode node) {
        ObjectNode stub = Json.object();
        stub.put("status", "Deleted");
        stub.put("domain", "QBO");
        stub.set("Id", node.get("Id"));
        return stub;
    }

    private void apply(WriteContext ctx, EntityRules type, ObjectNode before, ObjectNode after, Consumer<Change> sink) {
        List<Change> linked = new ArrayList<>(type.linkedChanges(ctx, before, after));
        sink.accept(new Change(type, new Stored(after, false, ctx.now)));
        linked.forEach(sink);
    }

    /** The stored entity named by the body's Id, checked against its SyncToken (610 / 5010). */
    private Stored current(WriteContext ctx, EntityRules type, ObjectNode input) {
        FaultCollector faults = new FaultCollector();
        String id = Json.text(input, "Id");
        String token = Json.text(input, "SyncToken");
        if (id == null) {
            faults.add(Faults.requiredParam("Id"));
        }
        if (token == null) {
            faults.add(Faults.requiredParam("SyncToken"));
        }
        faults.throwIfAny();
        Stored s = find(ctx.realm, type, id);
        if (s == null) {
            throw Faults.fault(Faults.objectNotFound(type.plural()));
        }
        if (s.deleted()) {
            throw Faults.fault(Faults.deletedTransaction());
        }
        if (!token.trim().equals(s.syncToken())) {
            throw Faults.fault(Faults.staleObject());
        }
        return s;
    }

    static Stored find(RealmState realm, EntityRules type, String idText) {
        if (idText == null) {
            return null;
        }
        try {
            return realm.get(type.name(), Long.parseLong(idText.trim()));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static ObjectNode requireObject(JsonNode body) {
        if (body instanceof ObjectNode o) {
            return o;
        }
        throw Faults.fault(Faults.unparsableBody());
    }

    private static void strip(EntityRules type, ObjectNode node) {
        node.remove(EntityRules.SERVER_FIELDS);
        node.remove(type.readOnlyFields());
    }

    private static String createTime(Stored s) {
        JsonNode ct = s.node().path("MetaData").get("CreateTime");
        return ct == null ? null : ct.asText();
    }

    private static ObjectNode stamp(ObjectNode body, long id, String syncToken, String createTime, String updateTime) {
        ObjectNode n = Json.object();
        n.setAll(body);
        n.put("domain", "QBO");
        n.put("sparse", false);
        n.put("Id", Long.toString(id));
        n.put("SyncToken", syncToken);
        ObjectNode md = n.putObject("MetaData");
        md.put("CreateTime", createTime == null ? updateTime : createTime);
        md.put("LastUpdatedTime", updateTime);
        return n;
    }
}
