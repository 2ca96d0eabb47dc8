package io.qbosync.source;

/**
 * The source could not be reached or answered something that is not a usable page or reply (as opposed to
 * a bad record inside a good page, which becomes a {@link SourceItem} with errors).
 */
public class SourceClientException extends RuntimeException {
    private final int status;

    public SourceClientException(String message, int status, Throwable cause) {
        super(message, cause);
        this.status = status;
    }

    public SourceClientException(String message, int status) {
        this(message, status, null);
    }

    /** HTTP status of the reply, or 0 when no reply came (connection refused, timeout). */
    public int status() {
        return status;
    }
}
