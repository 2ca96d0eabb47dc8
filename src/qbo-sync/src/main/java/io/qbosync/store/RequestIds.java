package io.qbosync.store;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The QBO {@code requestid} of a write, as a function of what survives any crash: the company, the entity, the source
 * record's id and content version, the intent and, for an update or void, the SyncToken it is based on. A row id or
 * a clock would not do: a store that came back from a crash without the row (or a replica that registered the record
 * again) would mint a new id, and QBO could not recognise the repeat.
 *
 * <p>Form: {@code qs-<intent>-<32 hex of SHA-256>}, at most 42 characters (QBO allows 50, and fault handlers append a
 * short tag for a write that must not be answered from an earlier one).
 */
public final class RequestIds {

    private RequestIds() {
    }

    /**
     * @param baseSyncToken the SyncToken an update or void is sent with (so that A → B → A sends A's second update as
     *                      a new write, not a repeat of the first); null for a create
     */
    public static String of(String realmId, EntityType type, String sourceId, String sourceVersion, String intent,
            String baseSyncToken) {
        String identity = String.join("\u001f", realmId, type.name(), sourceId, sourceVersion, intent,
                baseSyncToken == null ? "" : baseSyncToken);
        return "qs-" + intent.toLowerCase() + "-" + HexFormat.of().formatHex(sha256(identity), 0, 16);
    }

    /** The requestid of {@code record}'s write of {@code intent} at its current version. */
    public static String of(SyncRecord record, String intent) {
        return of(record.realmId(), record.entityType(), record.sourceId(), record.sourceVersion(), intent,
                "CREATE".equals(intent) ? null : record.qboSyncToken());
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
