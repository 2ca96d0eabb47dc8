package io.qbosync.source.feed;

import java.math.BigDecimal;

/** A payment received against one source invoice. */
public record SourcePayment(
        String id,
        String invoiceId,
        BigDecimal amount,
        String paidOn,
        String method,
        String reference,
        String updatedAt) {
}
