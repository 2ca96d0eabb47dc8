package io.qbosync.ops;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

import io.qbosync.gateway.QboGateway;
import io.qbosync.source.feed.NameKeys;
import io.qbosync.ops.CustomerIdentity.QboCustomerView;
import io.qbosync.store.EntityType;
import io.qbosync.store.QboIndexRepository;
import io.qbosync.store.QboIndexRepository.SearchHit;
import io.qbosync.store.RecordDecisions;
import io.qbosync.store.SyncRecord;
import io.qbosync.store.SyncRecordRepository;
import io.qbosync.store.SyncStatus;
import io.qbosync.sync.SyncQueues;
import io.qbosync.sync.SyncStore;

/**
 * The one-click actions ops take on a record that failed or waits: resync, skip, clear a stale QBO id, match an
 * existing QBO customer (by id, or by a name or e-mail search over the customers imported at onboarding), or create
 * a new one, also for every record held with DUPLICATE_MATCH at once. Each changes the record in the store and,
 * where work follows, queues it; records that waited for it are released as usual.
 *
 * <p>A QBO customer already linked to another customer record is never matched to this one: one QBO customer stands
 * for one source party.
 */
@Service
public class RecordActions {

    private static final Logger LOG = LoggerFactory.getLogger(RecordActions.class);

    public static final String RESYNC = "resync";
    public static final String SKIP = "skip";
    public static final String CLEAR_QBO_ID = "clear-qbo-id";
    public static final String MATCH = "match";
    public static final String CREATE = "create";

    /** How many search hits a match by search looks at (the index's maximum). */
    static final int SEARCH_LIMIT = 100;
    /** How many records one "create all unmatched" call acts on at most. */
    static final int BULK_LIMIT = 10_000;

    private final SyncRecordRepository records;
    private final RecordDecisions decisions;
    private final SyncQueues queues;
    private final QboGateway qbo;
    private final QboIndexRepository index;
    private final TransactionTemplate tx;

    public RecordActions(SyncRecordRepository records, RecordDecisions decisions, SyncQueues queues, QboGateway qbo,
            QboIndexRepository index, @Qualifier("syncStoreTx") TransactionTemplate tx) {
        this.records = records;
        this.decisions = decisions;
        this.queues = queues;
        this.qbo = qbo;
        this.index = index;
        this.tx = tx;
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

    /**
     * Queues every customer record held or failed with DUPLICATE_MATCH to be created as a new QBO customer (the
     * CREATE_NEW decision, as {@link #create} per record). A record whose state changed meanwhile is left out, with
     * the reason.
     */
    public BulkCreate createAllUnmatched(String by) {
        List<Long> queued = new ArrayList<>();
        Map<Long, String> refused = new LinkedHashMap<>();
        for (long id : decisions.unmatchedCustomerIds(BULK_LIMIT)) {
            try {
                create(id, by);
                queued.add(id);
            } catch (IllegalStateException | RecordNotFoundException e) {
                refused.put(id, e.getMessage());
            }
        }
        LOG.info("{} asked to create all unmatched customers: {} queued{}", by, queued.size(),
                refused.isEmpty() ? "" : ", " + refused.size() + " refused");
        return new BulkCreate(queued.size(), queued, refused);
    }

    /** What "create all unmatched" did: the records queued, and those left out with why. */
    public record BulkCreate(int queued, List<Long> records, Map<Long, String> refused) {
    }

    /**
     * Links the customer to an existing QBO customer (read from QBO: it must exist and be active) and releases what
     * waited for it. Refused when another customer record is linked to that QBO customer.
     */
    public synchronized SyncRecord match(long id, String qboId, String by) {
        SyncRecord r = allowed(id, MATCH);
        if (qboId == null || qboId.isBlank()) {
            throw new IllegalArgumentException("match needs the QBO customer's Id (qboId) or a search");
        }
        String customerId = qboId.trim();
        refuseIfLinkedElsewhere(r, customerId, null);
        Map<String, Object> customer = qbo.read(r.realmId(), "Customer", customerId);
        String name = customer.get("DisplayName") == null ? null : customer.get("DisplayName").toString();
        if (Boolean.FALSE.equals(customer.get("Active"))) {
            throw new IllegalStateException("QBO customer " + customerId + " '" + name + "' is inactive: make it active"
                    + " in QBO first, or pick another customer");
        }
        List<SyncRecord> released = tx.execute(s -> {
            // Checked again with the link: nobody may have taken the customer since.
            refuseIfLinkedElsewhere(r, customerId, name);
            decisions.decide(r.id(), RecordDecisions.MATCHED, by);
            return records.linkMatch(reread(r.id()), customerId, String.valueOf(customer.get("SyncToken")), "MANUAL",
                    name);
        });
        index.clearSuggestions(r.id());
        queues.sendAll(released.stream().map(SyncStore::message).toList());
        LOG.info("{} matched {} {} to QBO customer {} ({}); released {}", by, r.entityType(), r.sourceId(), customerId,
                name, released.size());
        return reread(r.id());
    }

    /**
     * Links the customer to the one QBO customer whose name or e-mail contains {@code search} (the customers imported
     * at onboarding) and is not linked to another record. When several such customers are found, the one the search
     * names exactly (its whole e-mail, or its whole name once normalised) is taken if there is exactly one; otherwise
     * nothing is linked and {@link NoSingleMatchException} lists what was found, to pick by id.
     */
    public SyncRecord matchBySearch(long id, String search, String by) {
        SyncRecord r = allowed(id, MATCH);
        if (search == null || search.isBlank()) {
            throw new IllegalArgumentException("match by search needs a name or e-mail to search for");
        }
        String text = search.trim();
        List<SearchHit> hits = index.searchCustomers(r.realmId(), text, SEARCH_LIMIT);
        List<SearchHit> free = hits.stream().filter(h -> h.linkedRecordId() == null || h.linkedRecordId() == r.id())
                .toList();
        SearchHit pick = free.size() == 1 ? free.get(0) : exactOne(free, text);
        if (pick == null) {
            List<QboCustomerView> candidates = hits.stream().map(h -> QboCustomerView.of(h, records)).toList();
            throw new NoSingleMatchException(text, noSingleMatch(r, text, hits.size(), free.size()), candidates);
        }
        return match(id, pick.customer().qboId(), by);
    }

    private String noSingleMatch(SyncRecord r, String text, int hits, int free) {
        if (hits == 0) {
            return "No QBO customer's name or e-mail contains '" + text + "' (" + index.customerCount(r.realmId())
                    + " customers imported). A customer added in QBO since onboarding is found after POST"
                    + " /api/onboarding; or match by id.";
        }
        if (free == 0) {
            return "'" + text + "' finds only QBO customers already linked to other customer records; a QBO customer"
                    + " stands for one source party. Search again, or create a new customer.";
        }
        return "'" + text + "' finds " + free + " QBO customers not linked to another record" + (hits >= SEARCH_LIMIT
                ? " (the first " + SEARCH_LIMIT + " hits looked at)" : "") + "; pick one by id ({\"qboId\": ...}).";
    }

    /** The one free hit the search names exactly (whole e-mail, or whole name once normalised); null if not one. */
    private static SearchHit exactOne(List<SearchHit> free, String text) {
        String emailKey = NameKeys.email(text);
        String nameKey = NameKeys.name(text);
        List<SearchHit> exact = free.stream().filter(h -> (emailKey != null && emailKey.equals(NameKeys.email(h.customer().email())))
                || (nameKey != null && (nameKey.equals(NameKeys.name(h.customer().displayName()))
                        || nameKey.equals(NameKeys.name(h.customer().companyName()))))).toList();
        return exact.size() == 1 ? exact.get(0) : null;
    }

    private void refuseIfLinkedElsewhere(SyncRecord r, String qboId, String name) {
        records.customerLinkedTo(r.realmId(), qboId, r.id()).ifPresent(other -> {
            throw new LinkedElsewhereException(qboId, name, other);
        });
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

    /** A QBO customer another customer record is linked to (HTTP 409): never matched to a second one. */
    public static class LinkedElsewhereException extends IllegalStateException {
        private final String qboId;
        private final long linkedRecordId;
        private final String linkedRecordKey;

        LinkedElsewhereException(String qboId, String name, SyncRecord other) {
            super("QBO customer " + qboId + (name == null ? "" : " '" + name + "'") + " is already linked to customer"
                    + " record " + other.id() + " (" + other.key() + "): one QBO customer stands for one source party."
                    + " Pick another customer, or create a new one.");
            this.qboId = qboId;
            this.linkedRecordId = other.id();
            this.linkedRecordKey = other.key();
        }

        public String qboId() {
            return qboId;
        }

        public long linkedRecordId() {
            return linkedRecordId;
        }

        public String linkedRecordKey() {
            return linkedRecordKey;
        }
    }

    /** A match by search that did not find exactly one free QBO customer (HTTP 409, with the candidates). */
    public static class NoSingleMatchException extends IllegalStateException {
        private final String search;
        private final List<QboCustomerView> candidates;

        NoSingleMatchException(String search, String message, List<QboCustomerView> candidates) {
            super(message);
            this.search = search;
            this.candidates = candidates;
        }

        public String search() {
            return search;
        }

        public List<QboCustomerView> candidates() {
            return candidates;
        }

        /** The message with every candidate on it, for JMX clients. */
        public String withCandidates() {
            return getMessage() + (candidates.isEmpty() ? "" : " Found: " + candidates.stream()
                    .map(QboCustomerView::line).collect(Collectors.joining("; ")));
        }
    }

    /** Thrown for an unknown record id (HTTP 404). */
    public static class RecordNotFoundException extends RuntimeException {
        RecordNotFoundException(long id) {
            super("No sync record " + id);
        }
    }
}
