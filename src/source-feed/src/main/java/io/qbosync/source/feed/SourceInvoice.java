package io.qbosync.source.feed;

import java.math.BigDecimal;
import java.util.List;

/**
 * An invoice in the source system.
 *
 * @param billToType   {@code contact} or {@code company}: which record {@code billToId} names
 * @param category     {@code membership}, {@code event} or {@code other}; drives the mapping lookup
 * @param typeName     membership type ("Gold Membership") or event name ("Annual Gala"); null for {@code other}
 * @param status       {@code open} or {@code voided} as the source sees it
 * @param total        the source's own total, compared with what QBO computes
 * @param chapter      the chapter (or subsidiary) that issued it, may be null; the mapping file can route invoices to
 *                     QBO companies by it ({@code companies: by: chapter})
 */
public record SourceInvoice(
        String id,
        String number,
        String billToType,
        String billToId,
        String category,
        String typeName,
        String issueDate,
        String dueDate,
        String currency,
        List<SourceInvoiceLine> lines,
        BigDecimal total,
        String status,
        String memo,
        String updatedAt,
        String chapter) {
}
