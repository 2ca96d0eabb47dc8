package io.qbosync.component.qbo.client;

import java.time.Instant;

/**
 * A company's OAuth connection as stored in {@code qbo_connection} (secrets decrypted in memory only).
 * {@link #toString()} never shows secrets.
 *
 * @param realmId              QBO company id
 * @param environment          {@code sandbox}, {@code production} or {@code local} (the bundled emulator)
 * @param apiBaseUrl           API host for this company
 * @param tokenUrl             OAuth token endpoint
 * @param clientId             app client id
 * @param clientSecret         app client secret
 * @param refreshToken         current refresh token
 * @param accessToken          last access token, may be null
 * @param accessExpiresAt      expiry of the access token, may be null
 * @param refreshExpiresAt     rolling expiry of the refresh token (about 100 days), may be null
 * @param refreshHardExpiresAt hard expiry of the grant (5 years), may be null
 * @param status               connection state
 * @param statusReason         why the state was set, may be null
 * @param createdAt            row creation, may be null before the first save
 * @param updatedAt            last change, may be null before the first save
 * @param lastRefreshedAt      last successful refresh, may be null
 */
public record QboConnection(String realmId, String environment, String apiBaseUrl, String tokenUrl, String clientId,
                            String clientSecret, String refreshToken, String accessToken, Instant accessExpiresAt,
                            Instant refreshExpiresAt, Instant refreshHardExpiresAt, QboConnectionStatus status,
                            String statusReason, Instant createdAt, Instant updatedAt, Instant lastRefreshedAt) {

    /**
     * A new, connected company as received from an authorization-code exchange (or the sandbox's admin API).
     */
    public static QboConnection connected(String realmId, String environment, String apiBaseUrl, String tokenUrl,
                                          String clientId, String clientSecret, String refreshToken,
                                          String accessToken, Instant accessExpiresAt, Instant refreshExpiresAt) {
        return new QboConnection(realmId, environment, apiBaseUrl, tokenUrl, clientId, clientSecret, refreshToken,
                accessToken, accessExpiresAt, refreshExpiresAt, null, QboConnectionStatus.CONNECTED, null, null,
                null, null);
    }

    @Override
    public String toString() {
        return "QboConnection{realmId=" + realmId + ", environment=" + environment + ", apiBaseUrl=" + apiBaseUrl
                + ", tokenUrl=" + tokenUrl + ", clientId=" + clientId + ", clientSecret=***, refreshToken=***"
                + ", accessToken=" + (accessToken == null ? "null" : "***") + ", accessExpiresAt=" + accessExpiresAt
                + ", refreshExpiresAt=" + refreshExpiresAt + ", refreshHardExpiresAt=" + refreshHardExpiresAt
                + ", status=" + status + ", statusReason=" + statusReason + ", updatedAt=" + updatedAt + "}";
    }
}
