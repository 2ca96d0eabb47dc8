package io.qbosync.source.feed;

import com.fasterxml.jackson.databind.JsonNode;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * How a feed record's key is derived from its JSON: part of the feed's contract, so that a source (or a corpus of
 * malformed records) can tell under which id qbo-sync files a record it sent, even one with a missing or unusable id.
 */
public final class SourceIds {

    /** Longest id qbo-sync keys a record by (the sync store's key column). */
    public static final int MAX_ID = 100;

    private SourceIds() {
    }

    /**
     * The id to file a record under: its {@code id} when that is a non-blank string (or a number), else
     * {@code missing-id-} plus 16 hex digits of the SHA-256 of its JSON text, stable for identical content.
     * An id that is present but cannot be a key — over {@link #MAX_ID} characters, or holding control characters,
     * U+FFFD or lone surrogates — is filed as {@code invalid-id-} plus the same hash: written as it is, it would not
     * fit the sync store's key column (or PostgreSQL would refuse the NUL), and the failed insert would stop the poll
     * at that page for good. Messages still name such a record by its (quoted, shortened) id.
     */
    public static String of(JsonNode raw) {
        String id = idText(raw);
        if (id != null && usableAsKey(id)) {
            return id;
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(String.valueOf(raw).getBytes(StandardCharsets.UTF_8));
            return (id == null ? "missing-id-" : "invalid-id-") + HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /** The record's id as text: a non-blank string, or an integral number; null otherwise. */
    public static String idText(JsonNode raw) {
        JsonNode id = raw != null && raw.isObject() ? raw.get("id") : null;
        if (id != null && id.isTextual() && !id.textValue().isBlank()) {
            return id.textValue();
        }
        if (id != null && id.isIntegralNumber()) {
            return id.asText();
        }
        return null;
    }

    private static boolean usableAsKey(String id) {
        if (id.length() > MAX_ID) {
            return false;
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < id.length() && Character.isLowSurrogate(id.charAt(i + 1))) {
                i++;
            } else if (Character.isISOControl(c) || Character.isSurrogate(c) || c == '\uFFFD') {
                return false;
            }
        }
        return true;
    }
}
