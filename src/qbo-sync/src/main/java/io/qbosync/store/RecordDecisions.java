package io.qbosync.store;

import java.util.List;
import java.util.Optional;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * What people decide about records (sync center, {@code /api/records}): the decision columns of {@code sync_record}
 * and the state changes behind each action. Kept apart from {@link SyncRecordRepository}, which the pipeline drives.
 * Each action is written to the record's open issues in the same transaction: a skip closes them (resolved by the
 * person), the others are noted on them and name the resolution once the record gets past its fault.
 */
@Repository
public class RecordDecisions {

    /** Create a new QBO customer even though matching found candidates (or a name clash was resolved in QBO). */
    public static final String CREATE_NEW = "CREATE_NEW";
    public static final String MATCHED = "MATCHED";
    public static final String SKIPPED = "SKIPPED";

    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final SyncIssueRepository issues;

    public RecordDecisions(JdbcTemplate jdbc, @Qualifier("syncStoreTx") TransactionTemplate tx,
            SyncIssueRepository issues) {
        this.jdbc = jdbc;
        this.tx = tx;
        this.issues = issues;
    }

    public Optional<String> decisionOf(long recordId) {
        return jdbc.queryForList("SELECT decision FROM sync_record WHERE id = ?", String.class, recordId).stream()
                .filter(d -> d != null).findFirst();
    }

    /** Back to PENDING for another push; the stored requestid stays, so a write that did happen is replayed. */
    public void resync(long id, String decision, String by) {
        tx.executeWithoutResult(s -> {
            jdbc.update("UPDATE sync_record SET status = 'PENDING', decision = COALESCE(?, decision), decided_by = ?,"
                    + " fault_code = NULL, fault_message = NULL, fault_detail = NULL, fault_element = NULL, intuit_tid = NULL,"
                    + " action = NULL, updated_at = ? WHERE id = ?", decision, by, SyncRecordRepository.now(), id);
            issues.noteAction(id, CREATE_NEW.equals(decision) ? SyncIssueRepository.CREATE : SyncIssueRepository.RESYNC, by);
        });
    }

    /**
     * Forgets the record's QBO counterpart (deleted or merged away in QBO): the next push creates a new one. The
     * requestid goes too: a new entity needs a new idempotency key.
     */
    public void clearQboId(long id, String by) {
        tx.executeWithoutResult(s -> {
            writeClearQboId(id, by);
            issues.noteAction(id, SyncIssueRepository.CLEAR_QBO_ID, by);
        });
    }

    private void writeClearQboId(long id, String by) {
        SyncRecordRepository.forgetIndexedCustomerOf(jdbc, id);
        jdbc.update("UPDATE sync_record SET qbo_id = NULL, qbo_sync_token = NULL, qbo_name = NULL, matched_by = NULL, request_id = NULL,"
                + " request_intent = NULL, request_version = NULL, status = 'PENDING', decided_by = ?, fault_code = NULL,"
                + " fault_message = NULL, fault_detail = NULL, fault_element = NULL, intuit_tid = NULL, action = NULL,"
                + " updated_at = ? WHERE id = ?", by, SyncRecordRepository.now(), id);
    }

    /** Ends the record as SKIPPED and its open issues as resolved by {@code by}. */
    public void skip(long id, String by) {
        tx.executeWithoutResult(s -> {
            jdbc.update("UPDATE sync_record SET status = 'SKIPPED', decision = ?, decided_by = ?, fault_code = 'SKIPPED',"
                    + " fault_message = ?, action = 'None.', updated_at = ? WHERE id = ?", SKIPPED, by,
                    "Skipped by " + by, SyncRecordRepository.now(), id);
            issues.resolveByUser(id, SyncIssueRepository.SKIPPED, by);
        });
    }

    /**
     * Records a person's decision on a row the pipeline then marks synced (a hand match); a match is noted on the
     * open issues, which that sync then closes as resolved by this person.
     */
    public void decide(long id, String decision, String by) {
        tx.executeWithoutResult(s -> {
            jdbc.update("UPDATE sync_record SET decision = ?, decided_by = ?, updated_at = ? WHERE id = ?", decision, by,
                    SyncRecordRepository.now(), id);
            if (MATCHED.equals(decision)) {
                issues.noteAction(id, SyncIssueRepository.MATCH, by);
            }
        });
    }

    /**
     * Ids of the customer records held or failed because matching found several QBO customers
     * ({@code DUPLICATE_MATCH}), oldest first: what "create all unmatched as new" acts on.
     */
    public List<Long> unmatchedCustomerIds(int limit) {
        return jdbc.queryForList("SELECT id FROM sync_record WHERE entity_type = ? AND status IN (?, ?) AND fault_code = ?"
                + " ORDER BY id FETCH FIRST " + Math.max(1, Math.min(limit, 10_000)) + " ROWS ONLY", Long.class,
                EntityType.CUSTOMER.name(), SyncStatus.HELD.name(), SyncStatus.FAILED.name(), IssueTypes.DUPLICATE_MATCH);
    }

    /** Ids of records by status and type, newest change first, for the ops lists. */
    public List<Long> ids(SyncStatus status, EntityType type, int limit) {
        StringBuilder sql = new StringBuilder("SELECT id FROM sync_record WHERE 1 = 1");
        List<Object> args = new java.util.ArrayList<>();
        if (status != null) {
            sql.append(" AND status = ?");
            args.add(status.name());
        }
        if (type != null) {
            sql.append(" AND entity_type = ?");
            args.add(type.name());
        }
        sql.append(" ORDER BY updated_at DESC, id DESC FETCH FIRST ").append(Math.max(1, Math.min(limit, 1000)))
                .append(" ROWS ONLY");
        return jdbc.queryForList(sql.toString(), Long.class, args.toArray());
    }
}
