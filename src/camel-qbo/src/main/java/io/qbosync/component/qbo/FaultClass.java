package io.qbosync.component.qbo;

/**
 * What a QBO fault means for the caller, per the fault table of the team's QBO fact sheet.
 */
public enum FaultClass {
    /** The same request will fail again (validation, duplicates, missing references): fix data or hold the record. */
    DETERMINISTIC,
    /** Worth retrying with backoff and the same {@code requestid}: 5010, throttling, 5xx, HTML edge errors, timeouts. */
    TRANSIENT,
    /** Token, authorization or company-configuration problem: refresh the token or ask an operator to reconnect. */
    AUTH
}
