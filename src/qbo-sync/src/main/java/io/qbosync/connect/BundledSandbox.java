package io.qbosync.connect;

/**
 * A QBO sandbox running inside this application. The product has none; the demo wiring (module qbo-sync-demo)
 * supplies one, and {@link RealmProvisioner} then creates the demo company on it.
 */
@FunctionalInterface
public interface BundledSandbox {

    /** Where the sandbox answers, e.g. {@code http://127.0.0.1:8089}. */
    String baseUrl();
}
