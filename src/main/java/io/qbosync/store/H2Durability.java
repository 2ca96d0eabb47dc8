package io.qbosync.store;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Makes every commit of an embedded H2 sync store reach the file before the commit returns ({@code SET WRITE_DELAY
 * 0}). H2's default keeps commits in memory for up to 500 ms, so a {@code kill -9} took the last ones with it: the
 * chaos check lost a payment's registration, requestid and SYNCED state that way, and the restarted app created the
 * payment in QBO a second time. The sync protocol relies on a requestid being stored before the QBO call it guards,
 * which only holds if the commit is durable. Applied at every start, whatever the JDBC URL says; the cost per commit
 * is measured by {@code bench/run.sh}. PostgreSQL commits durably by default and is left alone.
 */
public final class H2Durability {

    private static final Logger LOG = LoggerFactory.getLogger(H2Durability.class);

    private final JdbcTemplate jdbc;

    public H2Durability(DataSource dataSource) {
        this.jdbc = new JdbcTemplate(dataSource);
    }

    /** Sets the database-wide write delay to 0 and returns the value H2 reports afterwards. */
    public int makeCommitsDurable() {
        jdbc.execute("SET WRITE_DELAY 0");
        Integer delay = jdbc.queryForObject(
                "SELECT MAX(CAST(SETTING_VALUE AS INT)) FROM INFORMATION_SCHEMA.SETTINGS WHERE SETTING_NAME = 'WRITE_DELAY'",
                Integer.class);
        LOG.info("Embedded H2 sync store: commits are written through (WRITE_DELAY={})", delay);
        return delay == null ? -1 : delay;
    }
}
