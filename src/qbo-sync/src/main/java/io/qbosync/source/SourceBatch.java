package io.qbosync.source;

import java.util.List;

/**
 * One page of the source's change feed after per-record validation.
 *
 * @param items      every record of the page, valid or not, companies first, then contacts, invoices and
 *                   payments, each kind in feed order
 * @param nextCursor the cursor to pass to the next call; store it only once every item is registered.
 *                   Equals the cursor asked with when nothing was new; null only if both are "the beginning"
 * @param hasMore    true when the source has more records after this page: ask again at once
 */
public record SourceBatch(List<SourceItem> items, String nextCursor, boolean hasMore) {

    public SourceBatch {
        items = List.copyOf(items);
    }

    /** Items that passed validation. */
    public List<SourceItem> validItems() {
        return items.stream().filter(SourceItem::valid).toList();
    }

    /** Items that failed validation, each with its messages. */
    public List<SourceItem> invalidItems() {
        return items.stream().filter(i -> !i.valid()).toList();
    }
}
