package io.qbosync.source.feed;

import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Locale;

/**
 * The four record kinds of the source feed. The declaration order is the order in which a page is handed
 * to the pipeline: a company before the contacts that work for it, both before the invoices billing them,
 * an invoice before its payments. {@link #wire()} is the name used in the API and in messages.
 */
public enum SourceKind {
    COMPANY("company", "companies"),
    CONTACT("contact", "contacts"),
    INVOICE("invoice", "invoices"),
    PAYMENT("payment", "payments");

    private final String wire;
    private final String plural;

    SourceKind(String wire, String plural) {
        this.wire = wire;
        this.plural = plural;
    }

    /** Lower-case singular name: {@code contact}, {@code company}, {@code invoice}, {@code payment}. */
    @JsonValue
    public String wire() {
        return wire;
    }

    /** Name of the array holding this kind in a changes page ({@code contacts}, …) and in URL paths. */
    public String plural() {
        return plural;
    }

    /** Accepts the singular or plural wire name in any case; throws for anything else. */
    public static SourceKind fromWire(String name) {
        String n = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
        for (SourceKind k : values()) {
            if (k.wire.equals(n) || k.plural.equals(n)) {
                return k;
            }
        }
        throw new IllegalArgumentException("unknown record kind \"" + name + "\" (expected contact, company, invoice or payment)");
    }

    @Override
    public String toString() {
        return wire;
    }
}
