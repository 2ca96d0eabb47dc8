package io.qbosync.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.jdbc.support.KeyHolder;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * JDBC access to {@code sync_record}. Every status change is one short statement or transaction so that a crash at
 * any point leaves the record either done or resumable. A record that fails or is held with a fault opens (or counts)
 * its issue, and one that reaches SYNCED or SKIPPED closes its open issues, in the same transaction
 * ({@link SyncIssueRepository}).
 */
@Repository
public class SyncRecordRepository {

    /** Fault code of a record held until the record it depends on is in QBO. */
    public static final String WAITING_FOR_DEPENDENCY = "WAITING_FOR_DEPENDENCY";

    private static final String COLUMNS = "id, realm_id, entity_type, source_id, source_version, payload, status, depends_on,"
            + " mapping_rule, qbo_id, qbo_sync_token, qbo_doc_number, qbo_name, matched_by, request_id, request_intent,"
            + " request_version, fault_code, fault_message, fault_detail, fault_element, intuit_tid, action, attempts,"
            + " created_at, updated_at, synced_at";

    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final SyncIssueRepository issues;

    public SyncRecordRepository(JdbcTemplate jdbc, @Qualifier("syncStoreTx") TransactionTemplate tx,
            SyncIssueRepository issues) {
        this.jdbc = jdbc;
        this.tx = tx;
        this.issues = issues;
    }

    /** The outcome of registering a source record: the stored row and whether it must be (re)queued. */
    public record Registration(SyncRecord record, boolean enqueue) {
    }

    /**
     * Stores a source record as PENDING when it is new or changed. An unchanged record keeps its state; it is queued
     * again only while still PENDING, because a crash may have lost its message (pushes are idempotent).
     */
    public Registration register(String realmId, EntityType type, String sourceId, String version, String payload,
            String dependsOn, String mappingRule) {
        Optional<SyncRecord> existing = find(realmId, type, sourceId);
        if (existing.isEmpty()) {
            try {
                return new Registration(insertPending(realmId, type, sourceId, version, payload, dependsOn, mappingRule),
                        true);
            } catch (DuplicateKeyException raced) {
                existing = find(realmId, type, sourceId);
            }
        }
        SyncRecord current = existing.orElseThrow();
        if (!current.sourceVersion().equals(version)) {
            // A changed source record is synced again from scratch: a new version needs a new decision.
            jdbc.update("UPDATE sync_record SET source_version = ?, payload = ?, depends_on = ?, mapping_rule = ?,"
                    + " status = ?, fault_code = NULL, fault_message = NULL, fault_detail = NULL, fault_element = NULL,"
                    + " intuit_tid = NULL, action = NULL, updated_at = ? WHERE id = ?",
                    version, payload, dependsOn, mappingRule, SyncStatus.PENDING.name(), now(), current.id());
            return new Registration(findById(current.id()).orElseThrow(), true);
        }
        return new Registration(current, current.status() == SyncStatus.PENDING);
    }

    /** Inserts a new PENDING row and returns it as stored, without reading it back. */
    private SyncRecord insertPending(String realmId, EntityType type, String sourceId, String version, String payload,
            String dependsOn, String mappingRule) {
        // Microseconds, as the column keeps them, so the returned record equals the stored one.
        OffsetDateTime now = now().truncatedTo(ChronoUnit.MICROS);
        KeyHolder key = new GeneratedKeyHolder();
        jdbc.update(connection -> {
            PreparedStatement insert = connection.prepareStatement("INSERT INTO sync_record (realm_id, entity_type,"
                    + " source_id, source_version, payload, status, depends_on, mapping_rule, attempts, created_at,"
                    + " updated_at) VALUES (?,?,?,?,?,?,?,?,0,?,?)", new String[] {"id"});
            insert.setString(1, realmId);
            insert.setString(2, type.name());
            insert.setString(3, sourceId);
            insert.setString(4, version);
            insert.setString(5, payload);
            insert.setString(6, SyncStatus.PENDING.name());
            insert.setString(7, dependsOn);
            insert.setString(8, mappingRule);
            insert.setObject(9, now);
            insert.setObject(10, now);
            return insert;
        }, key);
        long id = key.getKeyAs(Number.class).longValue();
        return new SyncRecord(id, realmId, type, sourceId, version, payload, SyncStatus.PENDING, dependsOn, mappingRule,
                null, null, null, null, null, null, null, null, null, null, null, null, null, null, 0, now, now, null);
    }

    public Optional<SyncRecord> find(String realmId, EntityType type, String sourceId) {
        return jdbc.query("SELECT " + COLUMNS + " FROM sync_record WHERE realm_id = ? AND entity_type = ? AND source_id = ?",
                MAPPER, realmId, type.name(), sourceId).stream().findFirst();
    }

    /** The record of this source record in every QBO company, oldest first (an invoice goes to one, a party to several). */
    public List<SyncRecord> findInEveryCompany(EntityType type, String sourceId) {
        return jdbc.query("SELECT " + COLUMNS + " FROM sync_record WHERE entity_type = ? AND source_id = ? ORDER BY id",
                MAPPER, type.name(), sourceId);
    }

    public Optional<SyncRecord> findByKey(String realmId, String key) {
        int colon = key.indexOf(':');
        return find(realmId, EntityType.valueOf(key.substring(0, colon)), key.substring(colon + 1));
    }

    public Optional<SyncRecord> findById(long id) {
        return jdbc.query("SELECT " + COLUMNS + " FROM sync_record WHERE id = ?", MAPPER, id).stream().findFirst();
    }

    public List<SyncRecord> findByStatus(SyncStatus status, int limit) {
        return jdbc.query("SELECT " + COLUMNS + " FROM sync_record WHERE status = ? ORDER BY id FETCH FIRST " + limit
                + " ROWS ONLY", MAPPER, status.name());
    }

    /** PENDING records untouched since {@code before}: their queue message may have been lost in a crash. */
    public List<SyncRecord> findStalePending(OffsetDateTime before, int limit) {
        return jdbc.query("SELECT " + COLUMNS + " FROM sync_record WHERE status = ? AND updated_at < ? ORDER BY id FETCH FIRST "
                + limit + " ROWS ONLY", MAPPER, SyncStatus.PENDING.name(), before);
    }

    /**
     * Returns the requestid to send for this write, minting and persisting one first when the record has none for
     * this version and intent. The same id is reused on every retry, redelivery and restart.
     */
    public String requestIdFor(SyncRecord record, String intent) {
        if (record.hasRequestFor(intent)) {
            jdbc.update("UPDATE sync_record SET attempts = attempts + 1, updated_at = ? WHERE id = ?", now(), record.id());
            return record.requestId();
        }
        // Derived from what survives a crash, never from the row id (see RequestIds).
        String requestId = RequestIds.of(record, intent);
        jdbc.update("UPDATE sync_record SET request_id = ?, request_intent = ?, request_version = ?, attempts = attempts + 1,"
                + " updated_at = ? WHERE id = ?", requestId, intent, record.sourceVersion(), now(), record.id());
        return requestId;
    }

    /**
     * Records that the entity exists in QBO. The status becomes SYNCED only if the source did not change meanwhile;
     * otherwise the QBO id is kept and the newer version stays PENDING (its push becomes an update).
     */
    public void markSynced(long id, String version, String qboId, String syncToken, String docNumber, String matchedBy) {
        tx.executeWithoutResult(status -> {
            writeSynced(id, version, qboId, syncToken, docNumber, matchedBy);
            // The write went through, so whatever stopped it before is over (even if a newer version waits).
            issues.resolveByOutcome(id, SyncIssueRepository.SYNCED);
        });
    }

    private void writeSynced(long id, String version, String qboId, String syncToken, String docNumber, String matchedBy) {
        OffsetDateTime now = now();
        jdbc.update("UPDATE sync_record SET qbo_id = ?, qbo_sync_token = ?, qbo_doc_number = COALESCE(?, qbo_doc_number),"
                + " matched_by = COALESCE(?, matched_by), status = CASE WHEN source_version = ? THEN 'SYNCED' ELSE status END,"
                + " fault_code = NULL, fault_message = NULL, fault_detail = NULL, fault_element = NULL, intuit_tid = NULL,"
                + " action = NULL, synced_at = ?, updated_at = ? WHERE id = ?",
                qboId, syncToken, docNumber, matchedBy, version, now, now, id);
    }

    /**
     * Marks a customer or invoice synced and, in the same transaction, turns the records waiting for it back to
     * PENDING. Returns those records so the caller can queue them.
     */
    public List<SyncRecord> markSyncedAndRelease(SyncRecord record, String qboId, String syncToken, String docNumber,
            String matchedBy) {
        return tx.execute(status -> {
            markSynced(record.id(), record.sourceVersion(), qboId, syncToken, docNumber, matchedBy);
            List<SyncRecord> waiting = jdbc.query("SELECT " + COLUMNS + " FROM sync_record WHERE realm_id = ? AND depends_on = ?"
                    + " AND status = ? AND fault_code = ?", MAPPER, record.realmId(), record.key(), SyncStatus.HELD.name(),
                    WAITING_FOR_DEPENDENCY);
            for (SyncRecord r : waiting) {
                setStatus(r.id(), SyncStatus.PENDING, null);
            }
            return waiting.stream().map(r -> findById(r.id()).orElseThrow()).toList();
        });
    }

    /**
     * As {@link #markSyncedAndRelease(SyncRecord, String, String, String, String)}, and keeps {@code note} on the
     * record (see {@link #annotate}) in the same transaction, so that nobody sees it synced without its note.
     */
    public List<SyncRecord> markSyncedAndRelease(SyncRecord record, String qboId, String syncToken, String docNumber,
            String matchedBy, Fault note) {
        return tx.execute(status -> {
            List<SyncRecord> released = markSyncedAndRelease(record, qboId, syncToken, docNumber, matchedBy);
            if (note != null) {
                annotate(record.id(), note);
            }
            return released;
        });
    }

    /**
     * Links a customer record to an existing QBO customer found by matching (no QBO write) and releases what waited
     * for it, in one transaction with the name QBO holds, so an update never renames the matched customer.
     */
    public List<SyncRecord> linkMatch(SyncRecord record, String qboId, String syncToken, String matchedBy, String qboName) {
        return markSyncedNamedAndRelease(record, qboId, syncToken, null, matchedBy, qboName);
    }

    /**
     * As {@link #markSyncedAndRelease(SyncRecord, String, String, String, String)}, and keeps the name QBO answered
     * ({@link #noteQboName}) in the same transaction: one commit per write instead of two.
     */
    public List<SyncRecord> markSyncedNamedAndRelease(SyncRecord record, String qboId, String syncToken, String docNumber,
            String matchedBy, String qboName) {
        if (qboName == null) {
            return markSyncedAndRelease(record, qboId, syncToken, docNumber, matchedBy);
        }
        return tx.execute(status -> {
            List<SyncRecord> released = markSyncedAndRelease(record, qboId, syncToken, docNumber, matchedBy);
            noteQboName(record.id(), qboName);
            return released;
        });
    }

    /** Keeps the name the record's QBO entity carries (a customer's DisplayName as QBO answered it). */
    public void noteQboName(long id, String qboName) {
        if (qboName != null) {
            jdbc.update("UPDATE sync_record SET qbo_name = ? WHERE id = ?", truncate(qboName, 500), id);
        }
    }

    /** The customer record already linked to QBO customer {@code qboId}, other than {@code exceptRecordId}. */
    public Optional<SyncRecord> customerLinkedTo(String realmId, String qboId, long exceptRecordId) {
        return jdbc.query("SELECT " + COLUMNS + " FROM sync_record WHERE realm_id = ? AND entity_type = 'CUSTOMER'"
                + " AND qbo_id = ? AND id <> ? ORDER BY id FETCH FIRST 1 ROWS ONLY", MAPPER, realmId, qboId, exceptRecordId)
                .stream().findFirst();
    }

    /**
     * Returns the dependency's QBO id when it is SYNCED; otherwise holds {@code record} until it is. The dependency's
     * row is locked so that its own "synced, release dependants" transaction cannot slip between check and hold.
     */
    public Optional<SyncRecord> dependencyOrHold(SyncRecord record, Fault holdReason) {
        String key = record.dependsOn();
        int colon = key.indexOf(':');
        // Most dependencies are in QBO already: a plain read answers them without a lock (under H2, a lock is a
        // write and its commit a file write). Only the hold must not race the dependency's release.
        Optional<SyncRecord> synced = find(record.realmId(), EntityType.valueOf(key.substring(0, colon)),
                key.substring(colon + 1)).filter(d -> d.qboId() != null && d.status() == SyncStatus.SYNCED);
        if (synced.isPresent()) {
            return synced;
        }
        return tx.execute(status -> {
            List<SyncRecord> dependency = jdbc.query("SELECT " + COLUMNS + " FROM sync_record WHERE realm_id = ? AND entity_type = ?"
                    + " AND source_id = ? FOR UPDATE", MAPPER, record.realmId(), key.substring(0, colon), key.substring(colon + 1));
            if (!dependency.isEmpty() && dependency.get(0).qboId() != null
                    && dependency.get(0).status() == SyncStatus.SYNCED) {
                return Optional.of(dependency.get(0));
            }
            setStatus(record.id(), SyncStatus.HELD, holdReason);
            return Optional.<SyncRecord>empty();
        });
    }

    public void markFailed(long id, Fault fault) {
        setStatus(id, SyncStatus.FAILED, fault);
    }

    public void markHeld(long id, Fault fault) {
        setStatus(id, SyncStatus.HELD, fault);
    }

    public void markSkipped(long id, Fault reason) {
        setStatus(id, SyncStatus.SKIPPED, reason);
    }

    /** Turns a record back to PENDING (resync); the caller queues it. */
    public void markPending(long id) {
        setStatus(id, SyncStatus.PENDING, null);
    }

    private void setStatus(long id, SyncStatus status, Fault fault) {
        if (status == SyncStatus.FAILED || status == SyncStatus.HELD) {
            tx.executeWithoutResult(s -> {
                writeStatus(id, status, fault);
                issues.recordFault(id, fault);
            });
        } else if (status == SyncStatus.SKIPPED) {
            tx.executeWithoutResult(s -> {
                writeStatus(id, status, fault);
                issues.resolveByOutcome(id, SyncIssueRepository.SKIPPED);
            });
        } else {
            writeStatus(id, status, fault);
        }
    }

    private void writeStatus(long id, SyncStatus status, Fault fault) {
        jdbc.update("UPDATE sync_record SET status = ?, fault_code = ?, fault_message = ?, fault_detail = ?, fault_element = ?,"
                + " intuit_tid = ?, action = ?, updated_at = ? WHERE id = ?", status.name(),
                fault == null ? null : fault.code(), fault == null ? null : truncate(fault.message(), 1000),
                fault == null ? null : truncate(fault.detail(), 2000), fault == null ? null : truncate(fault.element(), 200),
                fault == null ? null : truncate(fault.intuitTid(), 100), fault == null ? null : truncate(fault.action(), 1000),
                now(), id);
    }

    /** Counts per entity type and status, for the README's "what you see" and the ops views. */
    public List<StatusCount> countByStatus() {
        return jdbc.query("SELECT entity_type, status, COUNT(*) AS n FROM sync_record GROUP BY entity_type, status"
                + " ORDER BY entity_type, status", (rs, i) -> new StatusCount(EntityType.valueOf(rs.getString(1)),
                        SyncStatus.valueOf(rs.getString(2)), rs.getLong(3)));
    }

    public record StatusCount(EntityType entityType, SyncStatus status, long count) {
    }

    /** Records of a company in one status with one fault code, oldest first (e.g. those held for a lost connection). */
    public List<SyncRecord> findByStatusAndFaultCode(String realmId, SyncStatus status, String faultCode, int limit) {
        return jdbc.query("SELECT " + COLUMNS + " FROM sync_record WHERE realm_id = ? AND status = ? AND fault_code = ?"
                + " ORDER BY id FETCH FIRST " + limit + " ROWS ONLY", MAPPER, realmId, status.name(), faultCode);
    }

    /**
     * Forgets the QBO entity a record was linked to (it was deleted or merged away in QBO), so that its next push
     * matches or creates again. Status and fault columns are left to the caller.
     */
    public void clearQboLink(long id) {
        forgetIndexedCustomerOf(jdbc, id);
        jdbc.update("UPDATE sync_record SET qbo_id = NULL, qbo_sync_token = NULL, qbo_doc_number = NULL, qbo_name = NULL,"
                + " matched_by = NULL, updated_at = ? WHERE id = ?", now(), id);
    }

    /**
     * Drops from the onboarding index the QBO customer record {@code id} is linked to: it is gone from QBO, so it must
     * not be offered as a match again.
     */
    static void forgetIndexedCustomerOf(JdbcTemplate jdbc, long id) {
        jdbc.update("DELETE FROM qbo_customer_index WHERE (realm_id, qbo_id) IN (SELECT realm_id, qbo_id FROM sync_record"
                + " WHERE id = ? AND entity_type = 'CUSTOMER' AND qbo_id IS NOT NULL)", id);
    }

    /**
     * Stores a requestid minted by a fault handler for the record's next write of {@code intent} at its current
     * version, so that {@link #requestIdFor} hands it out instead of the one already spent on a refused or
     * superseded write (QBO would answer a reused requestid with the old reply).
     */
    public void assignRequestId(long id, String requestId, String intent, String version) {
        jdbc.update("UPDATE sync_record SET request_id = ?, request_intent = ?, request_version = ?, updated_at = ?"
                + " WHERE id = ?", requestId, intent, version, now(), id);
    }

    /**
     * Stores a note on a record without changing its status, in the fault columns: e.g. on a SYNCED record, which
     * field was shortened or which name was used instead. Cleared like any fault when the record is synced again.
     */
    public void annotate(long id, Fault note) {
        jdbc.update("UPDATE sync_record SET fault_code = ?, fault_message = ?, fault_detail = ?, fault_element = ?,"
                + " intuit_tid = ?, action = ?, updated_at = ? WHERE id = ?", note.code(), truncate(note.message(), 1000),
                truncate(note.detail(), 2000), truncate(note.element(), 200), truncate(note.intuitTid(), 100),
                truncate(note.action(), 1000), now(), id);
    }

    private static String truncate(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }

    static OffsetDateTime now() {
        return OffsetDateTime.now(ZoneOffset.UTC);
    }

    private static final RowMapper<SyncRecord> MAPPER = SyncRecordRepository::map;

    private static SyncRecord map(ResultSet rs, int row) throws SQLException {
        return new SyncRecord(rs.getLong("id"), rs.getString("realm_id"), EntityType.valueOf(rs.getString("entity_type")),
                rs.getString("source_id"), rs.getString("source_version"), rs.getString("payload"),
                SyncStatus.valueOf(rs.getString("status")), rs.getString("depends_on"), rs.getString("mapping_rule"),
                rs.getString("qbo_id"), rs.getString("qbo_sync_token"), rs.getString("qbo_doc_number"),
                rs.getString("qbo_name"), rs.getString("matched_by"), rs.getString("request_id"), rs.getString("request_intent"),
                rs.getString("request_version"), rs.getString("fault_code"), rs.getString("fault_message"),
                rs.getString("fault_detail"), rs.getString("fault_element"), rs.getString("intuit_tid"),
                rs.getString("action"), rs.getInt("attempts"), rs.getObject("created_at", OffsetDateTime.class),
                rs.getObject("updated_at", OffsetDateTime.class), rs.getObject("synced_at", OffsetDateTime.class));
    }
}
