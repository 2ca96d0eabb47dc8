package io.qbosync.source.feed;

import java.math.BigDecimal;

/** One invoice line; {@code amount} = quantity × unitPrice rounded half-up to cents in well-formed data. */
public record SourceInvoiceLine(String description, BigDecimal quantity, BigDecimal unitPrice, BigDecimal amount) {
}
