package io.qbosync.ops;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

import io.qbosync.component.qbo.client.QboClient;
import io.qbosync.store.EntityType;
import io.qbosync.store.RecordDecisions;
import io.qbosync.store.SyncRecord;
import io.qbosync.store.SyncRecordRepository;
import io.qbosync.store.SyncStatus;
import io.qbosync.sync.SyncQueues;
import io.qbosync.sync.SyncStore;

/**
 * The one-click actions ops take on a record that failed or waits: resync, skip, clear a stale QBO id, match an
 * existing QBO customer, or create a new one. Each changes the record in the store and, where work follows, queues
 * it; records that waited for it are released as usual.
 */
@Service
public class RecordActions {

    private static final Logger LOG = LoggerFactory.getLogger(RecordActions.class);

    public static final String RESYNC = "resync";
    public static final String SKIP = "skip";
    public static final String CLEAR_QBO_ID = "clear-qbo-id";
    public static final String MATCH = "match";
    public static final String CREATE = "create";

    private final SyncRecordRepository records;
    private final RecordDecisions decisions;
    private final SyncQueues queues;
    private final QboClient qbo;

    public RecordActions(SyncRecordRepository records, RecordDecisions decisions, SyncQueues queues, QboClient qbo) {
        this.records = records;
        this.decisions = decisions;
        this.queues = queues;
        this.qbo = qbo;
    }

    /** The actions that make sense for a record in its current state. */
    public static List<String> actionsFor(SyncRecord r) {
        List<String> actions = new ArrayList<>();
        if (r.status() == SyncStatus.FAILED || r.status() == SyncStatus.HELD || r.status() == SyncStatus.SKIPPED) {
            actions.add(RESYNC);
        }
        if (r.status() != SyncStatus.SYNCED && r.status() != SyncStatus.SKIPPED) {
            actions.add(SKIP);
        }
        if (r.qboId() != null) {
            actions.add(CLEAR_QBO_ID);
        }
        if (r.entityType() == EntityType.CUSTOMER && r.status() != SyncStatus.SYNCED) {
            actions.add(MATCH);
            actions.add(CREATE);
        }
        return actions;
    }

    public SyncRecord resync(long id, String by) {
        SyncRecord r = allowed(id, RESYNC);
        decisions.resync(r.id(), null, by);
        return queue(r.id(), by, RESYNC);
    }

    public SyncRecord skip(long id, String by) {
        SyncRecord r = allowed(id, SKIP);
        decisions.skip(r.id(), by);
        LOG.info("{} skipped {} {}", by, r.entityType(), r.sourceId());
        return reread(r.id());
    }

    public SyncRecord clearQboId(long id, String by) {
        SyncRecord r = allowed(id, CLEAR_QBO_ID);
        decisions.clearQboId(r.id(), by);
        return queue(r.id(), by, CLEAR_QBO_ID);
    }

    /** Creates the customer even though QBO has candidates (after a DUPLICATE_MATCH, or once a name clash is fixed). */
    public SyncRecord create(long id, String by) {
        SyncRecord r = allowed(id, CREATE);
        decisions.resync(r.id(), RecordDecisions.CREATE_NEW, by);
        return queue(r.id(), by, CREATE);
    }

    /** Links the customer to an existing QBO customer (checked to exist) and releases what waited for it. */
    public SyncRecord match(long id, String qboId, String by) {
        SyncRecord r = allowed(id, MATCH);
        if (qboId == null || qboId.isBlank()) {
            throw new IllegalArgumentException("match needs the QBO customer's Id");
        }
        Map<String, Object> customer = qbo.read(r.realmId(), "Customer", qboId);
        decisions.decide(r.id(), RecordDecisions.MATCHED, by);
        List<SyncRecord> released = records.markSyncedAndRelease(reread(r.id()), qboId,
                String.valueOf(customer.get("SyncToken")), null, "MANUAL");
        queues.sendAll(released.stream().map(SyncStore::message).toList());
        LOG.info("{} matched {} {} to QBO customer {} ({}); released {}", by, r.entityType(), r.sourceId(), qboId,
                customer.get("DisplayName"), released.size());
        return reread(r.id());
    }

    private SyncRecord queue(long id, String by, String action) {
        SyncRecord r = reread(id);
        queues.sendAll(List.of(SyncStore.message(r)));
        LOG.info("{} asked to {} {} {}", by, action, r.entityType(), r.sourceId());
        return r;
    }

    private SyncRecord allowed(long id, String action) {
        SyncRecord r = reread(id);
        if (!actionsFor(r).contains(action)) {
            throw new IllegalStateException("Cannot " + action + " " + r.entityType() + " " + r.sourceId() + " while it is "
                    + r.status() + "; possible: " + actionsFor(r));
        }
        return r;
    }

    private SyncRecord reread(long id) {
        return records.findById(id).orElseThrow(() -> new RecordNotFoundException(id));
    }

    /** Thrown for an unknown record id (HTTP 404). */
    public static class RecordNotFoundException extends RuntimeException {
        RecordNotFoundException(long id) {
            super("No sync record " + id);
        }
    }
}
