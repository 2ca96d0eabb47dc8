package io.qbosync.component.qbo;

import java.util.Locale;

/**
 * The operation named by the first part of a {@code qbo:operation:entity} URI.
 */
public enum QboOperation {
    /** {@code POST /{entity}}: create; a write (gets a {@code requestid}). */
    CREATE(true, true),
    /** {@code GET /{entity}/{id}}. */
    READ(false, true),
    /** {@code POST /{entity}} with {@code Id} and {@code SyncToken}; sparse unless {@code sparse=false}. A write. */
    UPDATE(true, true),
    /** Void a transaction ({@code operation=void}, or {@code operation=update&include=void} for payment-style ones). A write. */
    VOID(true, true),
    /** Delete a transaction ({@code operation=delete}); for list entities a sparse {@code Active=false}. A write. */
    DELETE(true, true),
    /** Run a query statement; pages through all results unless {@code fetchAll=false}. */
    QUERY(false, false),
    /** Change data capture: {@code GET /cdc?entities=…&changedSince=…}. */
    CDC(false, false),
    /** {@code POST /batch} with up to 30 items; item faults are returned, not thrown. A write. */
    BATCH(true, false);

    private final boolean write;
    private final boolean entityRequired;

    QboOperation(boolean write, boolean entityRequired) {
        this.write = write;
        this.entityRequired = entityRequired;
    }

    /** True for operations that change data in QBO and therefore carry a {@code requestid}. */
    public boolean isWrite() {
        return write;
    }

    /** True when the URI must name an entity ({@code qbo:create:Customer}). */
    public boolean isEntityRequired() {
        return entityRequired;
    }

    /** Parses the URI spelling ({@code create}, {@code void}, case-insensitive). */
    public static QboOperation fromUri(String s) {
        try {
            return valueOf(s.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Unknown qbo operation '" + s
                    + "'; expected one of create, read, update, void, delete, query, cdc, batch", e);
        }
    }

    /** The URI spelling. */
    public String uriName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
