package io.qbosync.config;

/**
 * A configuration this node refuses to start with because it would harm a real QBO company or expose its secrets
 * (sample data into a live ledger, the default admin password, a generated token key in production). The message
 * says what is wrong and how to fix it; {@link UnsafeStartFailureAnalyzer} prints it as the start-up failure.
 */
public class UnsafeStartException extends IllegalStateException {

    /** Every refusal message starts with this, so logs and tests can find them. */
    public static final String PREFIX = "Refusing to start: ";

    public UnsafeStartException(String problemAndFix) {
        super(PREFIX + problemAndFix);
    }
}
