package io.qbosync.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.core.config.CoreAddressConfiguration;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/** The {@code sync.jms.*} defaults and what they turn into on the embedded broker. */
class SyncJmsPropertiesTest {

    @Test
    void defaults() {
        SyncJmsProperties jms = bind(Map.of());

        assertThat(jms.concurrentConsumers()).isEqualTo(4);
        assertThat(jms.receiveTimeout()).isEqualTo(Duration.ofSeconds(1));
        assertThat(jms.maxDeliveryAttempts()).isEqualTo(10);
        assertThat(jms.redelivery().delay()).isEqualTo(Duration.ofSeconds(5));
        assertThat(jms.redelivery().multiplier()).isEqualTo(2.0);
        assertThat(jms.redelivery().maxDelay()).isEqualTo(Duration.ofMinutes(5));
        assertThat(jms.deadLetterAddress()).isEqualTo("DLA");
        assertThat(jms.addressMatches()).containsExactly("qbo.#");
        assertThat(jms.queues()).containsExactly("qbo.customers", "qbo.invoices", "qbo.payments");
        assertThat(jms.deadLetterQueueOf("qbo.customers")).isEqualTo("DLQ.qbo.customers");
    }

    @Test
    void nonsenseIsRejected() {
        assertThatThrownBy(() -> bind(Map.of("sync.jms.concurrent-consumers", "0"))).hasStackTraceContaining("at least 1");
        assertThatThrownBy(() -> bind(Map.of("sync.jms.redelivery.multiplier", "0.5"))).hasStackTraceContaining("at least 1.0");
    }

    @Test
    void embeddedBrokerGetsRedeliveryAndDeadLetterSettings() {
        SyncJmsProperties jms = bind(Map.of("sync.jms.queues", "qbo.customers"));
        ConfigurationImpl broker = new ConfigurationImpl();

        new ArtemisConfig().qboSyncAddressSettings(jms).customize(broker);

        AddressSettings pattern = broker.getAddressSettings().get("qbo.#");
        assertThat(pattern.getMaxDeliveryAttempts()).isEqualTo(10);
        assertThat(pattern.getRedeliveryDelay()).isEqualTo(5000);
        assertThat(pattern.getRedeliveryMultiplier()).isEqualTo(2.0);
        assertThat(pattern.getMaxRedeliveryDelay()).isEqualTo(300_000);
        assertThat(pattern.getDeadLetterAddress().toString()).isEqualTo("DLA");
        assertThat(pattern.isAutoCreateDeadLetterResources()).isTrue();

        AddressSettings listed = broker.getAddressSettings().get("qbo.customers");
        assertThat(listed.getDeadLetterAddress().toString()).isEqualTo("DLQ.qbo.customers");
        assertThat(listed.getMaxDeliveryAttempts()).isEqualTo(10);

        assertThat(broker.getAddressSettings().get("DLQ.#").isAutoCreateQueues()).isFalse();
        assertThat(broker.getAddressSettings().get("jms.queue.DLQ.#").isAutoCreateQueues()).isFalse();

        List<String> anycast = broker.getAddressConfigurations().stream()
                .filter(a -> a.getRoutingTypes().contains(RoutingType.ANYCAST))
                .map(CoreAddressConfiguration::getName)
                .toList();
        assertThat(anycast).containsExactly("qbo.customers", "DLQ.qbo.customers");
    }

    private static SyncJmsProperties bind(Map<String, String> properties) {
        return new Binder(new MapConfigurationPropertySource(properties)).bindOrCreate("sync.jms", SyncJmsProperties.class);
    }
}
