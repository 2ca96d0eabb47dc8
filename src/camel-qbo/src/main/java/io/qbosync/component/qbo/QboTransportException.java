package io.qbosync.component.qbo;

import java.util.List;

/**
 * No usable answer from QBO: connect failure, request timeout, broken connection, unreadable 200 reply.
 * Always {@link FaultClass#TRANSIENT}; {@link #ambiguous()} is true when a write may have been executed
 * (the request left this process), so it must be retried with the same {@code requestid}.
 */
public class QboTransportException extends QboFaultException {

    private static final long serialVersionUID = 1L;

    /**
     * @param httpStatus status if one was received (e.g. a 200 whose body could not be read), else 0
     * @param what       short description of what went wrong, without secrets
     * @param ambiguous  true when a write may have happened
     * @param intuitTid  {@code intuit_tid} if a response header was seen, else null
     * @param realmId    company of the request
     * @param requestId  {@code requestid} sent, may be null
     * @param cause      the I/O exception
     */
    public QboTransportException(int httpStatus, String what, boolean ambiguous, String intuitTid, String realmId,
                                 String requestId, Throwable cause) {
        super(httpStatus, "TRANSPORT", List.of(new QboError(null, what, cause == null ? null : cause.toString(), null)),
                intuitTid, null, FaultClass.TRANSIENT, ambiguous, realmId, requestId, cause);
    }
}
