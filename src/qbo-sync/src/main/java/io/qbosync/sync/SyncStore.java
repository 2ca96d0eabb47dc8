package io.qbosync.sync;

import java.util.List;
import java.util.Map;

import org.apache.camel.Body;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import com.fasterxml.jackson.core.JsonProcessingException;

import io.qbosync.component.qbo.QboConstants;
import io.qbosync.store.EntityType;
import io.qbosync.store.Fault;
import io.qbosync.store.SyncRecord;
import io.qbosync.store.SyncRecordRepository;
import io.qbosync.store.SyncStatus;

/**
 * The push routes' view of the sync store: open the record a message names, persist the requestid before a write,
 * record the outcome and release the records that waited for it.
 */
@Component("syncStore")
public class SyncStore {

    private static final Logger LOG = LoggerFactory.getLogger(SyncStore.class);

    private final SyncRecordRepository records;
    private final long maxPermitWaitMs;

    /**
     * @param maxPermitWaitMs how long a push may wait for its company's rate budget before the message is put back
     *                        for later (0 = wait as long as it takes, holding the consumer thread)
     */
    public SyncStore(SyncRecordRepository records,
            @Value("${sync.throttle.max-permit-wait-ms:1000}") long maxPermitWaitMs) {
        this.records = records;
        this.maxPermitWaitMs = maxPermitWaitMs;
    }

    /**
     * Loads the record a queue message names. Only a PENDING record at the message's version is worked on; any other
     * message is obsolete (already synced, superseded by a newer version, or waiting on a person) and is dropped.
     */
    public void open(@Body String json, Exchange exchange) throws JsonProcessingException {
        SyncMessage message = Payloads.JSON.readValue(json, SyncMessage.class);
        SyncRecord record = records.find(message.realmId(), message.entityType(), message.sourceId()).orElse(null);
        boolean push = record != null && record.status() == SyncStatus.PENDING
                && record.sourceVersion().equals(message.version());
        exchange.getIn().setHeader(SyncHeaders.STEP, push ? "push" : "skip");
        exchange.getIn().setHeader(QboConstants.REALM_ID, message.realmId());
        // A busy company gives the shared consumer thread back (qbo-errors-transient defers the message).
        exchange.getIn().setHeader(QboConstants.MAX_PERMIT_WAIT, maxPermitWaitMs);
        if (push) {
            exchange.setProperty(SyncHeaders.WORK, new SyncWork(record, Payloads.parse(record.payload())));
        } else {
            LOG.debug("Skipping obsolete message for {} {} ({})", message.entityType(), message.sourceId(),
                    record == null ? "unknown" : record.status());
        }
    }

    /** Persists (or reuses) the requestid for this write and puts it on the exchange for the {@code qbo:} producer. */
    public void beginWrite(@ExchangeProperty(SyncHeaders.WORK) SyncWork work, @Header(SyncHeaders.INTENT) String intent,
            Exchange exchange) {
        exchange.getIn().setHeader(SyncHeaders.PRIOR_ATTEMPT, work.record().hasRequestFor(intent));
        exchange.getIn().setHeader(QboConstants.REQUEST_ID, records.requestIdFor(work.record(), intent));
    }

    /**
     * Records the QBO entity in the body as this record's counterpart and returns the records that waited for it,
     * now PENDING again, as messages to queue.
     */
    public List<SyncMessage> synced(@ExchangeProperty(SyncHeaders.WORK) SyncWork work, @Body Map<String, Object> entity,
            @Header(SyncHeaders.MATCHED_BY) String matchedBy) {
        SyncRecord record = work.record();
        String qboId = String.valueOf(entity.get("Id"));
        List<SyncRecord> released = records.markSyncedNamedAndRelease(record, qboId, str(entity.get("SyncToken")),
                str(entity.get("DocNumber")), matchedBy, str(entity.get("DisplayName")));
        LOG.info("Synced {} {} -> QBO {} {}{}", record.entityType(), record.sourceId(), record.entityType().qboName(),
                qboId, matchedBy == null ? "" : " (matched by " + matchedBy + ")");
        return released.stream().map(SyncStore::message).toList();
    }

    /** Ends a record without a QBO write, e.g. an invoice voided in the source before it was ever synced. */
    public void skip(@ExchangeProperty(SyncHeaders.WORK) SyncWork work, @Header(SyncHeaders.SKIP_REASON) String reason) {
        records.markSkipped(work.record().id(), Fault.of("SKIPPED", reason, "Nothing to do."));
        LOG.info("Skipped {} {}: {}", work.record().entityType(), work.record().sourceId(), reason);
    }

    /**
     * Returns the record this one depends on once it is in QBO; otherwise holds this record until it is (its release
     * re-queues it) and returns null.
     */
    public SyncRecord dependency(@ExchangeProperty(SyncHeaders.WORK) SyncWork work) {
        return records.dependencyOrHold(work.record(), waitingFor(work.record().dependsOn())).orElse(null);
    }

    /**
     * True when the record depends on nothing, or on a record that is in QBO (a contact's parent company when contacts
     * are sub-customers); otherwise holds it until that record is synced (its release re-queues this one).
     */
    public boolean dependencyReady(@ExchangeProperty(SyncHeaders.WORK) SyncWork work) {
        return work.record().dependsOn() == null || dependency(work) != null;
    }

    /** The hold reason of a record waiting for {@code dependsOn} (e.g. {@code CUSTOMER:contact:C-0001}). */
    public static Fault waitingFor(String dependsOn) {
        String kind = dependsOn.substring(0, dependsOn.indexOf(':')).toLowerCase();
        return Fault.of(SyncRecordRepository.WAITING_FOR_DEPENDENCY,
                "Waiting for " + kind + " " + dependsOn.substring(kind.length() + 1) + " to reach QBO",
                "None: released automatically when the " + kind + " is synced; if the " + kind
                        + " failed, resolve its issue first.");
    }

    /** The QBO id of a synced record by key, e.g. the customer behind an invoice. */
    public String qboIdOf(String realmId, String key) {
        return records.findByKey(realmId, key).map(SyncRecord::qboId)
                .orElseThrow(() -> new IllegalStateException("No sync record " + key));
    }

    public SyncRecord record(String realmId, EntityType type, String sourceId) {
        return records.find(realmId, type, sourceId).orElseThrow(() -> new IllegalStateException(
                "No sync record " + type.key(sourceId)));
    }

    public static SyncMessage message(SyncRecord r) {
        return new SyncMessage(r.realmId(), r.entityType(), r.sourceId(), r.sourceVersion(), Payloads.parse(r.payload()));
    }

    private static String str(Object o) {
        return o == null ? null : o.toString();
    }
}
