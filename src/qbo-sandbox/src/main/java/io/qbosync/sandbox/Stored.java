package io.qbosync.sandbox;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One stored entity version. The node is never mutated once stored (readers serialise it outside the
 * realm lock); a write replaces the whole {@code Stored}. {@code deleted} marks a transaction tombstone.
 */
record Stored(ObjectNode node, boolean deleted, long updatedMs) {
    long id() {
        return Long.parseLong(node.get("Id").asText());
    }

    String syncToken() {
        return node.path("SyncToken").asText("0");
    }
}
