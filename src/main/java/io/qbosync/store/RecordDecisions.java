package io.qbosync.store;

import java.util.List;
import java.util.Optional;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * What people decide about records (sync center, {@code /api/records}): the decision columns of {@code sync_record}
 * and the state changes behind each action. Kept apart from {@link SyncRecordRepository}, which the pipeline drives.
 */
@Repository
public class RecordDecisions {

    /** Create a new QBO customer even though matching found candidates (or a name clash was resolved in QBO). */
    public static final String CREATE_NEW = "CREATE_NEW";
    public static final String MATCHED = "MATCHED";
    public static final String SKIPPED = "SKIPPED";

    private final JdbcTemplate jdbc;

    public RecordDecisions(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public Optional<String> decisionOf(long recordId) {
        return jdbc.queryForList("SELECT decision FROM sync_record WHERE id = ?", String.class, recordId).stream()
                .filter(d -> d != null).findFirst();
    }

    /** Back to PENDING for another push; the stored requestid stays, so a write that did happen is replayed. */
    public void resync(long id, String decision, String by) {
        jdbc.update("UPDATE sync_record SET status = 'PENDING', decision = COALESCE(?, decision), decided_by = ?,"
                + " fault_code = NULL, fault_message = NULL, fault_detail = NULL, fault_element = NULL, intuit_tid = NULL,"
                + " action = NULL, updated_at = ? WHERE id = ?", decision, by, SyncRecordRepository.now(), id);
    }

    /**
     * Forgets the record's QBO counterpart (deleted or merged away in QBO): the next push creates a new one. The
     * requestid goes too: a new entity needs a new idempotency key.
     */
    public void clearQboId(long id, String by) {
        jdbc.update("UPDATE sync_record SET qbo_id = NULL, qbo_sync_token = NULL, matched_by = NULL, request_id = NULL,"
                + " request_intent = NULL, request_version = NULL, status = 'PENDING', decided_by = ?, fault_code = NULL,"
                + " fault_message = NULL, fault_detail = NULL, fault_element = NULL, intuit_tid = NULL, action = NULL,"
                + " updated_at = ? WHERE id = ?", by, SyncRecordRepository.now(), id);
    }

    public void skip(long id, String by) {
        jdbc.update("UPDATE sync_record SET status = 'SKIPPED', decision = ?, decided_by = ?, fault_code = 'SKIPPED',"
                + " fault_message = ?, action = 'None.', updated_at = ? WHERE id = ?", SKIPPED, by,
                "Skipped by " + by, SyncRecordRepository.now(), id);
    }

    /** Records a person's decision on a row the pipeline then marks synced (a hand match). */
    public void decide(long id, String decision, String by) {
        jdbc.update("UPDATE sync_record SET decision = ?, decided_by = ?, updated_at = ? WHERE id = ?", decision, by,
                SyncRecordRepository.now(), id);
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
