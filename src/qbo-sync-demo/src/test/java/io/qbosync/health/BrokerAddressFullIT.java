package io.qbosync.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.jms.ConnectionFactory;

import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.junit.jupiter.api.Test;
import org.messaginghub.pooled.jms.JmsPoolConnectionFactory;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.Status;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jms.core.JmsTemplate;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.qbosync.store.EntityType;
import io.qbosync.sync.SyncMessage;
import io.qbosync.sync.SyncQueues;
import io.qbosync.testsupport.TestContextProperties;
import qbosynctest.jms.JmsTestApplication;

/**
 * The broker indicator goes DOWN before the real embedded broker refuses anything. A pipeline address with a small
 * {@code sync.jms.broker.max-size-bytes}: DOWN at {@code health-address-fill} percent, before any send is refused;
 * once the address is full a send fails at once with the reason (FAIL policy) instead of blocking; when consumers
 * have drained it, UP again and sends work. A disk just below the broker's {@code max-disk-usage}: DOWN within
 * {@code health-disk-margin} points of it while sends still go through.
 */
class BrokerAddressFullIT {

    private static final String QUEUE = "qbo.invoices";
    private static final Duration SEND_TIMEOUT = Duration.ofSeconds(5);

    @TempDir
    Path dir;

    @Test
    void healthGoesDownBeforeSendsAreRefusedAndARefusedSendFailsAtOnce() {
        try (ConfigurableApplicationContext app = start()) {
            // Every blocking broker call of the pooled factory's Artemis client is bounded by sync.jms.send-timeout.
            Object inner = ((JmsPoolConnectionFactory) app.getBean(ConnectionFactory.class)).getConnectionFactory();
            assertThat(((ActiveMQConnectionFactory) inner).getCallTimeout()).isEqualTo(SEND_TIMEOUT.toMillis());
            assertThat(((ActiveMQConnectionFactory) inner).getCallFailoverTimeout()).isEqualTo(SEND_TIMEOUT.toMillis());

            SyncQueues queues = app.getBean(SyncQueues.class);
            BrokerHealthIndicator indicator = app.getBean(BrokerHealthIndicator.class);
            Health before = indicator.health();
            assertThat(before.getStatus()).as(before.toString()).isEqualTo(Status.UP);
            @SuppressWarnings("unchecked")
            Map<String, Object> address = (Map<String, Object>) ((Map<String, Object>) before.getDetails().get("addresses")).get(QUEUE);
            assertThat(address).containsEntry("maxSizeBytes", 64L * 1024).containsEntry("policy", "FAIL");

            int sent = 0;
            Integer downAfter = null;
            SyncQueues.QueueingFailedException refused = null;
            long refusedInMs = -1;
            while (refused == null && sent < 1000) {
                long started = System.nanoTime();
                try {
                    queues.sendAll(List.of(invoice(sent)));
                    sent++;
                } catch (SyncQueues.QueueingFailedException e) {
                    refused = e;
                    refusedInMs = Duration.ofNanos(System.nanoTime() - started).toMillis();
                }
                if (downAfter == null && indicator.health().getStatus().equals(Status.DOWN)) {
                    downAfter = sent;
                }
            }
            assertThat(refused).as("a send to the full address is refused").isNotNull();
            assertThat(downAfter).as("readiness DOWN before the first refused send").isNotNull().isLessThan(sent);
            assertThat(refusedInMs).as("refused at once, not after blocking").isLessThan(SEND_TIMEOUT.toMillis());
            assertThat(refused.getMessage()).contains("Could not queue 1 sync message(s) on [qbo.invoices]");
            assertThat(indicator.health().getDetails().get("problems").toString()).contains("Address qbo.invoices");
            System.out.printf("broker-address-full: DOWN after %d messages, refused after %d, in %d ms: %s%n",
                    downAfter, sent, refusedInMs, refused.getMessage());

            // A consumer drains the queue: UP again, and the next send goes through.
            JmsTemplate jms = new JmsTemplate(app.getBean(ConnectionFactory.class));
            jms.setReceiveTimeout(1000);
            int drained = 0;
            while (jms.receive(QUEUE) != null) {
                drained++;
            }
            assertThat(drained).isEqualTo(sent);
            assertThat(indicator.health().getStatus()).isEqualTo(Status.UP);
            assertThat(queues.sendAll(List.of(invoice(sent)))).isEqualTo(1);
        }
    }

    @Test
    void healthGoesDownNearTheDiskLimitWhileSendsStillWork() {
        // The broker's limit one to two points above what the disk already uses: not reached, but within the margin.
        int limit = Math.min(100, BrokerDiskFullIT.trippingDiskLimit(dir) + 3);
        try (ConfigurableApplicationContext app = start(Map.of("sync.jms.broker.max-disk-usage", String.valueOf(limit),
                "sync.jms.broker.health-disk-margin", "5", "sync.jms.broker.disk-scan-period", "100ms"))) {
            Health health = app.getBean(BrokerHealthIndicator.class).health();
            assertThat(health.getStatus()).as(health.toString()).isEqualTo(Status.DOWN);
            assertThat(health.getDetails().get("problems").toString()).contains("within 5 points")
                    .contains("max-disk-usage " + limit);
            @SuppressWarnings("unchecked")
            Map<String, Object> disk = (Map<String, Object>) health.getDetails().get("disk");
            assertThat(disk).containsEntry("full", false).containsEntry("maxDiskUsagePercent", limit);
            assertThat(app.getBean(SyncQueues.class).sendAll(List.of(invoice(1)))).as("the broker still takes messages")
                    .isEqualTo(1);
        }
    }

    private static SyncMessage invoice(int n) {
        ObjectNode payload = JsonNodeFactory.instance.objectNode();
        payload.put("id", "I-" + n);
        payload.put("memo", "x".repeat(1000));
        return new SyncMessage("realm-1", EntityType.INVOICE, "I-" + n, "v1", payload);
    }

    private ConfigurableApplicationContext start() {
        return start(Map.of("sync.jms.broker.max-size-bytes", "64KB", "sync.jms.broker.health-address-fill", "50"));
    }

    private ConfigurableApplicationContext start(Map<String, String> settings) {
        Map<String, Object> properties = TestContextProperties.lightContext(dir);
        properties.put("sync.jms.send-timeout", SEND_TIMEOUT.toString());
        properties.putAll(settings);
        List<String> args = new ArrayList<>();
        properties.forEach((k, v) -> args.add("--" + k + "=" + v));
        return new SpringApplicationBuilder(JmsTestApplication.class, SyncQueues.class, BrokerHealthIndicator.class)
                .web(WebApplicationType.NONE)
                .run(args.toArray(String[]::new));
    }
}
