package io.qbosync.sandbox;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.LongConsumer;

/**
 * The sandbox's own H2 file database (never the app's). {@code WRITE_DELAY=0} makes every commit reach the
 * file (the OS page cache; no fsync) before the call returns, so an acknowledged write survives {@code kill -9}
 * of the JVM. {@code ANALYZE_AUTO=0} spares the periodic statistics run, a third of the commit cost. Each write is one
 * transaction holding its entity rows and, when a {@code requestid} was sent, the replayable response.
 */
final class SandboxStore implements AutoCloseable {
    record RealmRow(String id, int seq, String name, String clientId, long createdMs, String preferences, String faults) {
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
        "CREATE TABLE IF NOT EXISTS realm (id VARCHAR(40) PRIMARY KEY, seq INT NOT NULL UNIQUE, name VARCHAR(1000),"
                + " client_id VARCHAR(200), created_ms BIGINT NOT NULL, preferences VARCHAR(1000000), faults VARCHAR(100000))",
        // One BIGINT key (realm seq << 40 | entity id) keeps each write to a single B-tree.
        "CREATE TABLE IF NOT EXISTS entity (k BIGINT PRIMARY KEY, type VARCHAR(40) NOT NULL,"
                + " deleted BOOLEAN NOT NULL, updated_ms BIGINT NOT NULL, body VARCHAR(1000000000) NOT NULL)",
        // k = 64-bit hash of (realm seq, request id); the two columns confirm a hit.
        "CREATE TABLE IF NOT EXISTS request_log (k BIGINT PRIMARY KEY, realm_id VARCHAR(40) NOT NULL,"
                + " request_id VARCHAR(100) NOT NULL, status INT NOT NULL, body VARCHAR(1000000000) NOT NULL,"
                + " created_ms BIGINT NOT NULL)",
        "CREATE TABLE IF NOT EXISTS token (hash VARCHAR(100) PRIMARY KEY, realm_id VARCHAR(40) NOT NULL,"
                + " grant_id VARCHAR(60) NOT NULL, kind VARCHAR(10) NOT NULL, issued_ms BIGINT NOT NULL,"
                + " expires_ms BIGINT NOT NULL, superseded_ms BIGINT, revoked BOOLEAN NOT NULL,"
                + " redirect_uri VARCHAR(4000), grant_created_ms BIGINT NOT NULL)",
        "CREATE TABLE IF NOT EXISTS setting (k VARCHAR(100) PRIMARY KEY, v VARCHAR(100000))",
    };

    private final String url;
    /** One connection per thread (auto-commit off, statements cached): no pool hand-off per write. */
    private final ThreadLocal<Session> sessions = new ThreadLocal<>();
    private final List<Session> allSessions = new CopyOnWriteArrayList<>();
    private volatile boolean closed;

    private static final class Session {
        final Connection connection;
        final Map<String, PreparedStatement> statements = new HashMap<>();

        Session(Connection connection) {
            this.connection = connection;
        }

        PreparedStatement prepare(String sql) throws SQLException {
            PreparedStatement ps = statements.get(sql);
            if (ps == null) {
                ps = connection.prepareStatement(sql);
                statements.put(sql, ps);
            }
            return ps;
        }
    }

    SandboxStore(Path dataDir) {
        try {
            Files.createDirectories(dataDir);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot create sandbox data dir " + dataDir, e);
        }
        this.url = "jdbc:h2:file:" + dataDir.toAbsolutePath().resolve("qbo-sandbox")
                + ";WRITE_DELAY=0;DB_CLOSE_ON_EXIT=FALSE;ANALYZE_AUTO=0";
        try {
            tx(c -> {
                try (Statement s = c.connection.createStatement()) {
                    for (String ddl : SCHEMA) {
                        s.execute(ddl);
                    }
                }
                return null;
            });
        } catch (IllegalStateException e) {
            close();
            throw new IllegalStateException("cannot open sandbox database in " + dataDir + ": " + e.getMessage(), e);
        }
    }

    @FunctionalInterface
    private interface SqlWork<T> {
        T run(Session s) throws SQLException;
    }

    /** Runs {@code work} in one transaction on this thread's connection: commit on success, else rollback. */
    private <T> T tx(SqlWork<T> work) {
        if (closed) {
            throw new IllegalStateException("sandbox database is closed");
        }
        Session s = session();
        try {
            T out = work.run(s);
            s.connection.commit();
            return out;
        } catch (SQLException | RuntimeException e) {
            try {
                s.connection.rollback();
            } catch (SQLException suppressed) {
                e.addSuppressed(suppressed);
            }
            if (e instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException("sandbox database: " + e.getMessage(), e);
        }
    }

    private Session session() {
        Session s = sessions.get();
        if (s == null) {
            try {
                Connection c = DriverManager.getConnection(url, "sandbox", "");
                c.setAutoCommit(false);
                s = new Session(c);
            } catch (SQLException e) {
                throw new IllegalStateException("cannot connect to the sandbox database: " + e.getMessage(), e);
            }
            sessions.set(s);
            allSessions.add(s);
        }
        return s;
    }

    static long entityKey(int realmSeq, long id) {
        return ((long) realmSeq << 40) | id;
    }

    /** 64-bit key of a request id within a realm (FNV-1a over the seq and the id). */
    static long requestKey(int realmSeq, String requestId) {
        long h = 0xcbf29ce484222325L ^ realmSeq;
        h *= 0x100000001b3L;
        for (int i = 0; i < requestId.length(); i++) {
            h ^= requestId.charAt(i);
            h *= 0x100000001b3L;
        }
        return h;
    }

    // ---- entities and request log ----

    void commit(int realmSeq, String realmId, List<EntityRow> rows, String requestId, LoggedResponse response,
                long nowMs) {
        tx(s -> {
            if (!rows.isEmpty()) {
                PreparedStatement ps = s.prepare("MERGE INTO entity (k, type, deleted, updated_ms, body) KEY (k)"
                        + " VALUES (?, ?, ?, ?, ?)");
                for (EntityRow r : rows) {
                    ps.setLong(1, entityKey(realmSeq, r.id()));
                    ps.setString(2, r.type());
                    ps.setBoolean(3, r.deleted());
                    ps.setLong(4, r.updatedMs());
                    ps.setString(5, r.body());
                    ps.executeUpdate();
                }
            }
            if (requestId != null) {
                PreparedStatement ps = s.prepare("MERGE INTO request_log (k, realm_id, request_id, status, body, created_ms)"
                        + " KEY (k) VALUES (?, ?, ?, ?, ?, ?)");
                ps.setLong(1, requestKey(realmSeq, requestId));
                ps.setString(2, realmId);
                ps.setString(3, requestId);
                ps.setInt(4, response.status());
                ps.setString(5, response.body());
                ps.setLong(6, nowMs);
                ps.executeUpdate();
            }
            return null;
        });
    }

    LoggedResponse findRequest(int realmSeq, String realmId, String requestId) {
        return tx(s -> {
            PreparedStatement ps = s.prepare("SELECT realm_id, request_id, status, body FROM request_log WHERE k = ?");
            ps.setLong(1, requestKey(realmSeq, requestId));
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next() && realmId.equals(rs.getString(1)) && requestId.equals(rs.getString(2))) {
                    return new LoggedResponse(rs.getInt(3), rs.getString(4));
                }
                return null;
            }
        });
    }

    /** Keys of every logged request id of a realm (for the in-memory "maybe seen" set). */
    void loadRequestKeys(String realmId, LongConsumer sink) {
        tx(s -> {
            try (PreparedStatement ps = s.connection.prepareStatement("SELECT k FROM request_log WHERE realm_id = ?")) {
                ps.setString(1, realmId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        sink.accept(rs.getLong(1));
                    }
                }
            }
            return null;
        });
    }

    void loadEntities(int realmSeq, Consumer<EntityRow> sink) {
        tx(s -> {
            try (PreparedStatement ps = s.connection.prepareStatement(
                    "SELECT k, type, deleted, updated_ms, body FROM entity WHERE k BETWEEN ? AND ? ORDER BY k")) {
                ps.setLong(1, entityKey(realmSeq, 0));
                ps.setLong(2, entityKey(realmSeq + 1, 0) - 1);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        sink.accept(new EntityRow(rs.getString(2), rs.getLong(1) & ((1L << 40) - 1), rs.getBoolean(3),
                                rs.getLong(4), rs.getString(5)));
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
            try (Statement s = c.connection.createStatement(); ResultSet rs = s.executeQuery(
                    "SELECT id, seq, name, client_id, created_ms, preferences, faults FROM realm ORDER BY created_ms, id")) {
                while (rs.next()) {
                    out.add(new RealmRow(rs.getString(1), rs.getInt(2), rs.getString(3), rs.getString(4), rs.getLong(5),
                            rs.getString(6), rs.getString(7)));
                }
            }
            return out;
        });
    }

    /** Inserts a realm with the next free seq (the entity key prefix); returns that seq. */
    int insertRealm(RealmRow r) {
        return tx(c -> {
            int seq;
            try (Statement s = c.connection.createStatement();
                 ResultSet rs = s.executeQuery("SELECT COALESCE(MAX(seq), 0) + 1 FROM realm")) {
                rs.next();
                seq = rs.getInt(1);
            }
            try (PreparedStatement ps = c.connection.prepareStatement(
                    "INSERT INTO realm (id, seq, name, client_id, created_ms, preferences, faults) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
                ps.setString(1, r.id());
                ps.setInt(2, seq);
                ps.setString(3, r.name());
                ps.setString(4, r.clientId());
                ps.setLong(5, r.createdMs());
                ps.setString(6, r.preferences());
                ps.setString(7, r.faults());
                ps.executeUpdate();
            }
            return seq;
        });
    }

    void updateRealmColumn(String realmId, String column, String value) {
        if (!column.equals("preferences") && !column.equals("faults") && !column.equals("name")) {
            throw new IllegalArgumentException(column);
        }
        tx(c -> {
            try (PreparedStatement ps = c.connection.prepareStatement("UPDATE realm SET " + column + " = ? WHERE id = ?")) {
                ps.setString(1, value);
                ps.setString(2, realmId);
                ps.executeUpdate();
            }
            return null;
        });
    }

    /** Deletes a realm's entities and request log (and, with {@code everything}, the realm and its tokens). */
    void wipeRealm(int realmSeq, String realmId, boolean everything) {
        tx(c -> {
            try (PreparedStatement ps = c.connection.prepareStatement("DELETE FROM entity WHERE k BETWEEN ? AND ?")) {
                ps.setLong(1, entityKey(realmSeq, 0));
                ps.setLong(2, entityKey(realmSeq + 1, 0) - 1);
                ps.executeUpdate();
            }
            List<String> tables = everything ? List.of("request_log", "token", "realm") : List.of("request_log");
            for (String t : tables) {
                try (PreparedStatement ps = c.connection.prepareStatement(
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
            try (PreparedStatement ps = c.connection.prepareStatement(
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
            try (Statement s = c.connection.createStatement();
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
            try (PreparedStatement ps = c.connection.prepareStatement(
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
            try (Statement s = c.connection.createStatement(); ResultSet rs = s.executeQuery(
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
            try (PreparedStatement ps = c.connection.prepareStatement("DELETE FROM token WHERE expires_ms < ?")) {
                ps.setLong(1, beforeMs);
                ps.executeUpdate();
            }
            return null;
        });
    }

    // ---- global settings ----

    String setting(String key) {
        return tx(c -> {
            try (PreparedStatement ps = c.connection.prepareStatement("SELECT v FROM setting WHERE k = ?")) {
                ps.setString(1, key);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? rs.getString(1) : null;
                }
            }
        });
    }

    void setting(String key, String value) {
        tx(c -> {
            try (PreparedStatement ps = c.connection.prepareStatement("MERGE INTO setting (k, v) KEY (k) VALUES (?, ?)")) {
                ps.setString(1, key);
                ps.setString(2, value);
                ps.executeUpdate();
            }
            return null;
        });
    }

    /** Closes the database (every thread's connection); later calls fail. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try (Connection c = DriverManager.getConnection(url, "sandbox", ""); Statement s = c.createStatement()) {
            s.execute("SHUTDOWN");
        } catch (SQLException e) {
            // already closed or broken: nothing more to flush
        }
        for (Session s : allSessions) {
            try {
                s.connection.close();
            } catch (SQLException e) {
                // the database is gone already
            }
        }
        allSessions.clear();
    }
}
