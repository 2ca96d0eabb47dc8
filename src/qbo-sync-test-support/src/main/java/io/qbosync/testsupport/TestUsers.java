package io.qbosync.testsupport;

import org.springframework.test.context.DynamicPropertyRegistry;

/** The three users the security tests log in as: {@code admin}, {@code viewer} and {@code operator}, one per role. */
public final class TestUsers {

    public static final String ADMIN_PASSWORD = "admin-secret";
    public static final String VIEWER_PASSWORD = "viewer-secret";
    public static final String OPERATOR_PASSWORD = "operator-secret";

    private TestUsers() {
    }

    /** Registers the three users (plain-text passwords; qbo-sync hashes them at start). */
    public static void register(DynamicPropertyRegistry registry) {
        registry.add("qbosync.security.admin.password", () -> ADMIN_PASSWORD);
        registry.add("qbosync.security.users[0].name", () -> "viewer");
        registry.add("qbosync.security.users[0].password", () -> VIEWER_PASSWORD);
        registry.add("qbosync.security.users[0].roles", () -> "VIEWER");
        registry.add("qbosync.security.users[1].name", () -> "operator");
        registry.add("qbosync.security.users[1].password", () -> OPERATOR_PASSWORD);
        registry.add("qbosync.security.users[1].roles", () -> "OPERATOR");
    }
}
