package io.qbosync.component.qbo.client;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Where the {@code qbo:} component keeps company connections and their rotating OAuth tokens. The component owns
 * this contract so that it needs no database: {@link InMemoryQboConnectionStore} is the default, and an application
 * with several replicas supplies a shared, persistent one (qbo-sync's is the JDBC {@code QboConnectionRepository}).
 *
 * <p>A refresh token is single-use once rotated, so refreshes of one company must never overlap:
 * {@link #inRefreshLock} runs the refresh with the company's connection locked against every other refresher the
 * store knows of, and what the work writes through {@link #updateTokens} / {@link #updateStatus} is durable when it
 * returns.
 */
public interface QboConnectionStore {

    /** Inserts or replaces a company's connection (a first connect or a reconnect). */
    void save(QboConnection connection);

    /** A company's connection, secrets readable. */
    Optional<QboConnection> find(String realmId);

    /** Every connection without secrets, ordered by realm. */
    List<QboConnectionSummary> listSummaries();

    /**
     * Runs {@code work} with the company's connection read under a lock that excludes every other refresher of that
     * company, and commits what it wrote before returning (or discards it when {@code work} throws).
     */
    <T> T inRefreshLock(String realmId, Function<Optional<QboConnection>, T> work);

    /**
     * Stores a refresh's answer: new access token, the (possibly rotated) refresh token and the expiries; the
     * connection becomes CONNECTED. A null {@code refreshHardExpiresAt} keeps the stored value.
     */
    void updateTokens(String realmId, String accessToken, Instant accessExpiresAt, String refreshToken,
                      Instant refreshExpiresAt, Instant refreshHardExpiresAt);

    /** Sets the state of a connection (e.g. EXPIRED after {@code invalid_grant}) and the reason. */
    void updateStatus(String realmId, QboConnectionStatus status, String reason);
}
