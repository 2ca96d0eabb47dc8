package io.qbosync.sync;

import java.util.Locale;

import com.fasterxml.jackson.databind.JsonNode;

import io.qbosync.store.EntityType;

/**
 * What travels on the Artemis queues, as JSON text: which record, for which QBO company, at which source version,
 * and the enriched record itself so that ops can read a queued message in Hawtio. The sync store stays the source of
 * truth: a consumer acts on the stored row, and a message for an older version is a no-op.
 */
public record SyncMessage(String realmId, EntityType entityType, String sourceId, String version, JsonNode payload) {

    /** Message groups customers are spread over: bounded, so the broker's group table stays small. */
    static final int CUSTOMER_GROUPS = 128;

    /**
     * The JMS message group ({@code JMSXGroupID}) of a customer: customers that could match the same QBO customer
     * (same e-mail, or without one the same name) share a group, and Artemis hands one group to one consumer at a
     * time, in order. Without it two consumers could both find no match for two parties sharing an e-mail and both
     * create one. Other entity types are not grouped (null).
     */
    public String groupId() {
        if (entityType != EntityType.CUSTOMER || payload == null) {
            return null;
        }
        JsonNode party = payload.path("party");
        String key = party.path("email").asText("").strip();
        if (key.isEmpty()) {
            key = CustomerNames.displayName(payload);
        }
        int bucket = Math.floorMod(key.toLowerCase(Locale.ROOT).hashCode(), CUSTOMER_GROUPS);
        return "customer-match-" + bucket;
    }

    /** The queue this message belongs on. */
    public String queue() {
        return entityType.queue();
    }
}
