package io.qbosync.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Rebuilds the secondary indexes of an embedded H2 sync store. H2's MVStore can come back from a {@code kill -9}
 * with a table row whose entry in a secondary index is missing; every later update of that row then fails with
 * "Row not found when trying to delete from index" (error 90112), and the record would stay PENDING for ever. The
 * chaos check met exactly that after its 20th kill. Rebuilding from the table at start-up removes any such damage
 * before the first message is consumed. PostgreSQL (production) does not need it and is left alone.
 *
 * <p>Each index is rebuilt under a temporary name, then the old one is dropped and the new one renamed, so a crash in
 * between leaves a usable index; a leftover temporary index is dropped on the next start.
 */
public final class H2IndexRebuild {

    private static final Logger LOG = LoggerFactory.getLogger(H2IndexRebuild.class);
    static final String SUFFIX = "_REBUILD";

    private final JdbcTemplate jdbc;

    public H2IndexRebuild(DataSource dataSource) {
        this.jdbc = new JdbcTemplate(dataSource);
    }

    /** True when the store is an H2 file database (the embedded default). */
    public boolean applies() {
        return Boolean.TRUE.equals(jdbc.execute((Connection c) -> {
            try {
                String url = c.getMetaData().getURL();
                return "H2".equals(c.getMetaData().getDatabaseProductName()) && url != null
                        && url.startsWith("jdbc:h2:file:");
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }));
    }

    /**
     * Rebuilds every index of the current schema created by a migration's CREATE INDEX; returns their names. Indexes
     * that back a primary key, unique or foreign-key constraint belong to the constraint and are left as they are.
     */
    public List<String> rebuild() {
        long start = System.nanoTime();
        for (String leftover : jdbc.queryForList("SELECT INDEX_NAME FROM INFORMATION_SCHEMA.INDEXES WHERE TABLE_SCHEMA ="
                + " SCHEMA() AND INDEX_NAME LIKE ?", String.class, "%" + SUFFIX)) {
            jdbc.execute("DROP INDEX IF EXISTS " + quote(leftover));
        }
        List<String> names = jdbc.queryForList("SELECT INDEX_NAME FROM INFORMATION_SCHEMA.INDEXES WHERE TABLE_SCHEMA ="
                + " SCHEMA() AND INDEX_TYPE_NAME = 'INDEX' AND IS_GENERATED = FALSE ORDER BY INDEX_NAME", String.class);
        for (String index : names) {
            String table = jdbc.queryForObject("SELECT TABLE_NAME FROM INFORMATION_SCHEMA.INDEXES WHERE TABLE_SCHEMA ="
                    + " SCHEMA() AND INDEX_NAME = ?", String.class, index);
            List<String> columns = jdbc.queryForList("SELECT COLUMN_NAME FROM INFORMATION_SCHEMA.INDEX_COLUMNS WHERE"
                    + " TABLE_SCHEMA = SCHEMA() AND INDEX_NAME = ? ORDER BY ORDINAL_POSITION", String.class, index);
            String columnList = String.join(", ", columns.stream().map(H2IndexRebuild::quote).toList());
            jdbc.execute("CREATE INDEX " + quote(index + SUFFIX) + " ON " + quote(table) + " (" + columnList + ")");
            jdbc.execute("DROP INDEX " + quote(index));
            jdbc.execute("ALTER INDEX " + quote(index + SUFFIX) + " RENAME TO " + quote(index));
        }
        LOG.info("Rebuilt {} index(es) of the embedded H2 sync store in {} ms (crash safety; see H2IndexRebuild)",
                names.size(), (System.nanoTime() - start) / 1_000_000);
        return names;
    }

    private static String quote(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }
}
