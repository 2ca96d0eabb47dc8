package io.qbosync.sync;

import com.fasterxml.jackson.databind.JsonNode;

import io.qbosync.store.EntityType;

/**
 * What travels on the Artemis queues, as JSON text: which record, for which QBO company, at which source version,
 * and the enriched record itself so that ops can read a queued message in Hawtio. The sync store stays the source of
 * truth: a consumer acts on the stored row, and a message for an older version is a no-op.
 */
public record SyncMessage(String realmId, EntityType entityType, String sourceId, String version, JsonNode payload) {

    /** The queue this message belongs on. */
    public String queue() {
        return entityType.queue();
    }
}
