package io.qbosync.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.qbosync.store.EntityType;
import io.qbosync.testsupport.Await;
import io.qbosync.testsupport.ExternalArtemis;

/**
 * The external Artemis broker (its own process, profile {@code external-broker}, the shipped broker.properties) is
 * killed with {@code kill -9} in the middle of the sample sync and started again on its journal after a while.
 * Readiness is DOWN (broker) while it is away and liveness stays UP; the app reconnects by itself, readiness is UP
 * again, and every record ends in QBO exactly once: messages the broker had journaled are delivered after the
 * restart, sends that failed during the outage are re-queued by the resume sweep.
 */
@ActiveProfiles("external-broker")
class BrokerOutageIT extends OutageItBase {

    @TempDir
    static Path brokerDir;
    static ExternalArtemis broker;

    @BeforeAll
    static void startBrokerAndSandbox() throws Exception {
        broker = ExternalArtemis.create(brokerDir);
        broker.start();
        startSlowSandbox();
    }

    @AfterAll
    static void stopAll() throws InterruptedException {
        if (broker != null) {
            broker.close();
        }
        stopSandbox();
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        commonProperties(registry);
        registry.add("ARTEMIS_URL", () -> broker.brokerUrl());
        registry.add("ARTEMIS_USER", () -> ExternalArtemis.USER);
        registry.add("ARTEMIS_PASSWORD", () -> ExternalArtemis.PASSWORD);
        // A send or commit to the missing broker fails after 3 s instead of 10.
        registry.add("sync.jms.send-timeout", () -> "3s");
    }

    @Test
    void readinessFollowsTheBrokerAndTheSyncCompletesAfterItsRestart() throws Exception {
        SampleSyncOutcome outcome = outcome();
        assertThat(broker.log()).as("the shipped broker.properties deployed every address")
                .contains("Deploying address DLQ.qbo.customers").contains("Deploying address PARKED.qbo.payments")
                .doesNotContain("AMQ222274");
        assertThat(readiness()).isEqualTo(200);
        Await.until("40 invoices in QBO", Duration.ofMinutes(2), () -> outcome.entities("Invoice").size() > 40);
        int invoicesAtKill = outcome.entities("Invoice").size();

        long killedAt = System.nanoTime();
        broker.kill();
        Await.until("readiness DOWN", Duration.ofSeconds(30), () -> readiness() == 503);
        long downAfterMs = millisSince(killedAt);
        assertThat(readinessOf("broker")).isEqualTo("DOWN");
        assertThat(liveness()).as("a broker outage must not get the app restarted").isEqualTo(200);

        sleepOutTheOutage(killedAt);
        assertThat(outcome.entities("Invoice").size()).as("the sync was cut mid-way").isLessThan(
                outcome.sourceIds().get(EntityType.INVOICE).size());

        broker.start();
        long restartedAt = System.nanoTime();
        Await.until("readiness UP", Duration.ofSeconds(60), () -> readiness() == 200);
        long upAfterMs = millisSince(restartedAt);

        camel.requestBody("direct:poll-source", (Object) null);
        outcome.awaitSettled(Duration.ofMinutes(3));
        outcome.assertNothingLostOrDoubled();
        System.out.printf("broker-outage: invoices in QBO at kill %d; readiness DOWN %d ms after the kill, UP %d ms "
                        + "after the restart; dead letters at the end %s; settled %d ms after the restart%n",
                invoicesAtKill, downAfterMs, upAfterMs, deadLetters.counts(), millisSince(restartedAt));
    }
}
