package io.qbosync.config;

/**
 * What a qbo-sync user may do. Each role includes the ones below it (see {@link SecurityConfig#roleHierarchy()}).
 */
public enum SyncRole {
    /** Everything, including Hawtio, Jolokia and actuator write operations. */
    ADMIN,
    /** Sync center and {@code /api/**} actions (retry, hold, resolve...). */
    OPERATOR,
    /** Read-only: GET requests on the app and the actuator endpoints. */
    VIEWER;

    /** The Spring Security authority for this role, e.g. {@code ROLE_ADMIN}. */
    public String authority() {
        return "ROLE_" + name();
    }
}
