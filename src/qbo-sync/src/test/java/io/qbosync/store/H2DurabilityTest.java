package io.qbosync.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The window behind the chaos check's doubled payment, reproduced at its exact step: a child JVM opens an embedded
 * H2 store the way the app does at start-up, registers a payment, persists its requestid (the step just before the
 * QBO call) and is killed on the spot ({@code Runtime.halt}, as abrupt as {@code kill -9} for the file). The
 * requestid must be in the file afterwards. The control run opens the store without the start-up step and shows that
 * H2's write delay loses exactly that commit.
 */
class H2DurabilityTest {

    @TempDir
    Path dir;

    @Test
    void aRequestIdPersistedBeforeTheQboCallSurvivesAKillAtThatStep() throws Exception {
        Path store = dir.resolve("durable");
        String requestId = runChildAndKill(store, "start-up");
        assertThat(requestId).startsWith("qs-create-");
        assertThat(requestIdsIn(store)).hasSize(KillAfterRequestId.BURST).contains(requestId);
    }

    @Test
    void withoutTheStartUpStepH2LosesThatCommit() throws Exception {
        Path store = dir.resolve("default");
        String requestId = runChildAndKill(store, "migrate-only");
        assertThat(requestId).startsWith("qs-create-");
        assertThat(requestIdsIn(store)).as("H2's write delay dropped the commit").doesNotContain(requestId);
    }

    @Test
    void aStoreUrlThatAsksForAWriteDelayIsRefusedAtStartUp() {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL(url(dir.resolve("delayed")) + ";WRITE_DELAY=500");
        ds.setUser("sa");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new H2Durability(ds).makeCommitsDurable())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("WRITE_DELAY=500");
    }

    /** Runs {@link KillAfterRequestId} in its own JVM and returns the requestid it printed before it halted. */
    private static String runChildAndKill(Path store, String mode) throws IOException, InterruptedException {
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), KillAfterRequestId.class.getName(), url(store), mode)
                .redirectErrorStream(true).start();
        assertThat(child.waitFor(60, TimeUnit.SECONDS)).as("child finished").isTrue();
        String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(child.exitValue()).as("child halted on purpose; output:%n%s", out).isEqualTo(KillAfterRequestId.HALT);
        return out.lines().filter(l -> l.startsWith("requestid=")).map(l -> l.substring(10)).findFirst()
                .orElseThrow(() -> new AssertionError("no requestid printed:\n" + out));
    }

    private static List<String> requestIdsIn(Path store) {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL(url(store));
        ds.setUser("sa");
        JdbcTemplate jdbc = new JdbcTemplate(ds);
        // After a lost write the file may not even hold the table (or only part of the schema): nothing survived.
        Integer tables = jdbc.queryForObject("SELECT COUNT(*) FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_NAME = 'SYNC_RECORD'",
                Integer.class);
        return tables == null || tables == 0 ? List.of()
                : jdbc.queryForList("SELECT request_id FROM sync_record WHERE request_id IS NOT NULL", String.class);
    }

    /**
     * A long write delay in the URL makes the control deterministic (H2's default of 500 ms loses the commit only
     * when the kill comes soon enough) and shows that the start-up step wins over whatever the URL says.
     */
    private static String url(Path store) {
        return "jdbc:h2:file:" + store.resolve("sync-store").toAbsolutePath() + ";DB_CLOSE_ON_EXIT=FALSE";
    }

    /** The child: the app's start-up migration (or Flyway alone), one registration, one requestid, then a kill. */
    public static final class KillAfterRequestId {
        static final int HALT = 137;
        /** Payments registered in a row, as a poll does; the kill comes right after the last one's requestid. */
        static final int BURST = 100;

        public static void main(String[] args) throws java.sql.SQLException {
            JdbcDataSource ds = new JdbcDataSource();
            ds.setURL(args[0]);
            ds.setUser("sa");
            // The app's connection pool keeps the database open; without an open connection H2 would close (and
            // flush) it each time the last one is returned.
            java.sql.Connection pool = ds.getConnection();
            Flyway flyway = Flyway.configure().dataSource(ds).locations("classpath:db/migration").load();
            if ("start-up".equals(args[1])) {
                new SyncStoreConfig().syncStoreMigration(true).migrate(flyway);
            } else {
                flyway.migrate();
            }
            JdbcTemplate jdbc = new JdbcTemplate(ds);
            TransactionTemplate tx = new TransactionTemplate(new DataSourceTransactionManager(ds));
            SyncRecordRepository records = new SyncRecordRepository(jdbc, tx, new SyncIssueRepository(jdbc, tx));
            String requestId = null;
            for (int i = 1; i <= BURST; i++) {
                var reg = records.register("9130350000000001", EntityType.PAYMENT, String.format("P-%04d", i),
                        "0a1b2c3d4e5f6789", "{}", "INVOICE:I-0001", null);
                requestId = records.requestIdFor(reg.record(), "CREATE");
            }
            System.out.println("requestid=" + requestId);
            System.out.flush();
            // Here the app would send the QBO call; the kill lands first.
            Runtime.getRuntime().halt(HALT);
            pool.close();
        }
    }
}
