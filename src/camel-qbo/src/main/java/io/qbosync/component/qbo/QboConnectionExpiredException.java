package io.qbosync.component.qbo;

import java.util.List;

/**
 * The company's OAuth grant is gone: the token endpoint answered {@code invalid_grant} (refresh token expired,
 * revoked, reused or superseded) or the connection is already marked {@code EXPIRED}/{@code REVOKED}. The
 * connection has been marked in the store; nothing will work for this realm until an operator reconnects it,
 * so callers must not retry. Class {@link FaultClass#AUTH}.
 */
public class QboConnectionExpiredException extends QboFaultException {

    private static final long serialVersionUID = 1L;

    /**
     * @param realmId the company
     * @param code    {@code invalid_grant}, {@code EXPIRED} or {@code REVOKED}
     * @param reason  human-readable reason (never a token)
     */
    public QboConnectionExpiredException(String realmId, String code, String reason) {
        super(400, "OAUTH", List.of(new QboError(code, "QBO connection needs to be re-authorized", reason, null)),
                null, null, FaultClass.AUTH, false, realmId, null, null);
    }
}
