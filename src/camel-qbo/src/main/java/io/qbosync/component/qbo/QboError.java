package io.qbosync.component.qbo;

/**
 * One entry of a QBO {@code Fault.Error} list.
 *
 * @param code    QBO's error code as a string (e.g. {@code "6240"}), or null when the reply had none
 * @param message QBO's short message
 * @param detail  QBO's detail text (may carry the clashing {@code Id=} or {@code TxnId=})
 * @param element the offending field when QBO names one (e.g. {@code DisplayName} for 2050), else null or empty
 */
public record QboError(String code, String message, String detail, String element) {
}
