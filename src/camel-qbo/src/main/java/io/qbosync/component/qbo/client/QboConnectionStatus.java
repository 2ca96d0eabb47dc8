package io.qbosync.component.qbo.client;

/** State of a company's OAuth connection. */
public enum QboConnectionStatus {
    /** Tokens work (or can be refreshed). */
    CONNECTED,
    /** The refresh token was refused ({@code invalid_grant}): an operator must re-authorize. */
    EXPIRED,
    /** Disconnected on purpose (tokens revoked). */
    REVOKED
}
