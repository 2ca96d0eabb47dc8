package io.qbosync.sync;

/**
 * A record qbo-sync itself refuses before or instead of a QBO call (item not found in QBO, ambiguous customer
 * match, …), with its own code and the action that fixes it. Deterministic: never retried blindly.
 */
public class SyncRejection extends RuntimeException {

    private final String code;
    private final String action;

    public SyncRejection(String code, String message, String action) {
        super(message);
        this.code = code;
        this.action = action;
    }

    public String code() {
        return code;
    }

    public String getCode() {
        return code;
    }

    public String action() {
        return action;
    }
}
