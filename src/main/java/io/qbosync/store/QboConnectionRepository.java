package io.qbosync.store;

import io.qbosync.component.qbo.client.QboConnection;
import io.qbosync.component.qbo.client.QboConnectionStatus;
import io.qbosync.component.qbo.client.QboConnectionSummary;
import io.qbosync.component.qbo.client.TokenCipher;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;

import javax.sql.DataSource;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Stores QBO company connections in {@code qbo_connection} (migration {@code V2__qbo_connections.sql}).
 * Client secret, refresh and access tokens are encrypted with {@link TokenCipher} on the way in and decrypted on
 * the way out; the SQL runs on H2 and PostgreSQL.
 */
public class QboConnectionRepository {

    private static final String COLUMNS = "realm_id, environment, api_base_url, token_url, client_id,"
            + " client_secret_enc, refresh_token_enc, access_token_enc, access_expires_at, refresh_expires_at,"
            + " refresh_hard_expires_at, status, status_reason, last_refreshed_at, created_at, updated_at";

    private final JdbcTemplate jdbc;
    private final TokenCipher cipher;
    private final Clock clock;

    /** Repository over a DataSource (Spring's, or a test's). */
    public QboConnectionRepository(DataSource dataSource, TokenCipher cipher) {
        this(new JdbcTemplate(dataSource), cipher, Clock.systemUTC());
    }

    /** Repository with an explicit template and clock. */
    public QboConnectionRepository(JdbcTemplate jdbc, TokenCipher cipher, Clock clock) {
        this.jdbc = Objects.requireNonNull(jdbc, "jdbc");
        this.cipher = Objects.requireNonNull(cipher, "cipher");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** The DataSource, so that callers can open transactions over the same connections. */
    public DataSource dataSource() {
        return jdbc.getDataSource();
    }

    /**
     * Inserts the connection, or replaces every field of an existing row for the realm (a reconnect).
     * Status defaults to CONNECTED; created_at is kept on replace.
     */
    public void save(QboConnection c) {
        Objects.requireNonNull(c.realmId(), "realmId");
        Instant now = clock.instant();
        QboConnectionStatus status = c.status() == null ? QboConnectionStatus.CONNECTED : c.status();
        String realm = c.realmId();
        Object[] values = {c.environment(), c.apiBaseUrl(), c.tokenUrl(), c.clientId(),
                cipher.encrypt(c.clientSecret(), ctx(realm, "client_secret")),
                cipher.encrypt(c.refreshToken(), ctx(realm, "refresh_token")),
                cipher.encrypt(c.accessToken(), ctx(realm, "access_token")),
                ts(c.accessExpiresAt()), ts(c.refreshExpiresAt()), ts(c.refreshHardExpiresAt()), status.name(),
                c.statusReason(), ts(c.lastRefreshedAt())};
        int updated = jdbc.update("UPDATE qbo_connection SET environment = ?, api_base_url = ?, token_url = ?,"
                + " client_id = ?, client_secret_enc = ?, refresh_token_enc = ?, access_token_enc = ?,"
                + " access_expires_at = ?, refresh_expires_at = ?, refresh_hard_expires_at = ?, status = ?,"
                + " status_reason = ?, last_refreshed_at = ?, updated_at = ? WHERE realm_id = ?",
                concat(values, ts(now), realm));
        if (updated == 0) {
            jdbc.update("INSERT INTO qbo_connection (environment, api_base_url, token_url, client_id,"
                    + " client_secret_enc, refresh_token_enc, access_token_enc, access_expires_at,"
                    + " refresh_expires_at, refresh_hard_expires_at, status, status_reason, last_refreshed_at,"
                    + " created_at, updated_at, realm_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    concat(values, ts(c.createdAt() != null ? c.createdAt() : now), ts(now), realm));
        }
    }

    /** The connection of a realm, secrets decrypted. */
    public Optional<QboConnection> find(String realmId) {
        return jdbc.query("SELECT " + COLUMNS + " FROM qbo_connection WHERE realm_id = ?", this::map, realmId)
                .stream().findFirst();
    }

    /**
     * Reads and row-locks the realm's connection ({@code SELECT … FOR UPDATE}) so that one node at a time refreshes
     * its tokens. Must run inside a transaction; the lock is held until it ends.
     */
    public Optional<QboConnection> findForUpdate(String realmId) {
        return jdbc.query("SELECT " + COLUMNS + " FROM qbo_connection WHERE realm_id = ? FOR UPDATE", this::map,
                realmId).stream().findFirst();
    }

    /** Every connection, secrets decrypted, ordered by realm. */
    public List<QboConnection> findAll() {
        return jdbc.query("SELECT " + COLUMNS + " FROM qbo_connection ORDER BY realm_id", this::map);
    }

    /** Connections in a given state. */
    public List<QboConnection> findByStatus(QboConnectionStatus status) {
        return jdbc.query("SELECT " + COLUMNS + " FROM qbo_connection WHERE status = ? ORDER BY realm_id", this::map,
                status.name());
    }

    /** Every connection without secrets (nothing is decrypted). */
    public List<QboConnectionSummary> listSummaries() {
        return jdbc.query("SELECT realm_id, environment, api_base_url, status, status_reason, access_expires_at,"
                + " refresh_expires_at, refresh_hard_expires_at, last_refreshed_at, created_at, updated_at"
                + " FROM qbo_connection ORDER BY realm_id", (rs, i) -> new QboConnectionSummary(
                rs.getString("realm_id"), rs.getString("environment"), rs.getString("api_base_url"),
                QboConnectionStatus.valueOf(rs.getString("status")), rs.getString("status_reason"),
                instant(rs, "access_expires_at"), instant(rs, "refresh_expires_at"),
                instant(rs, "refresh_hard_expires_at"), instant(rs, "last_refreshed_at"),
                instant(rs, "created_at"), instant(rs, "updated_at")));
    }

    /**
     * Stores the answer of a token refresh: new access token, the (possibly rotated) refresh token and expiries;
     * sets status CONNECTED. A null {@code refreshHardExpiresAt} keeps the stored value.
     */
    public void updateTokens(String realmId, String accessToken, Instant accessExpiresAt, String refreshToken,
                             Instant refreshExpiresAt, Instant refreshHardExpiresAt) {
        Instant now = clock.instant();
        int n = jdbc.update("UPDATE qbo_connection SET access_token_enc = ?, access_expires_at = ?,"
                        + " refresh_token_enc = ?, refresh_expires_at = ?,"
                        + " refresh_hard_expires_at = COALESCE(?, refresh_hard_expires_at), status = ?,"
                        + " status_reason = NULL, last_refreshed_at = ?, updated_at = ? WHERE realm_id = ?",
                cipher.encrypt(accessToken, ctx(realmId, "access_token")), ts(accessExpiresAt),
                cipher.encrypt(refreshToken, ctx(realmId, "refresh_token")), ts(refreshExpiresAt),
                ts(refreshHardExpiresAt), QboConnectionStatus.CONNECTED.name(), ts(now), ts(now), realmId);
        requireOne(n, realmId);
    }

    /** Sets the state of a connection (e.g. EXPIRED after {@code invalid_grant}) and the reason. */
    public void updateStatus(String realmId, QboConnectionStatus status, String reason) {
        int n = jdbc.update("UPDATE qbo_connection SET status = ?, status_reason = ?, updated_at = ? WHERE realm_id = ?",
                status.name(), reason, ts(clock.instant()), realmId);
        requireOne(n, realmId);
    }

    /** Removes a connection; true if it existed. */
    public boolean delete(String realmId) {
        return jdbc.update("DELETE FROM qbo_connection WHERE realm_id = ?", realmId) > 0;
    }

    private QboConnection map(ResultSet rs, int row) throws SQLException {
        String realm = rs.getString("realm_id");
        return new QboConnection(realm, rs.getString("environment"), rs.getString("api_base_url"),
                rs.getString("token_url"), rs.getString("client_id"),
                cipher.decrypt(rs.getString("client_secret_enc"), ctx(realm, "client_secret")),
                cipher.decrypt(rs.getString("refresh_token_enc"), ctx(realm, "refresh_token")),
                cipher.decrypt(rs.getString("access_token_enc"), ctx(realm, "access_token")),
                instant(rs, "access_expires_at"), instant(rs, "refresh_expires_at"),
                instant(rs, "refresh_hard_expires_at"), QboConnectionStatus.valueOf(rs.getString("status")),
                rs.getString("status_reason"), instant(rs, "created_at"), instant(rs, "updated_at"),
                instant(rs, "last_refreshed_at"));
    }

    /** Associated data binding a ciphertext to its row and column. */
    private static String ctx(String realmId, String column) {
        return "qbo_connection:" + realmId + ":" + column;
    }

    private static OffsetDateTime ts(Instant i) {
        return i == null ? null : OffsetDateTime.ofInstant(i, ZoneOffset.UTC);
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    private static Object[] concat(Object[] head, Object... tail) {
        Object[] all = new Object[head.length + tail.length];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(tail, 0, all, head.length, tail.length);
        return all;
    }

    private static void requireOne(int n, String realmId) {
        if (n != 1) {
            throw new IllegalStateException("No qbo_connection row for realm " + realmId);
        }
    }
}
