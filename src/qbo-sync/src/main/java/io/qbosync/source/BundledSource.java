package io.qbosync.source;

/**
 * A source running inside this application, read when {@code source.base-url} is empty. The product has none; the
 * demo wiring (module qbo-sync-demo) supplies the sample source.
 */
@FunctionalInterface
public interface BundledSource {

    /** Where its change feed answers, e.g. {@code http://127.0.0.1:8090}. */
    String baseUrl();
}
