package io.qbosync.source;

import java.math.BigDecimal;

/**
 * The state of an invoice in QuickBooks Online, written back to the source
 * ({@code POST /api/invoices/{id}/qbo-status}).
 *
 * @param status    {@code open}, {@code paid} or {@code voided} as derived from the QBO invoice
 * @param balance   the QBO invoice's Balance (0 when paid or voided)
 * @param qboId     the QBO invoice Id
 * @param docNumber the QBO DocNumber (may differ from the source number after a 6140 rename)
 */
public record QboStatusWriteBack(String status, BigDecimal balance, String qboId, String docNumber) {
}
