package io.qbosync.source.sample;

import io.qbosync.source.feed.SourceKind;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.Comparator;

/**
 * A record's place in the change feed: (updatedAt, kind, id). The cursor handed to clients is this key,
 * base64url-encoded, so that it stays opaque and survives any character in an id.
 */
record FeedKey(Instant time, SourceKind kind, String id) implements Comparable<FeedKey> {
    private static final Comparator<FeedKey> ORDER = Comparator.comparing(FeedKey::time)
            .thenComparing(FeedKey::kind)
            .thenComparing(FeedKey::id);
    private static final String VERSION = "v1";

    @Override
    public int compareTo(FeedKey o) {
        return ORDER.compare(this, o);
    }

    String toCursor() {
        String plain = VERSION + "|" + time + "|" + kind.wire() + "|" + id;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(plain.getBytes(StandardCharsets.UTF_8));
    }

    /** Parses a cursor this server issued; throws IllegalArgumentException for anything else. */
    static FeedKey fromCursor(String cursor) {
        try {
            String plain = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            String[] parts = plain.split("\\|", 4);
            if (parts.length != 4 || !VERSION.equals(parts[0])) {
                throw new IllegalArgumentException("not a cursor of this server");
            }
            return new FeedKey(Instant.parse(parts[1]), SourceKind.fromWire(parts[2]), parts[3]);
        } catch (IllegalArgumentException | DateTimeParseException e) {
            throw new IllegalArgumentException("cursor \"" + cursor + "\" was not issued by this source", e);
        }
    }
}
