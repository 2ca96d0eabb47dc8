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

    public boolean isSyncedAt(String version) {
        return status == SyncStatus.SYNCED && version.equals(sourceVersion);
    }
}
