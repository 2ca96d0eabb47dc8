package io.qbosync.component.qbo.client;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.flywaydb.core.Flyway;

import java.nio.file.Path;

/** An H2 file database in a temp dir with the application's Flyway migrations applied. */
final class TestDatabase {

    private TestDatabase() {
    }

    static HikariDataSource migrated(Path dir) {
        HikariConfig cfg = new HikariConfig();
        // LOCK_TIMEOUT: row locks (SELECT … FOR UPDATE) wait up to 30 s instead of H2's default 1 s.
        cfg.setJdbcUrl("jdbc:h2:file:" + dir.resolve("store").toAbsolutePath() + ";LOCK_TIMEOUT=30000");
        cfg.setUsername("sa");
        cfg.setPassword("");
        cfg.setMaximumPoolSize(12);
        HikariDataSource ds = new HikariDataSource(cfg);
        Flyway.configure().dataSource(ds).locations("classpath:db/migration").load().migrate();
        return ds;
    }
}
