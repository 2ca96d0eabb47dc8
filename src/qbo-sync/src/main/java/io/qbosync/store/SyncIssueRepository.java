package io.qbosync.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * JDBC access to {@code sync_issue}. {@link SyncRecordRepository} and {@link RecordDecisions} call it inside the
 * transaction that changes the record, so a record is never FAILED without its issue, nor SYNCED with one open.
 *
 * <p>Race safety of {@link #recordFault}: it locks the record's {@code sync_record} row first (every caller has
 * just updated that row in the same transaction anyway), so two consumers recording a fault for one record take
 * turns, and the second sees the first one's OPEN row and counts it. The unique key on
 * {@code (record_id, issue_type, open_key)} backs this up: should an insert still collide, it is undone to a
 * savepoint and the existing row is counted instead, without aborting the caller's transaction (PostgreSQL would
 * otherwise refuse every further statement in it).
 */
@Repository
public class SyncIssueRepository {

    /** {@code resolved_by} when the pipeline, not a person, ended an issue. */
    public static final String SYSTEM = "qbo-sync";

    /** Resolutions: the record reached QBO, was skipped, or met a different fault. */
    public static final String SYNCED = "SYNCED";
    public static final String SKIPPED = "SKIPPED";
    public static final String SUPERSEDED = "SUPERSEDED";
    /** Ops actions, noted on the open issue and named as its resolution when the record then gets past it. */
    public static final String RESYNC = "RESYNC";
    public static final String MATCH = "MATCH";
    public static final String CREATE = "CREATE";
    public static final String CLEAR_QBO_ID = "CLEAR_QBO_ID";

    private static final String COLUMNS = "i.id, i.realm_id, i.record_id, i.entity_type, i.source_id, i.issue_type,"
            + " i.status, i.occurrences, i.first_seen, i.last_seen, i.qbo_code, i.qbo_message, i.detail, i.element,"
            + " i.intuit_tid, i.guidance, i.actions, i.last_action, i.last_action_by, i.last_action_at, i.resolved_at,"
            + " i.resolution, i.resolved_by,"
            // Dependants held until this issue's record is in QBO: what the issue blocks.
            + " (SELECT COUNT(*) FROM sync_record d WHERE d.realm_id = i.realm_id"
            + " AND d.depends_on = i.entity_type || ':' || i.source_id AND d.status = 'HELD'"
            + " AND d.fault_code = '" + SyncRecordRepository.WAITING_FOR_DEPENDENCY + "') AS blocked";

    /**
     * Closes open issues. An ops action taken since the issue last occurred is named as what ended it (and by whom);
     * otherwise the outcome passed as parameter, by {@value #SYSTEM}.
     */
    private static final String CLOSE_BY_OUTCOME = "UPDATE sync_issue SET status = 'RESOLVED', open_key = id,"
            + " resolved_at = ?,"
            + " resolution = CASE WHEN last_action_at IS NOT NULL AND last_action_at >= last_seen THEN last_action ELSE ? END,"
            + " resolved_by = CASE WHEN last_action_at IS NOT NULL AND last_action_at >= last_seen THEN last_action_by"
            + " ELSE '" + SYSTEM + "' END WHERE record_id = ? AND status = 'OPEN'";

    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final TransactionTemplate savepoint;

    public SyncIssueRepository(JdbcTemplate jdbc, @Qualifier("syncStoreTx") TransactionTemplate tx) {
        this.jdbc = jdbc;
        this.tx = tx;
        this.savepoint = new TransactionTemplate(tx.getTransactionManager());
        this.savepoint.setPropagationBehavior(TransactionDefinition.PROPAGATION_NESTED);
    }

    /**
     * Opens the issue for this fault on the record, or counts one more occurrence of the open one (last seen, code,
     * message, detail and guidance become the latest). Open issues of other types on the record are closed as
     * {@value #SUPERSEDED}: the record got past them. Does nothing for codes that are no issue
     * ({@link IssueTypes#isIssue}).
     *
     * @return the open issue's id, empty when the fault is no issue or the record does not exist
     */
    public Optional<Long> recordFault(long recordId, Fault fault) {
        if (fault == null || !IssueTypes.isIssue(fault.code())) {
            return Optional.empty();
        }
        return tx.execute(status -> {
            List<Object[]> record = jdbc.query("SELECT realm_id, entity_type, source_id FROM sync_record WHERE id = ?"
                    + " FOR UPDATE", (rs, i) -> new Object[] {rs.getString(1), rs.getString(2), rs.getString(3)},
                    recordId);
            if (record.isEmpty()) {
                return Optional.<Long>empty();
            }
            String type = IssueTypes.typeOf(fault.code());
            OffsetDateTime now = SyncRecordRepository.now();
            jdbc.update(CLOSE_BY_OUTCOME + " AND issue_type <> ?", now, SUPERSEDED, recordId, type);
            Optional<Long> bumped = bump(recordId, type, fault, now);
            if (bumped.isPresent()) {
                return bumped;
            }
            EntityType entity = EntityType.valueOf((String) record.get(0)[1]);
            try {
                savepoint.executeWithoutResult(s -> jdbc.update("INSERT INTO sync_issue (realm_id, record_id, entity_type,"
                        + " source_id, issue_type, status, open_key, occurrences, first_seen, last_seen, qbo_code, qbo_message,"
                        + " detail, element, intuit_tid, guidance, actions) VALUES (?,?,?,?,?,'OPEN',0,1,?,?,?,?,?,?,?,?,?)",
                        record.get(0)[0], recordId, entity.name(), record.get(0)[2], type, now, now,
                        cut(fault.code(), 32), cut(fault.message(), 1000), cut(fault.detail(), 2000),
                        cut(fault.element(), 200), cut(fault.intuitTid(), 100), cut(fault.action(), 1000),
                        String.join(",", IssueTypes.actionsFor(type, entity))));
            } catch (DuplicateKeyException raced) {
                return bump(recordId, type, fault, now);
            }
            return openId(recordId, type);
        });
    }

    private Optional<Long> bump(long recordId, String type, Fault fault, OffsetDateTime now) {
        int updated = jdbc.update("UPDATE sync_issue SET occurrences = occurrences + 1, last_seen = ?, qbo_code = ?,"
                + " qbo_message = ?, detail = ?, element = ?, intuit_tid = ?, guidance = ?"
                + " WHERE record_id = ? AND issue_type = ? AND status = 'OPEN'", now, cut(fault.code(), 32),
                cut(fault.message(), 1000), cut(fault.detail(), 2000), cut(fault.element(), 200),
                cut(fault.intuitTid(), 100), cut(fault.action(), 1000), recordId, type);
        return updated == 0 ? Optional.empty() : openId(recordId, type);
    }

    private Optional<Long> openId(long recordId, String type) {
        return jdbc.queryForList("SELECT id FROM sync_issue WHERE record_id = ? AND issue_type = ? AND status = 'OPEN'",
                Long.class, recordId, type).stream().findFirst();
    }

    /**
     * Closes the record's open issues because of an outcome of the pipeline ({@value #SYNCED}, {@value #SKIPPED}):
     * resolved by the ops action taken since the issue last occurred, if any, else by the outcome.
     *
     * @return the number of issues closed
     */
    public int resolveByOutcome(long recordId, String outcome) {
        return jdbc.update(CLOSE_BY_OUTCOME, SyncRecordRepository.now(), outcome, recordId);
    }

    /** Closes the record's open issues because a person ended them ({@value #SKIPPED}, ...). */
    public int resolveByUser(long recordId, String resolution, String by) {
        return jdbc.update("UPDATE sync_issue SET status = 'RESOLVED', open_key = id, resolved_at = ?, resolution = ?,"
                + " resolved_by = ? WHERE record_id = ? AND status = 'OPEN'", SyncRecordRepository.now(), resolution,
                cut(by, 100), recordId);
    }

    /**
     * Notes an ops action on the record's open issues without closing them: whether it helped shows only when the
     * record is pushed again. If it meets the same fault, the issue counts one more occurrence; if it gets past it,
     * the issue is resolved with this action and user.
     */
    public int noteAction(long recordId, String action, String by) {
        return jdbc.update("UPDATE sync_issue SET last_action = ?, last_action_by = ?, last_action_at = ?"
                + " WHERE record_id = ? AND status = 'OPEN'", action, cut(by, 100), SyncRecordRepository.now(), recordId);
    }

    public Optional<SyncIssue> findById(long id) {
        return jdbc.query("SELECT " + COLUMNS + " FROM sync_issue i WHERE i.id = ?", MAPPER, id).stream().findFirst();
    }

    /** What {@link #find} selects; null fields do not filter. */
    public record Query(SyncIssue.Status status, String issueType, String realmId, Long recordId, int limit) {
    }

    /** Issues matching {@code query}, the most recently seen first. */
    public List<SyncIssue> find(Query query) {
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM sync_issue i WHERE 1 = 1");
        List<Object> args = new ArrayList<>();
        if (query.status() != null) {
            sql.append(" AND i.status = ?");
            args.add(query.status().name());
        }
        if (query.issueType() != null) {
            sql.append(" AND i.issue_type = ?");
            args.add(query.issueType());
        }
        if (query.realmId() != null) {
            sql.append(" AND i.realm_id = ?");
            args.add(query.realmId());
        }
        if (query.recordId() != null) {
            sql.append(" AND i.record_id = ?");
            args.add(query.recordId());
        }
        sql.append(" ORDER BY i.last_seen DESC, i.id DESC FETCH FIRST ").append(Math.max(1, Math.min(query.limit(), 1000)))
                .append(" ROWS ONLY");
        return jdbc.query(sql.toString(), MAPPER, args.toArray());
    }

    /** Open issues per type (all companies when {@code realmId} is null), types in alphabetical order. */
    public Map<String, Long> openCountsByType(String realmId) {
        Map<String, Long> counts = new LinkedHashMap<>();
        String sql = "SELECT issue_type, COUNT(*) FROM sync_issue WHERE status = 'OPEN'"
                + (realmId == null ? "" : " AND realm_id = ?") + " GROUP BY issue_type ORDER BY issue_type";
        jdbc.query(sql, rs -> {
            counts.put(rs.getString(1), rs.getLong(2));
        }, realmId == null ? new Object[0] : new Object[] {realmId});
        return counts;
    }

    private static String cut(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }

    private static final RowMapper<SyncIssue> MAPPER = SyncIssueRepository::map;

    private static SyncIssue map(ResultSet rs, int row) throws SQLException {
        String actions = rs.getString("actions");
        return new SyncIssue(rs.getLong("id"), rs.getString("realm_id"), rs.getLong("record_id"),
                EntityType.valueOf(rs.getString("entity_type")), rs.getString("source_id"), rs.getString("issue_type"),
                SyncIssue.Status.valueOf(rs.getString("status")), rs.getInt("occurrences"),
                rs.getObject("first_seen", OffsetDateTime.class), rs.getObject("last_seen", OffsetDateTime.class),
                rs.getString("qbo_code"), rs.getString("qbo_message"), rs.getString("detail"), rs.getString("element"),
                rs.getString("intuit_tid"), rs.getString("guidance"),
                actions == null || actions.isBlank() ? List.of() : Arrays.asList(actions.split(",")),
                rs.getString("last_action"), rs.getString("last_action_by"),
                rs.getObject("last_action_at", OffsetDateTime.class), rs.getObject("resolved_at", OffsetDateTime.class),
                rs.getString("resolution"), rs.getString("resolved_by"), rs.getLong("blocked"));
    }
}
