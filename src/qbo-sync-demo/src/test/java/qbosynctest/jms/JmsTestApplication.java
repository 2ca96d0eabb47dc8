package qbosynctest.jms;

import io.qbosync.config.ArtemisConfig;
import io.qbosync.config.JmsConfig;
import io.qbosync.store.EntityType;
import io.qbosync.sync.Payloads;
import io.qbosync.sync.SyncMessage;
import io.qbosync.sync.SyncQueues;

import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.Serial;
import java.io.Serializable;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSException;

import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.jms.JmsMessage;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.flyway.FlywayAutoConfiguration;
import org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

/**
 * A Spring Boot application with only the JMS wiring (Artemis, the Camel {@code jms} component) and a few test
 * routes on {@code test.*} queues, so JMS behaviour is tested without the rest of qbo-sync.
 *
 * <p>A {@code @SpringBootConfiguration} in a package outside {@code io.qbosync}: the application's component scan
 * never sees it, so its routes and auto-configuration exclusions stay out of full-app tests, and tests that name it
 * get exactly this context (a {@code @TestConfiguration} would make Spring Boot add the whole application).
 */
@SpringBootConfiguration(proxyBeanMethods = false)
@EnableAutoConfiguration(exclude = {DataSourceAutoConfiguration.class, FlywayAutoConfiguration.class})
@Import({JmsConfig.class, ArtemisConfig.class})
public class JmsTestApplication {

    @Bean
    Deliveries deliveries() {
        return new Deliveries();
    }

    @Bean
    RouteBuilder jmsTestRoutes(Deliveries deliveries, ConnectionFactory connectionFactory) {
        SyncQueues queues = new SyncQueues(connectionFactory);
        SyncMessage later = new SyncMessage("r1", EntityType.CUSTOMER, "contact:C-1", "v1",
                Payloads.parse("{\"kind\":\"contact\",\"party\":{\"email\":\"later@defer.example.org\"}}"));
        return new RouteBuilder() {
            @Override
            public void configure() {
                // Fails the first delivery only: the broker must hand the message back.
                from("jms:queue:test.x?transacted=true").routeId("test-x")
                        .process(exchange -> {
                            int count = deliveries.record("test.x", exchange);
                            if (count == 1) {
                                throw new IllegalStateException("first delivery fails on purpose");
                            }
                        });
                // Always fails: must end in DLQ.test.poison after sync.jms.max-delivery-attempts.
                from("jms:queue:test.poison?transacted=true").routeId("test-poison")
                        .process(exchange -> {
                            deliveries.record("test.poison", exchange);
                            throw new IllegalStateException("poison message");
                        });
                // Not listed in sync.jms.queues: dead-letters to the shared address DLA.
                from("jms:queue:test.unlisted?transacted=true").routeId("test-unlisted")
                        .process(exchange -> {
                            deliveries.record("test.unlisted", exchange);
                            throw new IllegalStateException("poison message");
                        });
                // Reads the body, as every real route does; an ObjectMessage must not get past that.
                from("jms:queue:test.object?transacted=true").routeId("test-object")
                        .process(exchange -> {
                            Object body = exchange.getMessage().getBody();
                            deliveries.record("test.object", exchange);
                            deliveries.bodies.add(body);
                        });
                // Sends, then fails on the first delivery: the send must roll back with the receive.
                from("jms:queue:test.chain?transacted=true").routeId("test-chain")
                        .to("jms:queue:test.chain.out")
                        .process(exchange -> {
                            if (deliveries.record("test.chain", exchange) == 1) {
                                throw new IllegalStateException("fails after sending, on purpose");
                            }
                        });
                // Defers a sync message, then fails on the first delivery: the deferral must roll back with it.
                from("jms:queue:test.defer?transacted=true").routeId("test-defer")
                        .process(exchange -> {
                            int count = deliveries.record("test.defer", exchange);
                            queues.sendLater(later, DEFER_MS, 3);
                            if (count == 1) {
                                throw new IllegalStateException("fails after deferring, on purpose");
                            }
                        });
            }
        };
    }

    /** How long test.defer puts its message back for. */
    public static final long DEFER_MS = 1500;

    /** What the test routes saw: per queue, the JMSXDeliveryCount of each delivery. */
    public static final class Deliveries {
        private final ConcurrentHashMap<String, List<Integer>> counts = new ConcurrentHashMap<>();
        public final List<Object> bodies = new CopyOnWriteArrayList<>();

        public int record(String queue, Exchange exchange) throws JMSException {
            int count = exchange.getMessage(JmsMessage.class).getJmsMessage().getIntProperty("JMSXDeliveryCount");
            counts.computeIfAbsent(queue, q -> new CopyOnWriteArrayList<>()).add(count);
            return count;
        }

        public List<Integer> of(String queue) {
            return List.copyOf(counts.getOrDefault(queue, List.of()));
        }
    }

    /** Counts its own deserialisations; a denied ObjectMessage must leave the count at zero. */
    public static final class Tripwire implements Serializable {
        @Serial
        private static final long serialVersionUID = 1L;
        public static final AtomicInteger DESERIALIZED = new AtomicInteger();

        @Serial
        private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
            DESERIALIZED.incrementAndGet();
            in.defaultReadObject();
        }
    }
}
