package io.qbosync.config;

import org.apache.activemq.artemis.api.core.QueueConfiguration;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.config.Configuration;
import org.apache.activemq.artemis.core.config.CoreAddressConfiguration;
import org.apache.activemq.artemis.core.settings.impl.AddressFullMessagePolicy;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.jms.artemis.ArtemisConfigurationCustomizer;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * Broker-side reliability of the embedded Artemis broker ({@code spring.artemis.mode=embedded}): on the pipeline's
 * addresses a rolled-back message comes back after a growing delay, and after {@code sync.jms.max-delivery-attempts}
 * it moves to a dead-letter queue. Also keeps every Artemis client in this JVM from deserialising Java objects.
 *
 * <p>Dead letters, two cases:
 * <ul>
 *   <li>each queue listed in {@code sync.jms.queues} is created at start-up together with its own plain queue
 *       {@code DLQ.<queue>} (e.g. {@code DLQ.qbo.customers}), which is its dead-letter address: a route reads it as
 *       {@code jms:queue:DLQ.qbo.customers} and Hawtio shows it from the start;</li>
 *   <li>any other queue matching {@code sync.jms.address-matches} dead-letters to the shared address
 *       {@code DLA}, where Artemis creates a filtered queue {@code DLQ.<queue>} on the first dead letter; read it
 *       with its fully qualified name {@code DLA::DLQ.<queue>}.</li>
 * </ul>
 * Auto-creation is off for {@code DLQ.*} addresses: a consumer asking for {@code DLQ.x} by its plain name before
 * the broker made it would otherwise create an unrelated queue of that name, and the dead letters would then be
 * dropped ("no bindings").
 *
 * <p>Dead letters expire after {@code sync.jms.dead-letters.expiry-delay} (7 days) into {@code PARKED.<queue>}
 * ({@code PARKED.DLA} for the shared address), a plain queue that never expires: nothing a broker holds is lost
 * silently, and the ops API lists and replays parked messages like dead letters. The copy keeps the message's
 * properties, {@code JMSXGroupID} included.
 *
 * <p>Limits ({@code sync.jms.broker.*}): the broker refuses messages when its journal's file system is
 * {@code max-disk-usage} percent full. The pipeline addresses use the FAIL policy with {@code max-size-bytes}: a full
 * address or disk makes a send fail at once, where BLOCK (or PAGE, which blocks once the disk is full) would stop the
 * sending thread in the client's flow control, which no call timeout covers. Dead-letter and parked addresses keep
 * paging to disk: only the broker itself moves messages there.
 *
 * <p>An external broker ({@code spring.artemis.mode=native}) needs the same settings in its {@code broker.xml};
 * docs/operations-infra.md has the snippet.
 */
@org.springframework.context.annotation.Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(SyncJmsProperties.class)
public class ArtemisConfig {

    private static final String LEGACY_JMS_QUEUE_PREFIX = "jms.queue.";

    private static final Logger LOG = LoggerFactory.getLogger(ArtemisConfig.class);

    @Bean
    public ArtemisConfigurationCustomizer qboSyncAddressSettings(SyncJmsProperties jms) {
        return configuration -> {
            SyncJmsProperties.Broker broker = jms.broker();
            configuration.setMaxDiskUsage(broker.maxDiskUsage());
            configuration.setDiskScanPeriod((int) Math.min(Integer.MAX_VALUE, broker.diskScanPeriod().toMillis()));
            configuration.setMessageExpiryScanPeriod(broker.expiryScanPeriod().toMillis());
            for (String match : jms.addressMatches()) {
                // Unset fields keep inheriting from Spring Boot's "#" settings (expiry address etc.).
                configuration.addAddressSetting(match, addressSettings(jms)
                        .setDeadLetterAddress(SimpleString.of(jms.deadLetterAddress()))
                        // Without this Artemis does not create DLQ.<queue> on a custom dead-letter address.
                        .setAutoCreateDeadLetterResources(true)
                        .setDeadLetterQueuePrefix(SimpleString.of(jms.deadLetterQueuePrefix()))
                        .setDeadLetterQueueSuffix(SimpleString.of("")));
            }
            for (String queue : jms.queues()) {
                declareAnycastQueue(configuration, queue);
                declareAnycastQueue(configuration, jms.deadLetterQueueOf(queue));
                // An exact name beats the patterns above.
                configuration.addAddressSetting(queue, addressSettings(jms)
                        .setDeadLetterAddress(SimpleString.of(jms.deadLetterQueueOf(queue)))
                        .setAutoCreateDeadLetterResources(false));
                parkAfterExpiry(configuration, jms, jms.deadLetterQueueOf(queue), jms.parkedQueueOf(queue));
            }
            parkAfterExpiry(configuration, jms, jms.deadLetterAddress(), jms.parkedQueueOf(jms.deadLetterAddress()));
            // The JMS client retries an unknown queue name with the legacy "jms.queue." prefix: guard both.
            for (String prefix : new String[] {"", LEGACY_JMS_QUEUE_PREFIX}) {
                configuration.addAddressSetting(prefix + jms.deadLetterQueuePrefix() + "#",
                        new AddressSettings().setAutoCreateQueues(false).setAutoCreateAddresses(false));
                configuration.addAddressSetting(prefix + jms.deadLetters().parkedQueuePrefix() + "#",
                        new AddressSettings().setAutoCreateQueues(false).setAutoCreateAddresses(false)
                                .setNoExpiry(true));
            }
            LOG.info("Embedded Artemis: {} delivery attempts, redelivery {} x{} (max {}); queues {} with {}<queue>; "
                            + "other {} dead-letter to {}; dead letters park in {}<queue> after {}; sends fail when "
                            + "an address holds {} or the disk is {} % full",
                    jms.maxDeliveryAttempts(), jms.redelivery().delay(), jms.redelivery().multiplier(),
                    jms.redelivery().maxDelay(), jms.queues(), jms.deadLetterQueuePrefix(), jms.addressMatches(),
                    jms.deadLetterAddress(), jms.deadLetters().parkedQueuePrefix(), jms.deadLetters().expiryDelay(),
                    broker.maxSizeBytes(), broker.maxDiskUsage());
        };
    }

    private static AddressSettings addressSettings(SyncJmsProperties jms) {
        return new AddressSettings()
                .setMaxDeliveryAttempts(jms.maxDeliveryAttempts())
                .setRedeliveryDelay(jms.redelivery().delay().toMillis())
                .setRedeliveryMultiplier(jms.redelivery().multiplier())
                .setMaxRedeliveryDelay(jms.redelivery().maxDelay().toMillis())
                .setAddressFullMessagePolicy(AddressFullMessagePolicy.FAIL)
                .setMaxSizeBytes(jms.broker().maxSizeBytes().toBytes());
    }

    /**
     * Messages on {@code deadLetterAddress} expire after the configured delay into the plain queue {@code parked}.
     * Declared as a queue configuration: Artemis creates its address with it at start.
     */
    private static void parkAfterExpiry(Configuration configuration, SyncJmsProperties jms, String deadLetterAddress,
            String parked) {
        configuration.addAddressSetting(deadLetterAddress, new AddressSettings()
                .setExpiryDelay(jms.deadLetters().expiryDelay().toMillis())
                .setExpiryAddress(SimpleString.of(parked))
                .setAutoCreateExpiryResources(false));
        configuration.addQueueConfiguration(QueueConfiguration.of(parked).setAddress(parked)
                .setRoutingType(RoutingType.ANYCAST).setDurable(true));
    }

    private static void declareAnycastQueue(Configuration configuration, String name) {
        configuration.addAddressConfiguration(new CoreAddressConfiguration()
                .setName(name)
                .addRoutingType(RoutingType.ANYCAST)
                .addQueueConfiguration(QueueConfiguration.of(name).setAddress(name).setRoutingType(RoutingType.ANYCAST)));
    }

    /** Static: a post-processor must exist before the beans it inspects. */
    @Bean
    static ArtemisDeserializationGuard artemisDeserializationGuard() {
        return new ArtemisDeserializationGuard();
    }
}
