package io.qbosync.sync;

import com.fasterxml.jackson.databind.JsonNode;

import io.qbosync.store.SyncRecord;

/**
 * The record a push route is working on, kept in the exchange property {@value #PROPERTY} while the body carries
 * the QBO request and answer.
 */
public record SyncWork(SyncRecord record, JsonNode payload) {

    public static final String PROPERTY = "syncWork";

    public String realmId() {
        return record.realmId();
    }
}
