package io.qbosync.source.sample;

/** A call of the sample source's admin API that failed; {@link #status()} is the HTTP status, 0 when none came back. */
public class SampleAdminException extends RuntimeException {
    private final int status;

    public SampleAdminException(String message, int status) {
        super(message);
        this.status = status;
    }

    public SampleAdminException(String message, int status, Throwable cause) {
        super(message, cause);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
