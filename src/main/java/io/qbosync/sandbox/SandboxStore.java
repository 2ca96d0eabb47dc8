package io.qbosync.sandbox;

import org.h2.jdbcx.JdbcConnectionPool;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The sandbox's own H2 file database (never the app's). {@code WRITE_DELAY=0} makes every commit reach the
 * file before the call returns, so an acknowledged write survives {@code kill -9}. Each write is one
 * transaction holding its entity rows and, when a {@code requestid} was sent, the replayable response.
 */
final class SandboxStore implements AutoCloseable {
    record RealmRow(String id, String name, String clientId, long createdMs, String preferences, String faults) {
    }

    record EntityRow(String type, long id, boolean deleted, long updatedMs, String body) {
    }

    record LoggedResponse(int status, String body) {
    }

    record TokenRow(String hash, String realmId, String grantId, String kind, long issuedMs, long expiresMs,
                    Long supersededMs, boolean revoked, String redirectUri, long grantCreatedMs) {
    }

    private static final String[] SCHEMA = {
        "CREATE TABLE IF NOT EXISTS client (client_id VARCHAR(200) PRIMARY KEY, secret_hash VARCHAR(100) NOT NULL)",
        "CREATE TABLE IF NOT EXISTS realm (id VARCHAR(40) PRIMARY KEY, name VARCHAR(1000), client_id VARCHAR(200),"
                + " created_ms BIGINT NOT NULL, preferences VARCHAR(1000000), faults VARCHAR(100000))",
        "CREATE TABLE IF NOT EXISTS entity (realm_id VARCHAR(40) NOT NULL, type VARCHAR(40) NOT NULL, id BIGINT NOT NULL,"
                + " deleted BOOLEAN NOT NULL, updated_ms BIGINT NOT NULL, body VARCHAR(1000000000) NOT NULL,"
                + " PRIMARY KEY (realm_id, type, id))",
        "CREATE TABLE IF NOT EXISTS request_log (realm_id VARCHAR(40) NOT NULL, request_id VARCHAR(100) NOT NULL,"
                + " status INT NOT NULL, body VARCHAR(1000000000) NOT NULL, created_ms BIGINT NOT NULL,"
                + " PRIMARY KEY (realm_id, request_id))",
        "CREATE TABLE IF NOT EXISTS token (hash VARCHAR(100) PRIMARY KEY, realm_id VARCHAR(40) NOT NULL,"
                + " grant_id VARCHAR(60) NOT NULL, kind VARCHAR(10) NOT NULL, issued_ms BIGINT NOT NULL,"
                + " expires_ms BIGINT NOT NULL, superseded_ms BIGINT, revoked BOOLEAN NOT NULL,"
                + " redirect_uri VARCHAR(4000), grant_created_ms BIGINT NOT NULL)",
        "CREATE TABLE IF NOT EXISTS setting (k VARCHAR(100) PRIMARY KEY, v VARCHAR(100000))",
    };

    private final JdbcConnectionPool pool;

    SandboxStore(Path dataDir, int maxConnections) {
        try {
            Files.createDirectories(dataDir);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot create sandbox data dir " + dataDir, e);
        }
        String url = "jdbc:h2:file:" + dataDir.toAbsolutePath().resolve("qbo-sandbox")
                + ";WRITE_DELAY=0;DB_CLOSE_ON_EXIT=FALSE";
        pool = JdbcConnectionPool.create(url, "sandbox", "");
        pool.setMaxConnections(Math.max(4, maxConnections));
        try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
            for (String ddl : SCHEMA) {
                s.execute(ddl);
            }
        } catch (SQLException e) {
            pool.dispose();
            throw new IllegalStateException("cannot open sandbox database in " + dataDir + ": " + e.getMessage(), e);
        }
    }

    @FunctionalInterface
    interface SqlWork<T> {
        T run(Connection c) throws SQLException;
    }

    /** Runs {@code work} in one transaction: commit on success, rollback on failure. */
    <T> T tx(SqlWork<T> work) {
        try (Connection c = pool.getConnection()) {
            c.setAutoCommit(false);
            try {
                T out = work.run(c);
                c.commit();
                return out;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("sandbox database: " + e.getMessage(), e);
        }
    }

    // ---- entities and request log ----

    void commit(String realmId, List<EntityRow> rows, String requestId, LoggedResponse response, long nowMs) {
        tx(c -> {
            if (!rows.isEmpty()) {
                try (PreparedStatement ps = c.prepareStatement(
                        "MERGE INTO entity (realm_id, type, id, deleted, updated_ms, body) KEY (realm_id, type, id)"
                                + " VALUES (?, ?, ?, ?, ?, ?)")) {
                    for (EntityRow r : rows) {
                        ps.setString(1, realmId);
                        ps.setString(2, r.type());
                        ps.setLong(3, r.id());
                        ps.setBoolean(4, r.deleted());
                        ps.setLong(5, r.updatedMs());
                        ps.setString(6, r.body());
                        if (rows.size() == 1) {
                            ps.executeUpdate();
                        } else {
                            ps.addBatch();
                        }
                    }
                    if (rows.size() > 1) {
                        ps.executeBatch();
                    }
                }
            }
            if (requestId != null) {
                try (PreparedStatement ps = c.prepareStatement(
                        "MERGE INTO request_log (realm_id, request_id, status, body, created_ms) KEY (realm_id, request_id)"
                                + " VALUES (?, ?, ?, ?, ?)")) {
                    ps.setString(1, realmId);
                    ps.setString(2, requestId);
                    ps.setInt(3, response.status());
                    ps.setString(4, response.body());
                    ps.setLong(5, nowMs);
                    ps.executeUpdate();
                }
            }
            return null;
        });
    }

    LoggedResponse findRequest(String realmId, String requestId) {
        return tx(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT status, body FROM request_log WHERE realm_id = ? AND request_id = ?")) {
                ps.setString(1, realmId);
                ps.setString(2, requestId);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? new LoggedResponse(rs.getInt(1), rs.getString(2)) : null;
                }
            }
        });
    }

    void loadEntities(String realmId, Consumer<EntityRow> sink) {
        tx(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT type, id, deleted, updated_ms, body FROM entity WHERE realm_id = ? ORDER BY id")) {
                ps.setString(1, realmId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        sink.accept(new EntityRow(rs.getString(1), rs.getLong(2), rs.getBoolean(3), rs.getLong(4),
                                rs.getString(5)));
                    }
                }
            }
            return null;
        });
    }

    // ---- realms and clients ----

    List<RealmRow> loadRealms() {
        return tx(c -> {
            List<RealmRow> out = new ArrayList<>();
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                    "SELECT id, name, client_id, created_ms, preferences, faults FROM realm ORDER BY created_ms, id")) {
                while (rs.next()) {
                    out.add(new RealmRow(rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4),
                            rs.getString(5), rs.getString(6)));
                }
            }
            return out;
        });
    }

    void insertRealm(RealmRow r) {
        tx(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO realm (id, name, client_id, created_ms, preferences, faults) VALUES (?, ?, ?, ?, ?, ?)")) {
                ps.setString(1, r.id());
                ps.setString(2, r.name());
                ps.setString(3, r.clientId());
                ps.setLong(4, r.createdMs());
                ps.setString(5, r.preferences());
                ps.setString(6, r.faults());
                ps.executeUpdate();
            }
            return null;
        });
    }

    void updateRealmColumn(String realmId, String column, String value) {
        if (!column.equals("preferences") && !column.equals("faults") && !column.equals("name")) {
            throw new IllegalArgumentException(column);
        }
        tx(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE realm SET " + column + " = ? WHERE id = ?")) {
                ps.setString(1, value);
                ps.setString(2, realmId);
                ps.executeUpdate();
            }
            return null;
        });
    }

    /** Deletes a realm's entities and request log (and, with {@code everything}, the realm and its tokens). */
    void wipeRealm(String realmId, boolean everything) {
        tx(c -> {
            List<String> tables = everything ? List.of("entity", "request_log", "token", "realm")
                    : List.of("entity", "request_log");
            for (String t : tables) {
                try (PreparedStatement ps = c.prepareStatement(
                        "DELETE FROM " + t + " WHERE " + (t.equals("realm") ? "id" : "realm_id") + " = ?")) {
                    ps.setString(1, realmId);
                    ps.executeUpdate();
                }
            }
            return null;
        });
    }

    void upsertClient(String clientId, String secretHash) {
        tx(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "MERGE INTO client (client_id, secret_hash) KEY (client_id) VALUES (?, ?)")) {
                ps.setString(1, clientId);
                ps.setString(2, secretHash);
                ps.executeUpdate();
            }
            return null;
        });
    }

    List<String[]> loadClients() {
        return tx(c -> {
            List<String[]> out = new ArrayList<>();
            try (Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT client_id, secret_hash FROM client")) {
                while (rs.next()) {
                    out.add(new String[] {rs.getString(1), rs.getString(2)});
                }
            }
            return out;
        });
    }

    // ---- tokens ----

    void saveTokens(List<TokenRow> rows) {
        tx(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "MERGE INTO token (hash, realm_id, grant_id, kind, issued_ms, expires_ms, superseded_ms, revoked,"
                            + " redirect_uri, grant_created_ms) KEY (hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                for (TokenRow t : rows) {
                    ps.setString(1, t.hash());
                    ps.setString(2, t.realmId());
                    ps.setString(3, t.grantId());
                    ps.setString(4, t.kind());
                    ps.setLong(5, t.issuedMs());
                    ps.setLong(6, t.expiresMs());
                    if (t.supersededMs() == null) {
                        ps.setNull(7, java.sql.Types.BIGINT);
                    } else {
                        ps.setLong(7, t.supersededMs());
                    }
                    ps.setBoolean(8, t.revoked());
                    ps.setString(9, t.redirectUri());
                    ps.setLong(10, t.grantCreatedMs());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            return null;
        });
    }

    List<TokenRow> loadTokens() {
        return tx(c -> {
            List<TokenRow> out = new ArrayList<>();
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                    "SELECT hash, realm_id, grant_id, kind, issued_ms, expires_ms, superseded_ms, revoked, redirect_uri,"
                            + " grant_created_ms FROM token")) {
                while (rs.next()) {
                    long sup = rs.getLong(7);
                    Long superseded = rs.wasNull() ? null : sup;
                    out.add(new TokenRow(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getLong(5), rs.getLong(6), superseded, rs.getBoolean(8), rs.getString(9),
                            rs.getLong(10)));
                }
            }
            return out;
        });
    }

    /** Drops tokens that expired more than {@code beforeMs} ago (keeps the table small across restarts). */
    void purgeTokens(long beforeMs) {
        tx(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM token WHERE expires_ms < ?")) {
                ps.setLong(1, beforeMs);
                ps.executeUpdate();
            }
            return null;
        });
    }

    // ---- global settings ----

    String setting(String key) {
        return tx(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT v FROM setting WHERE k = ?")) {
                ps.setString(1, key);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? rs.getString(1) : null;
                }
            }
        });
    }

    void setting(String key, String value) {
        tx(c -> {
            try (PreparedStatement ps = c.prepareStatement("MERGE INTO setting (k, v) KEY (k) VALUES (?, ?)")) {
                ps.setString(1, key);
                ps.setString(2, value);
                ps.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public void close() {
        try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
            s.execute("SHUTDOWN");
        } catch (SQLException e) {
            // already closed or broken: nothing more to flush
        } finally {
            pool.dispose();
        }
    }
}
