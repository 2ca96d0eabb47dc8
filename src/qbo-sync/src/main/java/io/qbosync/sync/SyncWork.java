package io.qbosync.sync;

import com.fasterxml.jackson.databind.JsonNode;

import io.qbosync.store.SyncRecord;

/**
 * The record a push route is working on, kept in the exchange property {@value SyncHeaders#WORK} while the body
 * carries the QBO request and answer. The routes ask it what they branch on
 * ({@code ${exchangeProperty.syncWork.inQbo()}}) instead of reaching into the record or its JSON payload.
 */
public record SyncWork(SyncRecord record, JsonNode payload) {

    public String realmId() {
        return record.realmId();
    }

    /** True once the record has a QBO counterpart: the push is an update (or a void), not a create. */
    public boolean inQbo() {
        return record.qboId() != null;
    }

    /** The QBO id of the record's counterpart, or null before its first sync. */
    public String qboId() {
        return record.qboId();
    }

    /** The SyncToken QBO last returned for the counterpart, or null. */
    public String qboSyncToken() {
        return record.qboSyncToken();
    }

    /** True when the source voided the invoice in hand (payload {@code invoice.status} is {@code voided}). */
    public boolean voidedInSource() {
        return "voided".equals(payload.path("invoice").path("status").asText());
    }
}
