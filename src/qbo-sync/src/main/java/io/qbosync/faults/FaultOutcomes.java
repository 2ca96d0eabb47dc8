package io.qbosync.faults;

import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import org.apache.camel.Exchange;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.stereotype.Component;

import io.qbosync.component.qbo.FaultClass;
import io.qbosync.component.qbo.QboFaultException;
import io.qbosync.store.Fault;
import io.qbosync.store.SyncRecord;
import io.qbosync.store.SyncRecordRepository;
import io.qbosync.sync.SyncHeaders;
import io.qbosync.sync.SyncMessage;
import io.qbosync.sync.SyncStore;
import io.qbosync.sync.SyncWork;

/**
 * How a fault handler ends a record: synced (linked to or created as a QBO entity, optionally with a note saying
 * what was changed to get there), failed or held with a reason and an action. Every method returns the messages to
 * queue next (records released by a sync), so that the route can hand them to {@code direct:enqueue}.
 */
@Component
public class FaultOutcomes {

    private static final Logger LOG = LoggerFactory.getLogger(FaultOutcomes.class);

    private final SyncRecordRepository records;
    private final SyncStore store;
    private final QboConnectionGuard guard;

    public FaultOutcomes(SyncRecordRepository records, SyncStore store, QboConnectionGuard guard) {
        this.records = records;
        this.store = store;
        this.guard = guard;
    }

    /**
     * The record is in QBO as {@code entity}. {@code note} (may be null) is kept on the record, e.g. which field was
     * shortened; {@code matchedBy} says how an existing entity was found (null when it was created).
     */
    public List<SyncMessage> synced(SyncWork work, Map<String, Object> entity, String matchedBy, Fault note) {
        if (note == null) {
            return store.synced(work, entity, matchedBy);
        }
        SyncRecord record = work.record();
        String qboId = String.valueOf(entity.get("Id"));
        List<SyncRecord> released = records.markSyncedAndRelease(record, qboId, text(entity, "SyncToken"),
                text(entity, "DocNumber"), matchedBy, note);
        records.noteQboName(record.id(), text(entity, "DisplayName"));
        LOG.info("Synced {} {} -> QBO {} {}{}: {}", record.entityType(), record.sourceId(),
                record.entityType().qboName(), qboId, matchedBy == null ? "" : " (matched by " + matchedBy + ")",
                note.message());
        return released.stream().map(SyncStore::message).toList();
    }

    private static String text(Map<String, Object> entity, String field) {
        Object v = entity.get(field);
        return v == null ? null : v.toString();
    }

    public List<SyncMessage> fail(SyncWork work, Fault fault) {
        records.markFailed(work.record().id(), fault);
        LOG.warn("Failed {} {}: {} {}{}", work.record().entityType(), work.record().sourceId(), fault.code(),
                fault.message(), fault.detail() == null ? "" : " (" + fault.detail() + ")");
        return List.of();
    }

    public List<SyncMessage> hold(SyncWork work, Fault fault) {
        records.markHeld(work.record().id(), fault);
        LOG.warn("Held {} {}: {} {}", work.record().entityType(), work.record().sourceId(), fault.code(), fault.message());
        return List.of();
    }

    /**
     * A QBO call made while repairing failed. A lost connection holds the record and suspends pushes (nothing is
     * dropped); anything else ends the record FAILED with that fault, so a person sees QBO's last word.
     */
    public List<SyncMessage> repairFailed(SyncWork work, QboFaultException e, String action) {
        if (e.faultClass() == FaultClass.AUTH) {
            guard.connectionLost(work, e);
            return List.of();
        }
        return fail(work, fault(e, action));
    }

    /**
     * Runs a handler step. A bug in it ends the record FAILED as INTERNAL_ERROR instead of failing the exchange: an
     * exception thrown inside an {@code onException} block is not handled again, so the message would bounce between
     * Artemis and this route. A store outage still propagates (rollback and redelivery are right for it).
     */
    public List<SyncMessage> guarded(Exchange exchange, Supplier<List<SyncMessage>> step) {
        try {
            return step.get();
        } catch (DataAccessException storeDown) {
            throw storeDown;
        } catch (RuntimeException bug) {
            SyncWork work = exchange.getProperty(SyncHeaders.WORK, SyncWork.class);
            LOG.error("QBO fault handler failed on {}", work == null ? "an exchange without a record" : work.record().key(),
                    bug);
            return work == null ? List.of() : fail(work, Fault.of("INTERNAL_ERROR", "The QBO fault handler failed: "
                    + bug, "Report this to the integration team with the record id; resync after the fix."));
        }
    }

    /** QBO's own code, message, detail, element and intuit_tid, with the action to take. */
    public static Fault fault(QboFaultException e, String action) {
        return new Fault(e.code(), e.faultMessage(), e.detail(), e.element(), e.intuitTid(), action);
    }

    /** QBO's code, detail, element and intuit_tid with qbo-sync's own message (naming entity and source record). */
    public static Fault fault(QboFaultException e, String message, String action) {
        return new Fault(e.code(), message, e.detail(), e.element(), e.intuitTid(), action);
    }
}
