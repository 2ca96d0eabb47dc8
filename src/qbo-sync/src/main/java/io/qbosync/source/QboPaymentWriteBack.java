package io.qbosync.source;

import java.math.BigDecimal;

/**
 * A payment applied to an invoice in QuickBooks Online, written back to the source
 * ({@code POST /api/invoices/{id}/payments}). The source keeps one entry per {@code qboPaymentId}.
 *
 * @param qboPaymentId the QBO Payment Id
 * @param amount       the amount applied to this invoice
 * @param date         the payment's TxnDate, {@code YYYY-MM-DD}
 */
public record QboPaymentWriteBack(String qboPaymentId, BigDecimal amount, String date) {
}
