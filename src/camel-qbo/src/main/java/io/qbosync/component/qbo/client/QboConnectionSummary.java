package io.qbosync.component.qbo.client;

import java.time.Instant;

/**
 * A company connection without any secret, for listings (operations pages, health checks).
 */
public record QboConnectionSummary(String realmId, String environment, String apiBaseUrl,
                                   QboConnectionStatus status, String statusReason, Instant accessExpiresAt,
                                   Instant refreshExpiresAt, Instant refreshHardExpiresAt, Instant lastRefreshedAt,
                                   Instant createdAt, Instant updatedAt) {
}
