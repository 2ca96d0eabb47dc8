package io.qbosync.component.qbo;

import java.time.Duration;
import java.util.List;

/**
 * Nothing was sent: the company's rate budget (the client's governor) had no permit within the caller's bound
 * ({@link QboConstants#MAX_PERMIT_WAIT}). Transient and {@link #throttled()}, with the expected wait as
 * {@link #retryAfter()}, so that the caller can put the work aside instead of holding its thread. It is no QBO
 * answer and no attempt: nothing reached QBO.
 */
public class QboRealmBusyException extends QboFaultException {

    private static final long serialVersionUID = 1L;

    /** Stored fault code, should a caller record it. */
    public static final String CODE = "QBO_RATE_BUDGET";

    public QboRealmBusyException(String realmId, String requestId, Duration retryAfter) {
        super(0, "RATE_BUDGET", List.of(new QboError(CODE, "The company's request budget is in use",
                        "no permit within the caller's bound; next in about " + retryAfter.toMillis() + " ms", null)),
                null, retryAfter, FaultClass.TRANSIENT, false, realmId, requestId, null);
    }

    @Override
    public boolean throttled() {
        return true;
    }
}
