package io.qbosync.component.qbo.client;

import com.zaxxer.hikari.HikariDataSource;
import io.qbosync.store.QboConnectionRepository;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import io.qbosync.testsupport.PostgresTestDatabase;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import java.security.SecureRandom;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The migration and repository SQL on a real PostgreSQL (QBOSYNC_TEST_PG_URL/_USER/_PASSWORD, as printed by
 * {@code .ci/start-postgres.sh}), in a schema of its own, including the row lock that makes refreshes single-flight.
 */
@Tag("postgres")
class QboConnectionRepositoryPostgresIT {

    private HikariDataSource ds;
    private QboConnectionRepository repo;
    private String schema;

    @BeforeEach
    void setUp() {
        // Fails (never skips) without PostgreSQL: it starts one through .ci/start-postgres.sh when none is given.
        PostgresTestDatabase pg = PostgresTestDatabase.get();
        String url = pg.url();
        schema = "qbo_component_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        ds = new HikariDataSource();
        ds.setJdbcUrl(url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema);
        ds.setUsername(pg.user());
        ds.setPassword(pg.password());
        ds.setMaximumPoolSize(4);
        Flyway.configure().dataSource(ds).schemas(schema).defaultSchema(schema).createSchemas(true)
                .locations("classpath:db/migration").load().migrate();
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        repo = new QboConnectionRepository(ds, new TokenCipher(key));
    }

    @AfterEach
    void tearDown() {
        if (ds != null) {
            new JdbcTemplate(ds).execute("DROP SCHEMA " + schema + " CASCADE");
            ds.close();
        }
    }

    @Test
    void storesEncryptsUpdatesAndLocks() throws Exception {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        repo.save(QboConnection.connected("4620", "sandbox", "http://127.0.0.1:1", "http://127.0.0.1:1/t",
                "cid", "csecret", "RT1-abc", "AT-xyz", now.plusSeconds(3600), now.plus(100, ChronoUnit.DAYS)));
        Map<String, Object> raw = new JdbcTemplate(ds).queryForMap("SELECT * FROM qbo_connection");
        assertThat(raw.toString()).doesNotContain("csecret", "RT1-abc", "AT-xyz");
        repo.updateTokens("4620", "AT-2", now.plusSeconds(7200), "RT1-2", now.plusSeconds(99), null);
        QboConnection c = repo.find("4620").orElseThrow();
        assertThat(c.accessToken()).isEqualTo("AT-2");
        assertThat(c.accessExpiresAt()).isEqualTo(now.plusSeconds(7200));
        assertThat(c.refreshHardExpiresAt()).isNull();
        repo.updateStatus("4620", QboConnectionStatus.EXPIRED, "invalid_grant");
        assertThat(repo.listSummaries()).singleElement()
                .satisfies(s -> assertThat(s.status()).isEqualTo(QboConnectionStatus.EXPIRED));

        TransactionTemplate tx = new TransactionTemplate(new DataSourceTransactionManager(ds));
        CountDownLatch locked = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<Void> holder = CompletableFuture.runAsync(() -> tx.executeWithoutResult(s -> {
            repo.findForUpdate("4620").orElseThrow();
            locked.countDown();
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            repo.updateTokens("4620", "AT-3", now.plusSeconds(7200), "RT1-3", now.plusSeconds(99), null);
        }));
        assertThat(locked.await(30, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<String> waiter = CompletableFuture.supplyAsync(() ->
                tx.execute(s -> repo.findForUpdate("4620").orElseThrow().refreshToken()));
        Thread.sleep(300);
        assertThat(waiter).as("second locker waits for the first").isNotDone();
        release.countDown();
        holder.get(30, TimeUnit.SECONDS);
        assertThat(waiter.get(30, TimeUnit.SECONDS)).as("and then sees its committed rotation").isEqualTo("RT1-3");
    }
}
