package io.qbosync.config;

import org.apache.activemq.artemis.api.core.QueueConfiguration;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.config.Configuration;
import org.apache.activemq.artemis.core.config.CoreAddressConfiguration;
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
 * <p>An external broker ({@code spring.artemis.mode=native}) needs the same settings in its {@code broker.xml};
 * docs/operations-infra.md has the snippet.
 */
@org.springframework.context.annotation.Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(SyncJmsProperties.class)
public class ArtemisConfig {

    private static final String LEGACY_JMS_QUEUE_PREFIX = "jms.queue.";

    private static final Logger LOG = LoggerFactory.getLogger(ArtemisConfig.class);

    @Bean
    ArtemisConfigurationCustomizer qboSyncAddressSettings(SyncJmsProperties jms) {
        return configuration -> {
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
            }
            // The JMS client retries an unknown queue name with the legacy "jms.queue." prefix: guard both.
            for (String prefix : new String[] {"", LEGACY_JMS_QUEUE_PREFIX}) {
                configuration.addAddressSetting(prefix + jms.deadLetterQueuePrefix() + "#",
                        new AddressSettings().setAutoCreateQueues(false).setAutoCreateAddresses(false));
            }
            LOG.info("Embedded Artemis: {} delivery attempts, redelivery {} x{} (max {}); queues {} with {}<queue>; "
                            + "other {} dead-letter to {}",
                    jms.maxDeliveryAttempts(), jms.redelivery().delay(), jms.redelivery().multiplier(),
                    jms.redelivery().maxDelay(), jms.queues(), jms.deadLetterQueuePrefix(), jms.addressMatches(),
                    jms.deadLetterAddress());
        };
    }

    private static AddressSettings addressSettings(SyncJmsProperties jms) {
        return new AddressSettings()
                .setMaxDeliveryAttempts(jms.maxDeliveryAttempts())
                .setRedeliveryDelay(jms.redelivery().delay().toMillis())
                .setRedeliveryMultiplier(jms.redelivery().multiplier())
                .setMaxRedeliveryDelay(jms.redelivery().maxDelay().toMillis());
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
