package io.qbosync.store;

import java.time.OffsetDateTime;
import java.util.List;

/**
 * One row of {@code sync_issue}: a record's fault of one family ({@link IssueTypes}), counted while it repeats, and
 * how it ended.
 *
 * @param occurrences    how often the record met this fault while the issue was open
 * @param qboCode        the latest occurrence's code (QBO's own, or qbo-sync's for its own rejections)
 * @param guidance       what a person should do, as the record's action text said at the latest occurrence
 * @param actions        the {@code /api/records/{recordId}/{action}} actions that fit this type
 * @param lastAction     the latest ops action taken while the issue was open (RESYNC, CREATE, CLEAR_QBO_ID, MATCH)
 * @param resolution     what ended it: SYNCED, SKIPPED, SUPERSEDED (the record met another fault) or the ops action
 *                       that led there
 * @param resolvedBy     the user who ended it, or {@value SyncIssueRepository#SYSTEM} when the pipeline did
 * @param blockedRecords records held until this issue's record is in QBO (their WAITING_FOR_DEPENDENCY holds)
 */
public record SyncIssue(
        long id,
        String realmId,
        long recordId,
        EntityType entityType,
        String sourceId,
        String issueType,
        Status status,
        int occurrences,
        OffsetDateTime firstSeen,
        OffsetDateTime lastSeen,
        String qboCode,
        String qboMessage,
        String detail,
        String element,
        String intuitTid,
        String guidance,
        List<String> actions,
        String lastAction,
        String lastActionBy,
        OffsetDateTime lastActionAt,
        OffsetDateTime resolvedAt,
        String resolution,
        String resolvedBy,
        long blockedRecords) {

    /** OPEN until the record is synced or skipped, an ops action ends it, or another fault supersedes it. */
    public enum Status {
        OPEN, RESOLVED
    }

    /** The record's key, as dependants store it ({@code CUSTOMER:contact:C-0001}). */
    public String recordKey() {
        return entityType.key(sourceId);
    }
}
