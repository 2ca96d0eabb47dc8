package io.qbosync.store;

import java.time.OffsetDateTime;

/** One row of the sync store: a source record and the QBO entity it became (or why it did not). */
public record SyncRecord(
        long id,
        String realmId,
        EntityType entityType,
        String sourceId,
        String sourceVersion,
        String payload,
        SyncStatus status,
        String dependsOn,
        String mappingRule,
        String qboId,
        String qboSyncToken,
        String qboDocNumber,
        String qboName,
        String matchedBy,
        String requestId,
        String requestIntent,
        String requestVersion,
        String faultCode,
        String faultMessage,
        String faultDetail,
        String faultElement,
        String intuitTid,
        String action,
        int attempts,
        OffsetDateTime createdAt,
        OffsetDateTime updatedAt,
        OffsetDateTime syncedAt) {

    /** The key dependants store in {@code depends_on}. */
    public String key() {
        return entityType.key(sourceId);
    }

    /**
     * True when a requestid was already minted for {@code intent} at the current version: an earlier attempt (before
     * a crash, a rollback or a resync) may have reached QBO.
     */
    public boolean hasRequestFor(String intent) {
        return requestId != null && intent.equals(requestIntent) && sourceVersion.equals(requestVersion);
    }

    public boolean isSyncedAt(String version) {
        return status == SyncStatus.SYNCED && version.equals(sourceVersion);
    }
}
