package io.qbosync.config;

import java.time.Duration;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * JMS settings of the sync pipeline ({@code sync.jms.*}): how the Camel {@code jms} component consumes, and how
 * the embedded Artemis broker redelivers and dead-letters messages on the pipeline's queues.
 *
 * @param concurrentConsumers   listener threads per consuming route (each is one JMS consumer)
 * @param receiveTimeout        how long a listener thread blocks in one receive; bounds how fast routes stop
 * @param maxDeliveryAttempts   deliveries (first one included) before the broker moves a message to its DLQ
 * @param redelivery            delay between broker redeliveries after a rollback
 * @param deadLetterAddress     shared dead-letter address of queues not listed in {@code queues}; the broker creates
 *                              a filtered {@code DLQ.<queue>} there on demand (read it as {@code DLA::DLQ.<queue>})
 * @param deadLetterQueuePrefix prefix of the per-queue dead-letter queues: {@code DLQ.} + queue name
 * @param addressMatches        Artemis address patterns that get these settings ({@code qbo.#} = every pipeline queue)
 * @param queues                pipeline queues the embedded broker creates at start, each with its own plain
 *                              dead-letter queue {@code DLQ.<queue>}, so both exist (and show in Hawtio) from the start
 * @param sendTimeout           Artemis client call timeout: the longest a durable send, a commit or any other blocking
 *                              broker call may take before it fails (embedded and external broker alike)
 * @param broker                limits of the embedded broker and when its health indicator reports DOWN
 * @param deadLetters           how long dead letters wait in {@code DLQ.<queue>} before they are parked
 */
@ConfigurationProperties("sync.jms")
public record SyncJmsProperties(
        @DefaultValue("4") int concurrentConsumers,
        @DefaultValue("1s") Duration receiveTimeout,
        @DefaultValue("10") int maxDeliveryAttempts,
        @DefaultValue Redelivery redelivery,
        @DefaultValue("DLA") String deadLetterAddress,
        @DefaultValue("DLQ.") String deadLetterQueuePrefix,
        @DefaultValue("qbo.#") List<String> addressMatches,
        @DefaultValue({"qbo.customers", "qbo.invoices", "qbo.payments"}) List<String> queues,
        @DefaultValue("10s") Duration sendTimeout,
        @DefaultValue Broker broker,
        @DefaultValue DeadLetters deadLetters) {

    public SyncJmsProperties {
        if (concurrentConsumers < 1) {
            throw new IllegalArgumentException("sync.jms.concurrent-consumers must be at least 1");
        }
        if (maxDeliveryAttempts < 1) {
            throw new IllegalArgumentException("sync.jms.max-delivery-attempts must be at least 1");
        }
        if (sendTimeout.isNegative() || sendTimeout.isZero()) {
            throw new IllegalArgumentException("sync.jms.send-timeout must be positive");
        }
        addressMatches = List.copyOf(addressMatches);
        queues = List.copyOf(queues);
    }

    /** Name of the parked queue of {@code queue}, where its expired dead letters end: {@code PARKED.qbo.customers}. */
    public String parkedQueueOf(String queue) {
        return deadLetters.parkedQueuePrefix() + queue;
    }

    /** Name of the dead-letter queue of {@code queue}, as the broker names it: {@code DLQ.qbo.customers}. */
    public String deadLetterQueueOf(String queue) {
        return deadLetterQueuePrefix + queue;
    }

    /**
     * Broker redelivery back-off: {@code delay}, then times {@code multiplier} per attempt, capped at {@code maxDelay}.
     *
     * @param delay      wait before the first redelivery
     * @param multiplier growth factor per further redelivery (1 = constant delay)
     * @param maxDelay   upper bound of the delay
     */
    public record Redelivery(
            @DefaultValue("5s") Duration delay,
            @DefaultValue("2.0") double multiplier,
            @DefaultValue("5m") Duration maxDelay) {

        public Redelivery {
            if (multiplier < 1.0) {
                throw new IllegalArgumentException("sync.jms.redelivery.multiplier must be at least 1.0");
            }
        }
    }

    /**
     * The embedded broker's limits. At {@code maxDiskUsage} Artemis stops taking messages; the pipeline addresses
     * use the FAIL policy, so a send is refused at once instead of blocking its thread (BLOCK would park the poller
     * in the client's flow control with no timeout). The health indicator reports DOWN a little earlier.
     *
     * @param maxDiskUsage       percent of the journal's file system in use at which the broker refuses messages
     *                           (Artemis {@code max-disk-usage}; -1 = never)
     * @param diskScanPeriod     how often the broker measures disk usage
     * @param maxSizeBytes       memory a pipeline address may hold before sends to it are refused (FAIL policy: the
     *                           pipeline addresses never page, so this also bounds the broker's heap use)
     * @param healthDiskMargin   percentage points below {@code maxDiskUsage} at which the broker indicator is DOWN
     * @param healthAddressFill  percent of {@code maxSizeBytes} a pipeline address may fill before the indicator is DOWN
     * @param healthTimeout      longest wait for the broker to accept a connection in a health check
     * @param expiryScanPeriod   how often the broker moves expired messages (dead letters to their parked queue)
     */
    public record Broker(
            @DefaultValue("90") int maxDiskUsage,
            @DefaultValue("5s") Duration diskScanPeriod,
            @DefaultValue("64MB") DataSize maxSizeBytes,
            @DefaultValue("5") int healthDiskMargin,
            @DefaultValue("90") int healthAddressFill,
            @DefaultValue("2s") Duration healthTimeout,
            @DefaultValue("30s") Duration expiryScanPeriod) {

        public Broker {
            if (maxDiskUsage != -1 && (maxDiskUsage < 0 || maxDiskUsage > 100)) {
                throw new IllegalArgumentException("sync.jms.broker.max-disk-usage must be a percentage (0-100) or -1");
            }
            if (healthDiskMargin < 0 || healthDiskMargin > 100) {
                throw new IllegalArgumentException("sync.jms.broker.health-disk-margin must be 0-100 percentage points");
            }
            if (healthAddressFill < 1 || healthAddressFill > 100) {
                throw new IllegalArgumentException("sync.jms.broker.health-address-fill must be 1-100 percent");
            }
            if (maxSizeBytes.toBytes() < 1) {
                throw new IllegalArgumentException("sync.jms.broker.max-size-bytes must be positive");
            }
            if (diskScanPeriod.toMillis() < 1 || healthTimeout.toMillis() < 1 || expiryScanPeriod.toMillis() < 1) {
                throw new IllegalArgumentException("sync.jms.broker periods and timeouts must be positive");
            }
        }
    }

    /**
     * What happens to a dead letter after a while. Its record is still PENDING in the sync store and the resume
     * sweep queues it again, so the dead letter itself is a copy for ops to look at: after {@code expiryDelay} the
     * broker moves it to {@code PARKED.<queue>}, which never expires, where the ops API still lists and replays it.
     *
     * @param expiryDelay       time a message stays in {@code DLQ.<queue>} before it is parked
     * @param parkedQueuePrefix prefix of the parked queues: {@code PARKED.} + queue name
     */
    public record DeadLetters(
            @DefaultValue("7d") Duration expiryDelay,
            @DefaultValue("PARKED.") String parkedQueuePrefix) {

        public DeadLetters {
            if (expiryDelay.toMillis() < 1) {
                throw new IllegalArgumentException("sync.jms.dead-letters.expiry-delay must be positive");
            }
        }
    }
}
