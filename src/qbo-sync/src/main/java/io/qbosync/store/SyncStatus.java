package io.qbosync.store;

/** Where a record stands. Every record ends SYNCED, SKIPPED, or FAILED/HELD with a reason and an action. */
public enum SyncStatus {
    /** Registered, waiting on a queue or in flight. */
    PENDING,
    /** In QBO; {@code qbo_id} is set. */
    SYNCED,
    /** QBO (or validation) refused it; fault columns and {@code action} say why and what to do. */
    FAILED,
    /** Waiting for another record ({@code depends_on}) or for a person's decision. */
    HELD,
    /** Deliberately not synced (a person chose to skip it, or it was void before its first sync). */
    SKIPPED
}
