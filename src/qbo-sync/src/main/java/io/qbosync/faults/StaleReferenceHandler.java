package io.qbosync.faults;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.apache.camel.Exchange;
import org.apache.camel.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.qbosync.component.qbo.QboFaultException;
import io.qbosync.matching.ItemResolver;
import io.qbosync.store.EntityType;
import io.qbosync.store.Fault;
import io.qbosync.store.RequestIds;
import io.qbosync.store.SyncRecord;
import io.qbosync.store.SyncRecordRepository;
import io.qbosync.sync.SyncHeaders;
import io.qbosync.sync.SyncMessage;
import io.qbosync.sync.SyncRejection;
import io.qbosync.sync.SyncStore;

/**
 * QBO 610 "Object Not Found" and 2500 "Invalid Reference Id" (route {@code qbo-errors-stale-reference}): something
 * the write refers to was deleted, merged away or made inactive in QBO. QBO rarely says which reference; so
 * {@link #locate} asks QBO, guided by the fault's element and detail: the record's own QBO entity (an update or void
 * of a deleted invoice), the customer of an invoice or payment, an item on an invoice line, the invoice a payment
 * applies to.
 *
 * <ul>
 * <li>An item: the item cache is forgotten and the item found again by SKU; the write is repeated with it.</li>
 * <li>An inactive customer with {@code sync.errors.inactive-customer.policy=reactivate}: reactivated, write
 * repeated.</li>
 * <li>Otherwise the policy decides. {@link #recreate}: the stale QBO id is cleared in the store and the entity matched
 * or created again (a customer is matched again by e-mail and name; dependants wait for it). {@link #raiseIssue}:
 * the stale id is cleared and the record (or the customer or invoice it needs) fails with a message naming the QBO
 * entity and the source record.</li>
 * </ul>
 */
@Component("staleReferenceHandler")
public class StaleReferenceHandler {

    private static final Logger LOG = LoggerFactory.getLogger(StaleReferenceHandler.class);

    /** Exchange property: the stale reference {@link #locate} found. */
    static final String STALE = "syncStaleReference";

    /** What was found stale. */
    enum Kind {
        /** The record's own QBO entity (update or void of something deleted in QBO). */
        OWN,
        /** The customer of an invoice or payment. */
        CUSTOMER,
        /** An item on an invoice line. */
        ITEM,
        /** The invoice a payment applies to. */
        INVOICE,
        /** Nothing qbo-sync can repair (an account, or nothing found). */
        OTHER
    }

    /**
     * @param kind    which reference
     * @param qboId   its QBO id
     * @param deleted true when QBO no longer has it; false when it is inactive
     * @param entity  the inactive entity as QBO returned it (null when deleted)
     * @param holder  the sync record that carries the stale id (the record itself, its customer or its invoice)
     */
    record Stale(Kind kind, String qboId, boolean deleted, Map<String, Object> entity, SyncRecord holder) {
        String entityName() {
            return switch (kind) {
                case OWN -> holder == null ? "entity" : holder.entityType().qboName();
                case CUSTOMER -> "Customer";
                case ITEM -> "Item";
                case INVOICE -> "Invoice";
                case OTHER -> "entity";
            };
        }

        String describe() {
            String name = entity == null ? null
                    : QboLookups.text(entity, entity.containsKey("DisplayName") ? "DisplayName" : "Name");
            return "QBO " + entityName() + " " + qboId + (name == null ? "" : " '" + name + "'")
                    + (holder == null ? "" : " (source " + holder.entityType().name().toLowerCase(Locale.ROOT) + " "
                    + holder.sourceId() + ")");
        }

        String state() {
            return deleted ? "no longer exists in QBO (deleted or merged)" : "is inactive in QBO";
        }
    }

    private final QboLookups lookups;
    private final RepairWriter writer;
    private final FaultOutcomes outcomes;
    private final SyncRecordRepository records;
    private final ItemResolver items;
    private final ObjectMapper json;

    public StaleReferenceHandler(QboLookups lookups, RepairWriter writer, FaultOutcomes outcomes,
            SyncRecordRepository records, ItemResolver items) {
        this.lookups = lookups;
        this.writer = writer;
        this.outcomes = outcomes;
        this.records = records;
        this.items = items;
        this.json = lookups.mapper();
    }

    /**
     * Finds the stale reference. Repairs that create nothing happen here, whatever the policy: a stale item is
     * replaced by the active item with the mapped SKU; an inactive customer is reactivated when
     * {@code inactiveCustomerPolicy} is {@code reactivate}. Anything else is left to the policy (header
     * {@code syncResolved} false); a reference qbo-sync cannot repair (an account) fails the record.
     */
    public List<SyncMessage> locate(Exchange exchange,
            @Header(SyncHeaders.INACTIVE_CUSTOMER_POLICY) String inactiveCustomerPolicy,
            @Header(SyncHeaders.ACTION) String action) {
        return outcomes.guarded(exchange, () -> {
            FailedWrite w = FailedWrite.capture(exchange, json);
            exchange.getIn().setHeader(SyncHeaders.RESOLVED, true);
            if (w.work() == null || w.fault() == null) {
                return List.of();
            }
            try {
                Stale stale = find(w);
                exchange.setProperty(STALE, stale);
                if (stale.kind() == Kind.ITEM) {
                    return replaceItem(exchange, w, stale, action);
                }
                if (stale.kind() == Kind.CUSTOMER && !stale.deleted() && "reactivate".equals(inactiveCustomerPolicy)) {
                    writer.reactivateCustomer(w.realmId(), stale.entity(),
                            RepairWriter.derivedRequestId(w.requestId(), "react"));
                    return outcomes.synced(w.work(), writer.write(w, w.bodyCopy(), "ra"), null, Fault.of(
                            "CUSTOMER_REACTIVATED", "Reactivated " + stale.describe() + " to write " + w.sourceName(),
                            "None. Make the customer inactive in QBO again if it should not be billed."));
                }
                if (stale.kind() == Kind.OTHER) {
                    return outcomes.fail(w.work(), FaultOutcomes.fault(w.fault(), action));
                }
                exchange.getIn().setHeader(SyncHeaders.RESOLVED, false);
                return List.of();
            } catch (QboFaultException e) {
                return outcomes.repairFailed(w.work(), e, action);
            }
        });
    }

    /**
     * Policy {@code recreate}: clears the stale QBO id and pushes again. The record's own deleted entity is created
     * again; a stale customer (or a payment's deleted invoice) is matched or created again while this record waits
     * for it (HELD, released automatically). A void of a deleted invoice has nothing left to do (SKIPPED).
     */
    public List<SyncMessage> recreate(Exchange exchange, @Header(SyncHeaders.ACTION) String action) {
        return outcomes.guarded(exchange, () -> {
            FailedWrite w = FailedWrite.capture(exchange, json);
            Stale stale = exchange.getProperty(STALE, Stale.class);
            SyncRecord record = w.work().record();
            switch (stale.kind()) {
                case OWN -> {
                    if ("VOID".equals(w.intent())) {
                        return skipVoid(w, stale);
                    }
                    records.clearQboLink(record.id());
                    renewCreateRequestId(record);
                    LOG.info("{} {}; creating {} again", stale.describe(), stale.state(), w.sourceName());
                    return List.of(SyncStore.message(records.findById(record.id()).orElseThrow()));
                }
                case CUSTOMER, INVOICE -> {
                    SyncRecord holder = stale.holder();
                    if (holder == null) {
                        return outcomes.fail(w.work(), staleFault(w, stale, action));
                    }
                    if (!stillLinked(holder, stale)) {
                        // Another record ran into the same stale id first and has it matched again already.
                        return waitOrRetry(w, stale, holder, action);
                    }
                    // Hold this record before its dependency is queued, so that the dependency's sync releases it.
                    waitFor(w, stale, holder, action);
                    records.clearQboLink(holder.id());
                    renewCreateRequestId(holder);
                    records.markPending(holder.id());
                    LOG.info("{} {}; matching or creating it again for {}", stale.describe(), stale.state(), w.sourceName());
                    return List.of(SyncStore.message(records.findById(holder.id()).orElseThrow()));
                }
                default -> {
                    return outcomes.fail(w.work(), staleFault(w, stale, action));
                }
            }
        });
    }

    /**
     * Policy {@code issue}: a deleted entity's QBO id is cleared in the store (so that a resync creates it again) and
     * the record that owns it fails with a message naming the QBO entity and the source record; a record waiting for
     * that customer or invoice is HELD until it is resolved. An inactive customer fails the record that uses it.
     */
    public List<SyncMessage> raiseIssue(Exchange exchange, @Header(SyncHeaders.ACTION) String action) {
        return outcomes.guarded(exchange, () -> {
            FailedWrite w = FailedWrite.capture(exchange, json);
            Stale stale = exchange.getProperty(STALE, Stale.class);
            SyncRecord record = w.work().record();
            if (stale.kind() == Kind.OWN) {
                if ("VOID".equals(w.intent())) {
                    return skipVoid(w, stale);
                }
                records.clearQboLink(record.id());
                return outcomes.fail(w.work(), FaultOutcomes.fault(w.fault(), stale.describe() + " " + stale.state(),
                        "Resync to create it again in QBO (its QBO id was cleared), or skip the record if it should not"
                                + " be in QBO."));
            }
            if ((stale.kind() == Kind.CUSTOMER || stale.kind() == Kind.INVOICE) && stale.deleted() && stale.holder() != null) {
                SyncRecord holder = stale.holder();
                if (!stillLinked(holder, stale)) {
                    return waitOrRetry(w, stale, holder, action);
                }
                records.clearQboLink(holder.id());
                records.markFailed(holder.id(), FaultOutcomes.fault(w.fault(), stale.describe() + " " + stale.state()
                        + "; " + w.sourceName() + " could not use it", "Resync " + holder.entityType().name()
                        .toLowerCase(Locale.ROOT) + " " + holder.sourceId() + " to match or create it again; the records"
                        + " waiting for it are released then."));
                LOG.warn("Failed {} {}: {} {}", holder.entityType(), holder.sourceId(), stale.describe(), stale.state());
                return waitFor(w, stale, holder, action);
            }
            return outcomes.fail(w.work(), staleFault(w, stale, action));
        });
    }

    // ---------------------------------------------------------------- finding the stale reference

    private Stale find(FailedWrite w) {
        String element = w.fault().element() == null ? "" : w.fault().element().toLowerCase(Locale.ROOT);
        String detail = w.fault().detail() == null ? "" : w.fault().detail().toLowerCase(Locale.ROOT);
        EntityType type = w.entityType();
        boolean accountHint = element.contains("accountref") || detail.contains("accounts element");
        if (accountHint) {
            return new Stale(Kind.OTHER, null, true, null, null);
        }
        // The hinted reference first, then the others: QBO often leaves element empty.
        Set<Kind> order = new LinkedHashSet<>();
        if (element.contains("customerref") || detail.contains("names element")) {
            order.add(Kind.CUSTOMER);
        }
        if (element.contains("itemref") || detail.contains("items element")) {
            order.add(Kind.ITEM);
        }
        if (element.contains("linkedtxn") || detail.contains("invoices element")) {
            order.add(Kind.INVOICE);
        }
        order.addAll(List.of(Kind.OWN, Kind.CUSTOMER, Kind.ITEM, Kind.INVOICE));
        for (Kind kind : order) {
            Optional<Stale> found = switch (kind) {
                case OWN -> w.isCreate() || w.intent() == null ? Optional.empty() : own(w);
                case CUSTOMER -> type == EntityType.CUSTOMER ? Optional.empty() : customer(w);
                case ITEM -> type == EntityType.INVOICE ? item(w) : Optional.empty();
                case INVOICE -> type == EntityType.PAYMENT ? invoice(w) : Optional.empty();
                case OTHER -> Optional.empty();
            };
            if (found.isPresent()) {
                return found.get();
            }
        }
        return new Stale(Kind.OTHER, null, true, null, null);
    }

    private Optional<Stale> own(FailedWrite w) {
        String id = w.targetId();
        if (id == null || lookups.read(w.realmId(), w.qboEntity(), id).isPresent()) {
            return Optional.empty();
        }
        return Optional.of(new Stale(Kind.OWN, id, true, null, w.work().record()));
    }

    private Optional<Stale> customer(FailedWrite w) {
        String id = w.body().path("CustomerRef").path("value").asText(null);
        if (id == null) {
            return Optional.empty();
        }
        Optional<Map<String, Object>> customer = lookups.read(w.realmId(), "Customer", id);
        if (customer.isPresent() && QboLookups.active(customer.get())) {
            return Optional.empty();
        }
        return Optional.of(new Stale(Kind.CUSTOMER, id, customer.isEmpty(), customer.orElse(null), customerRecord(w)));
    }

    private Optional<Stale> item(FailedWrite w) {
        Set<String> ids = new LinkedHashSet<>();
        for (JsonNode line : w.body().path("Line")) {
            String id = line.path("SalesItemLineDetail").path("ItemRef").path("value").asText(null);
            if (id != null) {
                ids.add(id);
            }
        }
        for (String id : ids) {
            Optional<Map<String, Object>> item = lookups.read(w.realmId(), "Item", id);
            if (item.isEmpty() || !QboLookups.active(item.get())) {
                return Optional.of(new Stale(Kind.ITEM, id, item.isEmpty(), item.orElse(null), null));
            }
        }
        return Optional.empty();
    }

    private Optional<Stale> invoice(FailedWrite w) {
        for (JsonNode line : w.body().path("Line")) {
            for (JsonNode linked : line.path("LinkedTxn")) {
                String id = linked.path("TxnId").asText(null);
                if (id != null && "Invoice".equalsIgnoreCase(linked.path("TxnType").asText("Invoice"))
                        && lookups.read(w.realmId(), "Invoice", id).isEmpty()) {
                    SyncRecord invoice = w.work().record().dependsOn() == null ? null
                            : records.findByKey(w.realmId(), w.work().record().dependsOn()).orElse(null);
                    return Optional.of(new Stale(Kind.INVOICE, id, true, null, invoice));
                }
            }
        }
        return Optional.empty();
    }

    /** The customer record behind an invoice (its dependency) or a payment (its invoice's dependency). */
    private SyncRecord customerRecord(FailedWrite w) {
        SyncRecord r = w.work().record();
        if (r.entityType() == EntityType.PAYMENT && r.dependsOn() != null) {
            r = records.findByKey(w.realmId(), r.dependsOn()).orElse(null);
        }
        if (r == null || r.dependsOn() == null) {
            return null;
        }
        return records.findByKey(w.realmId(), r.dependsOn()).orElse(null);
    }

    // ---------------------------------------------------------------- repairs

    private List<SyncMessage> replaceItem(Exchange exchange, FailedWrite w, Stale stale, String action) {
        String rule = w.work().payload().path("mapping").path("rule").asText("?");
        items.forget(w.realmId(), stale.qboId());
        String replacement;
        try {
            items.forInvoice(w.work(), exchange);
            replacement = exchange.getIn().getHeader(SyncHeaders.ITEM_ID, String.class);
        } catch (SyncRejection notFound) {
            return outcomes.fail(w.work(), FaultOutcomes.fault(w.fault(), stale.describe() + " on " + w.sourceName()
                    + " " + stale.state() + " and no other active item fits mapping rule " + rule + ": "
                    + notFound.getMessage(), notFound.action()));
        }
        if (replacement == null || replacement.equals(stale.qboId())) {
            return outcomes.fail(w.work(), FaultOutcomes.fault(w.fault(), stale.describe() + " on " + w.sourceName()
                    + " " + stale.state(), action));
        }
        ObjectNode body = w.bodyCopy();
        for (JsonNode line : body.path("Line")) {
            JsonNode ref = line.path("SalesItemLineDetail").path("ItemRef");
            if (ref instanceof ObjectNode r && stale.qboId().equals(r.path("value").asText())) {
                r.put("value", replacement);
                r.remove("name");
            }
        }
        return outcomes.synced(w.work(), writer.write(w, body, "item"), null, Fault.of("ITEM_REPLACED",
                stale.describe() + " " + stale.state() + "; used QBO Item " + replacement + " found again for mapping"
                        + " rule " + rule, "None."));
    }

    /** Holds an invoice (or a payment) until the customer (or invoice) it needs is synced again. */
    private List<SyncMessage> waitFor(FailedWrite w, Stale stale, SyncRecord holder, String action) {
        SyncRecord record = w.work().record();
        if (holder.key().equals(record.dependsOn())) {
            return outcomes.hold(w.work(), SyncStore.waitingFor(record.dependsOn()));
        }
        // A payment whose customer is stale depends on its invoice, not on the customer: it cannot wait for it.
        return outcomes.fail(w.work(), FaultOutcomes.fault(w.fault(), stale.describe() + " " + stale.state()
                + "; " + w.sourceName() + " could not use it", "Resync " + w.sourceName() + " once "
                + holder.entityType().name().toLowerCase(Locale.ROOT) + " " + holder.sourceId() + " is synced again."));
    }

    /** True while the dependency's record still points at the stale QBO id (nobody has repaired it yet). */
    private boolean stillLinked(SyncRecord holder, Stale stale) {
        SyncRecord current = records.findById(holder.id()).orElse(holder);
        return stale.qboId().equals(current.qboId());
    }

    /**
     * The dependency was already cleared by another record's handler: wait for it like any dependant, or, if it is
     * synced again by now, push this record again (with a requestid of its own).
     */
    private List<SyncMessage> waitOrRetry(FailedWrite w, Stale stale, SyncRecord holder, String action) {
        SyncRecord record = w.work().record();
        if (!holder.key().equals(record.dependsOn())) {
            return waitFor(w, stale, holder, action);
        }
        if (records.dependencyOrHold(record, SyncStore.waitingFor(record.dependsOn())).isEmpty()) {
            return List.of();
        }
        renewCreateRequestId(record);
        return List.of(SyncStore.message(records.findById(record.id()).orElseThrow()));
    }

    private List<SyncMessage> skipVoid(FailedWrite w, Stale stale) {
        records.clearQboLink(w.work().record().id());
        records.markSkipped(w.work().record().id(), Fault.of("DELETED_IN_QBO", stale.describe() + " " + stale.state()
                + ": nothing left to void", "None."));
        LOG.info("Skipped {}: {} {}, nothing left to void", w.sourceName(), stale.describe(), stale.state());
        return List.of();
    }

    private static Fault staleFault(FailedWrite w, Stale stale, String action) {
        if (stale.kind() == Kind.CUSTOMER && !stale.deleted()) {
            return FaultOutcomes.fault(w.fault(), w.sourceName() + " is for " + stale.describe() + ", which "
                    + stale.state(), "Reactivate the customer in QBO (or set sync.errors.inactive-customer.policy="
                    + "reactivate), or set sync.errors.stale-reference.policy=recreate to match or create it again;"
                    + " then resync.");
        }
        return FaultOutcomes.fault(w.fault(), stale.describe() + " used by " + w.sourceName() + " " + stale.state(),
                action);
    }

    /**
     * Gives the record's next create a requestid of its own: the one it was first created with would make QBO
     * answer with the deleted entity again. Persisted before the record is queued, so a crash reuses it.
     */
    private void renewCreateRequestId(SyncRecord r) {
        String base = RequestIds.of(r, "CREATE");
        records.assignRequestId(r.id(), RepairWriter.derivedRequestId(base, "rc" + r.attempts()), "CREATE",
                r.sourceVersion());
    }
}
