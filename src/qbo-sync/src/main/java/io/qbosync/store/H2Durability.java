package io.qbosync.store;

import java.sql.Connection;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.sql.DataSource;

import org.h2.jdbcx.JdbcDataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;

import com.zaxxer.hikari.HikariDataSource;

/**
 * Makes every commit of an embedded H2 sync store reach the file before the commit returns ({@code SET WRITE_DELAY
 * 0}). H2's default keeps commits in memory for up to 500 ms, so a {@code kill -9} took the last ones with it: the
 * chaos check lost a payment's registration, requestid and SYNCED state that way, and the restarted app created the
 * payment in QBO a second time. The sync protocol relies on a requestid being stored before the QBO call it guards,
 * which only holds if the commit is durable. Applied at every start; a JDBC URL that asks for a write delay itself is
 * refused, because H2 re-applies URL settings on every new pooled connection. The cost per commit is measured by
 * {@code bench/run.sh}. PostgreSQL commits durably by default and is left alone.
 */
public final class H2Durability {

    private static final Logger LOG = LoggerFactory.getLogger(H2Durability.class);

    private final DataSource dataSource;
    private final JdbcTemplate jdbc;

    public H2Durability(DataSource dataSource) {
        this.dataSource = dataSource;
        this.jdbc = new JdbcTemplate(dataSource);
    }

    private static final Pattern URL_DELAY = Pattern.compile("(?i);WRITE_DELAY=(\\d+)");

    /** Sets the database-wide write delay to 0 and returns the value H2 reports afterwards. */
    public int makeCommitsDurable() {
        Matcher m = URL_DELAY.matcher(configuredUrl());
        if (m.find() && Integer.parseInt(m.group(1)) != 0) {
            throw new IllegalStateException("The sync store's JDBC URL sets WRITE_DELAY=" + m.group(1) + ": a kill -9"
                    + " would lose the last commits, and with them requestids stored before their QBO call."
                    + " Remove the setting (qbo-sync sets WRITE_DELAY 0 itself) or set it to 0.");
        }
        jdbc.execute("SET WRITE_DELAY 0");
        Integer delay = jdbc.queryForObject(
                "SELECT MAX(CAST(SETTING_VALUE AS INT)) FROM INFORMATION_SCHEMA.SETTINGS WHERE SETTING_NAME = 'WRITE_DELAY'",
                Integer.class);
        LOG.info("Embedded H2 sync store: commits are written through (WRITE_DELAY={})", delay);
        return delay == null ? -1 : delay;
    }

    /** The URL as configured, with its settings (H2's connection metadata leaves them out). */
    private String configuredUrl() {
        if (dataSource instanceof HikariDataSource hikari) {
            return String.valueOf(hikari.getJdbcUrl());
        }
        if (dataSource instanceof JdbcDataSource h2) {
            return String.valueOf(h2.getURL());
        }
        return String.valueOf(jdbc.execute((Connection c) -> c.getMetaData().getURL()));
    }
}
