package io.qbosync.source;

import io.qbosync.source.feed.SourceContact;
import io.qbosync.source.feed.SourceCompany;
import io.qbosync.source.feed.SourceInvoice;
import io.qbosync.source.feed.SourcePayment;
import java.util.List;

/**
 * One page of changes from the source, oldest first. {@code nextCursor} is the watermark to store once every
 * record of the page is safely registered; {@code hasMore} says whether to ask again at once.
 */
public record SourceChanges(
        List<SourceContact> contacts,
        List<SourceCompany> companies,
        List<SourceInvoice> invoices,
        List<SourcePayment> payments,
        String nextCursor,
        boolean hasMore) {
}
