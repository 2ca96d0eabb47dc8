package io.qbosync.store;

import io.qbosync.component.qbo.client.QboConnection;
import io.qbosync.component.qbo.client.QboConnectionStatus;
import io.qbosync.component.qbo.client.QboConnectionStore;
import io.qbosync.component.qbo.client.QboConnectionSummary;
import io.qbosync.component.qbo.client.TokenCipher;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

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
import java.util.Set;
import java.util.function.Function;

/**
 * Stores QBO company connections in {@code qbo_connection} (migration {@code V2__qbo_connections.sql}).
 * Client secret, refresh and access tokens are encrypted with {@link TokenCipher} on the way in and decrypted on
 * the way out; the SQL runs on H2 and PostgreSQL.
 *
 * <p>Each secret is sealed together with the row's token URL, API host and client id (GCM associated data). Those
 * columns are plain text, and the next refresh sends the client secret and refresh token to the token URL: a
 * database write that points it elsewhere makes every secret of the row fail to decrypt, so nothing is sent.
 */
public class QboConnectionRepository implements QboConnectionStore {

    private static final String COLUMNS = "realm_id, environment, api_base_url, token_url, client_id,"
            + " client_secret_enc, refresh_token_enc, access_token_enc, access_expires_at, refresh_expires_at,"
            + " refresh_hard_expires_at, status, status_reason, last_refreshed_at, created_at, updated_at";

    private final JdbcTemplate jdbc;
    private final TokenCipher cipher;
    private final Clock clock;
    private final TransactionTemplate refreshTx;

    /** Repository over a DataSource (Spring's, or a test's). */
    public QboConnectionRepository(DataSource dataSource, TokenCipher cipher) {
        this(new JdbcTemplate(dataSource), cipher, Clock.systemUTC());
    }

    /** Repository with an explicit template and clock. */
    public QboConnectionRepository(JdbcTemplate jdbc, TokenCipher cipher, Clock clock) {
        this.jdbc = Objects.requireNonNull(jdbc, "jdbc");
        this.cipher = Objects.requireNonNull(cipher, "cipher");
        this.clock = Objects.requireNonNull(clock, "clock");
        // Its own transaction, even inside another unit of work (e.g. a JMS-transacted route): a refresh's rotated
        // token must commit on its own.
        this.refreshTx = new TransactionTemplate(new DataSourceTransactionManager(jdbc.getDataSource()));
        this.refreshTx.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
    }

    /**
     * Reads and row-locks the realm's connection ({@code SELECT … FOR UPDATE}) in a new transaction, so that one
     * node at a time refreshes its tokens; the writes {@code work} makes through this repository join that
     * transaction, which commits when it returns.
     */
    @Override
    public <T> T inRefreshLock(String realmId, Function<Optional<QboConnection>, T> work) {
        return refreshTx.execute(status -> work.apply(findForUpdate(realmId)));
    }

    /**
     * Inserts the connection, or replaces every field of an existing row for the realm (a reconnect).
     * Status defaults to CONNECTED; created_at is kept on replace.
     */
    @Override
    public void save(QboConnection c) {
        Object[] values = values(c);
        Instant now = clock.instant();
        int updated = jdbc.update("UPDATE qbo_connection SET environment = ?, api_base_url = ?, token_url = ?,"
                + " client_id = ?, client_secret_enc = ?, refresh_token_enc = ?, access_token_enc = ?,"
                + " access_expires_at = ?, refresh_expires_at = ?, refresh_hard_expires_at = ?, status = ?,"
                + " status_reason = ?, last_refreshed_at = ?, updated_at = ? WHERE realm_id = ?",
                concat(values, ts(now), c.realmId()));
        if (updated == 0) {
            insert(c, values, now);
        }
    }

    private void insert(QboConnection c, Object[] values, Instant now) {
        jdbc.update("INSERT INTO qbo_connection (environment, api_base_url, token_url, client_id,"
                + " client_secret_enc, refresh_token_enc, access_token_enc, access_expires_at,"
                + " refresh_expires_at, refresh_hard_expires_at, status, status_reason, last_refreshed_at,"
                + " created_at, updated_at, realm_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                concat(values, ts(c.createdAt() != null ? c.createdAt() : now), ts(now), c.realmId()));
    }

    /** The row's columns from environment to last_refreshed_at, secrets sealed with the row's binding. */
    private Object[] values(QboConnection c) {
        Objects.requireNonNull(c.realmId(), "realmId");
        QboConnectionStatus status = c.status() == null ? QboConnectionStatus.CONNECTED : c.status();
        String realm = c.realmId();
        Binding binding = new Binding(c.tokenUrl(), c.apiBaseUrl(), c.clientId());
        return new Object[] {c.environment(), c.apiBaseUrl(), c.tokenUrl(), c.clientId(),
                cipher.encrypt(c.clientSecret(), binding.context(realm, "client_secret")),
                cipher.encrypt(c.refreshToken(), binding.context(realm, "refresh_token")),
                cipher.encrypt(c.accessToken(), binding.context(realm, "access_token")),
                ts(c.accessExpiresAt()), ts(c.refreshExpiresAt()), ts(c.refreshHardExpiresAt()), status.name(),
                c.statusReason(), ts(c.lastRefreshedAt())};
    }

    /**
     * Stores the connection only when the realm has none yet, atomically (the primary key decides): several replicas
     * starting at once on a new database each try to connect the configured company, and a late one must not put
     * the configured first refresh token back over one an early one has rotated already. True when this call stored it.
     */
    public boolean insertIfAbsent(QboConnection c) {
        try {
            insert(c, values(c), clock.instant());
            return true;
        } catch (DuplicateKeyException anotherReplicaWasFirst) {
            return false;
        }
    }

    /** The connection of a realm, secrets decrypted. */
    @Override
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

    /** Companies whose stored connection is not CONNECTED (EXPIRED or REVOKED): one light query, nothing decrypted. */
    public Set<String> realmsNotConnected() {
        return Set.copyOf(jdbc.queryForList("SELECT realm_id FROM qbo_connection WHERE status <> ?", String.class,
                QboConnectionStatus.CONNECTED.name()));
    }

    /** The stored status of a company's connection, if it has one (nothing is decrypted). */
    public Optional<QboConnectionStatus> statusOf(String realmId) {
        return jdbc.queryForList("SELECT status FROM qbo_connection WHERE realm_id = ?", String.class, realmId)
                .stream().findFirst().map(QboConnectionStatus::valueOf);
    }

    /** Every connection without secrets (nothing is decrypted). */
    @Override
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
    @Override
    public void updateTokens(String realmId, String accessToken, Instant accessExpiresAt, String refreshToken,
                             Instant refreshExpiresAt, Instant refreshHardExpiresAt) {
        Instant now = clock.instant();
        Binding binding = binding(realmId);
        // Guarded by the binding read above: a row re-pointed in between is not re-sealed to its new URL.
        int n = jdbc.update("UPDATE qbo_connection SET access_token_enc = ?, access_expires_at = ?,"
                        + " refresh_token_enc = ?, refresh_expires_at = ?,"
                        + " refresh_hard_expires_at = COALESCE(?, refresh_hard_expires_at), status = ?,"
                        + " status_reason = NULL, last_refreshed_at = ?, updated_at = ? WHERE realm_id = ?"
                        + " AND token_url = ? AND api_base_url = ? AND client_id = ?",
                cipher.encrypt(accessToken, binding.context(realmId, "access_token")), ts(accessExpiresAt),
                cipher.encrypt(refreshToken, binding.context(realmId, "refresh_token")), ts(refreshExpiresAt),
                ts(refreshHardExpiresAt), QboConnectionStatus.CONNECTED.name(), ts(now), ts(now), realmId,
                binding.tokenUrl(), binding.apiBaseUrl(), binding.clientId());
        requireOne(n, realmId);
    }

    /**
     * Re-encrypts, with the current key and the current binding, every stored secret sealed by an older key or
     * before secrets were bound to their row's URLs. Every row is opened on the way: one whose secrets do not open
     * (altered, or a key that is no longer configured) is left as it is and reported. Concurrent refreshes win: a row changed since it was read
     * is skipped and picked up by the next run.
     */
    public Reencryption reencryptAll() {
        int rows = 0;
        int reencrypted = 0;
        List<String> failed = new java.util.ArrayList<>();
        for (Raw raw : jdbc.query("SELECT realm_id, api_base_url, token_url, client_id, client_secret_enc,"
                + " refresh_token_enc, access_token_enc FROM qbo_connection ORDER BY realm_id", (rs, i) -> new Raw(
                rs.getString("realm_id"), new Binding(rs.getString("token_url"), rs.getString("api_base_url"),
                rs.getString("client_id")), rs.getString("client_secret_enc"), rs.getString("refresh_token_enc"),
                rs.getString("access_token_enc")))) {
            rows++;
            try {
                // Every row is opened, current or not, so that an altered one is reported at start-up.
                String realm = raw.realmId();
                String secret = open(raw.clientSecret(), realm, "client_secret", raw.binding());
                String refresh = open(raw.refreshToken(), realm, "refresh_token", raw.binding());
                String access = open(raw.accessToken(), realm, "access_token", raw.binding());
                if (cipher.isCurrent(raw.clientSecret()) && cipher.isCurrent(raw.refreshToken())
                        && cipher.isCurrent(raw.accessToken())) {
                    continue;
                }
                reencrypted += jdbc.update("UPDATE qbo_connection SET client_secret_enc = ?, refresh_token_enc = ?,"
                                + " access_token_enc = ? WHERE realm_id = ? AND client_secret_enc = ?"
                                + " AND refresh_token_enc = ? AND (access_token_enc = ? OR access_token_enc IS NULL)",
                        cipher.encrypt(secret, raw.binding().context(realm, "client_secret")),
                        cipher.encrypt(refresh, raw.binding().context(realm, "refresh_token")),
                        cipher.encrypt(access, raw.binding().context(realm, "access_token")),
                        realm, raw.clientSecret(), raw.refreshToken(), raw.accessToken());
            } catch (IllegalStateException e) {
                failed.add(raw.realmId() + ": " + e.getMessage());
            }
        }
        return new Reencryption(rows, reencrypted, cipher.currentKeyId(), List.copyOf(failed));
    }

    /** What {@link #reencryptAll} did. */
    public record Reencryption(int connections, int reencrypted, String keyId, List<String> failed) {
    }

    private record Raw(String realmId, Binding binding, String clientSecret, String refreshToken, String accessToken) {
    }

    /** The plain-text columns each secret of a row is sealed with. */
    private record Binding(String tokenUrl, String apiBaseUrl, String clientId) {
        String context(String realmId, String column) {
            return "qbo_connection:" + realmId + ":" + column + "|token_url=" + tokenUrl + "|api_base_url="
                    + apiBaseUrl + "|client_id=" + clientId;
        }
    }

    private Binding binding(String realmId) {
        return jdbc.query("SELECT token_url, api_base_url, client_id FROM qbo_connection WHERE realm_id = ?",
                (rs, i) -> new Binding(rs.getString(1), rs.getString(2), rs.getString(3)), realmId)
                .stream().findFirst().orElseThrow(() -> new IllegalStateException("No qbo_connection row for realm " + realmId));
    }

    /** Decrypts one column; values from before bindings were added open with their old, unbound context. */
    private String open(String stored, String realmId, String column, Binding binding) {
        String context = TokenCipher.isLegacy(stored) ? legacyContext(realmId, column) : binding.context(realmId, column);
        try {
            return cipher.decrypt(stored, context);
        } catch (IllegalStateException e) {
            throw new IllegalStateException("Refusing the stored secrets of QBO company " + realmId + ": " + column
                    + " does not open with this row's token URL, API host and client id (" + binding.tokenUrl() + ", "
                    + binding.apiBaseUrl() + "), so the row was altered outside qbo-sync or the key is wrong. Nothing"
                    + " is sent to that URL; reconnect the company. Cause: " + e.getMessage());
        }
    }

    /** Sets the state of a connection (e.g. EXPIRED after {@code invalid_grant}) and the reason. */
    @Override
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
        Binding binding = new Binding(rs.getString("token_url"), rs.getString("api_base_url"), rs.getString("client_id"));
        return new QboConnection(realm, rs.getString("environment"), binding.apiBaseUrl(),
                binding.tokenUrl(), binding.clientId(),
                open(rs.getString("client_secret_enc"), realm, "client_secret", binding),
                open(rs.getString("refresh_token_enc"), realm, "refresh_token", binding),
                open(rs.getString("access_token_enc"), realm, "access_token", binding),
                instant(rs, "access_expires_at"), instant(rs, "refresh_expires_at"),
                instant(rs, "refresh_hard_expires_at"), QboConnectionStatus.valueOf(rs.getString("status")),
                rs.getString("status_reason"), instant(rs, "created_at"), instant(rs, "updated_at"),
                instant(rs, "last_refreshed_at"));
    }

    /** Associated data of values sealed before bindings (format {@code v1:}): row and column only. */
    private static String legacyContext(String realmId, String column) {
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
