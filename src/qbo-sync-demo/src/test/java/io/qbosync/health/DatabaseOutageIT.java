package io.qbosync.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.springframework.dao.DataAccessException;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.qbosync.store.EntityType;
import io.qbosync.testsupport.Await;
import io.qbosync.testsupport.PostgresServer;

/**
 * The sync store's PostgreSQL is stopped in the middle of the sample sync ({@code pg_ctl stop -m immediate}, as in a
 * crash: no checkpoint, every connection cut) and started again on its data after a while. The server is the test's
 * own ({@link PostgresServer}), so the other tests' server is not touched. Readiness is DOWN (503, db) while liveness
 * stays UP and answers at once; a poll fails within seconds (Hikari's connection timeout is 2 s here) instead of
 * hanging. Messages whose pushes fail meanwhile are redelivered and, after four attempts, dead-lettered; their records
 * stay PENDING and the resume sweep queues them again. Once the database is back, readiness is UP and the sync
 * completes with nothing lost or doubled in QBO. Skipped when the PostgreSQL server binaries are missing; CI installs
 * them (.ci/start-postgres.sh).
 */
@EnabledIf("postgresInstalled")
class DatabaseOutageIT extends OutageItBase {

    private static final Duration POLL_BOUND = Duration.ofSeconds(20);

    static PostgresServer postgres;

    static boolean postgresInstalled() {
        return PostgresServer.available();
    }

    /** Before the Spring context, which SpringExtension loads when the first test instance is prepared. */
    @BeforeAll
    static void startDatabaseAndSandbox() throws Exception {
        postgres = PostgresServer.start();
        startSlowSandbox();
    }

    @AfterAll
    static void stopAll() throws Exception {
        stopSandbox();
        if (postgres != null) {
            postgres.close();
        }
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        commonProperties(registry);
        registry.add("spring.datasource.url", () -> postgres.jdbcUrl());
        registry.add("spring.datasource.username", () -> postgres.user());
        registry.add("spring.datasource.password", () -> "unused-trusted-login");
        registry.add("spring.datasource.driver-class-name", () -> "org.postgresql.Driver");
        // An unreachable database fails a borrow after 2 s instead of Hikari's 30 s.
        registry.add("spring.datasource.hikari.connection-timeout", () -> "2000");
        registry.add("spring.datasource.hikari.validation-timeout", () -> "1000");
        // Short broker redelivery, so that the outage uses up some messages' attempts (they are dead-lettered).
        registry.add("sync.jms.max-delivery-attempts", () -> "4");
        registry.add("sync.jms.redelivery.delay", () -> "500ms");
        registry.add("sync.jms.redelivery.max-delay", () -> "2s");
    }

    @Test
    void readinessFollowsTheDatabaseAndTheSyncCompletesAfterTheOutage() throws Exception {
        SampleSyncOutcome outcome = outcome();
        assertThat(readiness()).isEqualTo(200);
        // Mid-sync: some invoices are in QBO, most are not.
        Await.until("40 invoices in QBO", Duration.ofMinutes(2), () -> outcome.entities("Invoice").size() > 40);
        int invoicesAtCut = outcome.entities("Invoice").size();

        long cutAt = System.nanoTime();
        postgres.stopImmediately();
        Await.until("readiness DOWN", Duration.ofSeconds(30), () -> readiness() == 503);
        long downAfterMs = millisSince(cutAt);
        assertThat(readinessOf("db")).isEqualTo("DOWN");

        long livenessStart = System.nanoTime();
        assertThat(liveness()).as("a database outage must not get the app restarted").isEqualTo(200);
        assertThat(Duration.ofNanos(System.nanoTime() - livenessStart)).as("liveness asks no database")
                .isLessThan(Duration.ofSeconds(2));

        Throwable pollFailure = pollFailure();
        assertThat(BrokerDiskFullIT.cause(pollFailure, DataAccessException.class) != null
                || BrokerDiskFullIT.cause(pollFailure, SQLException.class) != null)
                .as("the poll fails on the database: %s", pollFailure).isTrue();

        sleepOutTheOutage(cutAt);
        assertThat(outcome.entities("Invoice").size()).as("the sync was cut mid-way").isLessThan(
                outcome.sourceIds().get(EntityType.INVOICE).size());
        Map<String, Long> deadDuringOutage = deadLetters.counts();

        postgres.startAgain();
        long restoredAt = System.nanoTime();
        Await.until("readiness UP", Duration.ofSeconds(60), () -> readiness() == 200);
        long upAfterMs = millisSince(restoredAt);

        camel.requestBody("direct:poll-source", (Object) null);
        outcome.awaitSettled(Duration.ofMinutes(3));
        outcome.assertNothingLostOrDoubled();
        System.out.printf("database-outage: invoices in QBO at the stop %d; readiness DOWN %d ms after the stop, UP %d"
                        + " ms after the restart; dead letters at the restart %s, at the end %s; settled %d ms after"
                        + " the restart%n", invoicesAtCut, downAfterMs, upAfterMs, deadDuringOutage, deadLetters.counts(),
                millisSince(restoredAt));
    }

    private Throwable pollFailure() throws InterruptedException {
        CompletableFuture<Object> poll = CompletableFuture.supplyAsync(
                () -> camel.requestBody("direct:poll-source", (Object) null));
        try {
            poll.get(POLL_BOUND.toSeconds(), TimeUnit.SECONDS);
            return fail("a poll succeeded without its database");
        } catch (TimeoutException e) {
            return fail("the poll hangs: not ended after " + POLL_BOUND);
        } catch (ExecutionException e) {
            return e.getCause();
        }
    }
}
