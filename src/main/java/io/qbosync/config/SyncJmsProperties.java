package io.qbosync.config;

import java.time.Duration;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

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
        @DefaultValue({"qbo.customers", "qbo.invoices", "qbo.payments"}) List<String> queues) {

    public SyncJmsProperties {
        if (concurrentConsumers < 1) {
            throw new IllegalArgumentException("sync.jms.concurrent-consumers must be at least 1");
        }
        if (maxDeliveryAttempts < 1) {
            throw new IllegalArgumentException("sync.jms.max-delivery-attempts must be at least 1");
        }
        addressMatches = List.copyOf(addressMatches);
        queues = List.copyOf(queues);
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
}
