package io.qbosync.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;

import org.apache.activemq.artemis.api.core.QueueConfiguration;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.settings.impl.AddressFullMessagePolicy;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

import io.qbosync.config.ArtemisConfig;
import io.qbosync.config.SyncJmsProperties;

/** The {@code sync.jms} broker limits, timeouts and dead-letter expiry, and what they become on the embedded broker. */
class BrokerSettingsTest {

    @Test
    void defaults() {
        SyncJmsProperties jms = bind(Map.of());

        assertThat(jms.sendTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(jms.broker().maxDiskUsage()).isEqualTo(90);
        assertThat(jms.broker().healthDiskMargin()).isEqualTo(5);
        assertThat(jms.broker().healthAddressFill()).isEqualTo(90);
        assertThat(jms.broker().maxSizeBytes().toMegabytes()).isEqualTo(64);
        assertThat(jms.broker().healthTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(jms.deadLetters().expiryDelay()).isEqualTo(Duration.ofDays(7));
        assertThat(jms.parkedQueueOf("qbo.customers")).isEqualTo("PARKED.qbo.customers");
    }

    @Test
    void nonsenseIsRejected() {
        assertThatThrownBy(() -> bind(Map.of("sync.jms.broker.max-disk-usage", "101"))).hasStackTraceContaining("max-disk-usage");
        assertThatThrownBy(() -> bind(Map.of("sync.jms.broker.health-address-fill", "0"))).hasStackTraceContaining("health-address-fill");
        assertThatThrownBy(() -> bind(Map.of("sync.jms.send-timeout", "0s"))).hasStackTraceContaining("send-timeout");
        assertThatThrownBy(() -> bind(Map.of("sync.jms.dead-letters.expiry-delay", "0s"))).hasStackTraceContaining("expiry-delay");
        assertThat(bind(Map.of("sync.jms.broker.max-disk-usage", "-1")).broker().maxDiskUsage()).as("never").isEqualTo(-1);
    }

    @Test
    void embeddedBrokerFailsSendsWhenFullAndParksExpiredDeadLetters() {
        SyncJmsProperties jms = bind(Map.of("sync.jms.queues", "qbo.customers", "sync.jms.broker.max-disk-usage", "80",
                "sync.jms.broker.max-size-bytes", "8MB", "sync.jms.dead-letters.expiry-delay", "2d",
                "sync.jms.broker.disk-scan-period", "1s", "sync.jms.broker.expiry-scan-period", "10s"));
        ConfigurationImpl broker = new ConfigurationImpl();

        new ArtemisConfig().qboSyncAddressSettings(jms).customize(broker);

        assertThat(broker.getMaxDiskUsage()).isEqualTo(80);
        assertThat(broker.getDiskScanPeriod()).isEqualTo(1000);
        assertThat(broker.getMessageExpiryScanPeriod()).isEqualTo(10_000);
        for (String pipeline : new String[] {"qbo.#", "qbo.customers"}) {
            AddressSettings s = broker.getAddressSettings().get(pipeline);
            assertThat(s.getAddressFullMessagePolicy()).as(pipeline).isEqualTo(AddressFullMessagePolicy.FAIL);
            assertThat(s.getMaxSizeBytes()).as(pipeline).isEqualTo(8L * 1024 * 1024);
        }
        AddressSettings dlq = broker.getAddressSettings().get("DLQ.qbo.customers");
        assertThat(dlq.getExpiryDelay()).isEqualTo(Duration.ofDays(2).toMillis());
        assertThat(dlq.getExpiryAddress().toString()).isEqualTo("PARKED.qbo.customers");
        assertThat(dlq.getAddressFullMessagePolicy()).as("dead letters page, only the broker moves them")
                .isEqualTo(AddressFullMessagePolicy.PAGE);
        assertThat(broker.getAddressSettings().get("DLA").getExpiryAddress().toString()).isEqualTo("PARKED.DLA");
        AddressSettings parked = broker.getAddressSettings().get("PARKED.#");
        assertThat(parked.isNoExpiry()).isTrue();
        assertThat(parked.isAutoCreateQueues()).isFalse();
        assertThat(broker.getQueueConfigs()).extracting(QueueConfiguration::getName)
                .extracting(Object::toString).containsExactly("PARKED.qbo.customers", "PARKED.DLA");
        assertThat(broker.getQueueConfigs()).allMatch(q -> q.getRoutingType() == RoutingType.ANYCAST && q.isDurable());
    }

    private static SyncJmsProperties bind(Map<String, String> properties) {
        return new Binder(new MapConfigurationPropertySource(properties)).bindOrCreate("sync.jms", SyncJmsProperties.class);
    }
}
