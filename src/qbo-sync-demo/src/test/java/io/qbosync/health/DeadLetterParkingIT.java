package io.qbosync.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.jms.ConnectionFactory;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jms.core.JmsTemplate;

import io.qbosync.ops.DeadLetters;
import io.qbosync.ops.DeadLetters.DeadLetter;
import io.qbosync.ops.DeadLetters.Shelf;
import io.qbosync.testsupport.Await;
import io.qbosync.testsupport.TestContextProperties;
import qbosynctest.jms.JmsTestApplication;

/**
 * Dead letters on the real embedded broker with the JMS wiring only: a message that fails its last delivery keeps
 * its {@code JMSXGroupID} in {@code DLQ.<queue>}, expires from there into {@code PARKED.<queue>} (which never
 * expires), and is listed, counted and replayed from either place with its group and application properties. Pages
 * are bounded and counted by the broker.
 */
class DeadLetterParkingIT {

    private static final String QUEUE = "qbo.customers";
    private static final String GROUP = "customer-match-17";

    @TempDir
    static Path dir;
    /** Dead letters as configured by default: 7 days before they park. */
    static ConfigurableApplicationContext app;

    @BeforeAll
    static void start() {
        app = start(dir.resolve("default"), Map.of());
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.close();
        }
    }

    @Test
    void aDeadLetterKeepsItsGroupThenParksAndIsReplayedFromThere() throws Exception {
        try (ConfigurableApplicationContext quick = start(dir.resolve("quick"), Map.of(
                "sync.jms.dead-letters.expiry-delay", "1s", "sync.jms.broker.expiry-scan-period", "100ms"))) {
            DeadLetters deadLetters = quick.getBean(DeadLetters.class);
            ConnectionFactory factory = quick.getBean(ConnectionFactory.class);
            sendGrouped(factory, QUEUE, "{\"id\":\"dies\"}");
            failOnce(factory, QUEUE);

            // In the DLQ with its group and an expiry of about the configured delay.
            DeadLetter dead = Await.value("the dead letter", Duration.ofSeconds(10), () -> {
                List<DeadLetter> items = deadLetters.list(QUEUE, Shelf.DEAD_LETTER, 0, 10).items();
                return items.isEmpty() ? null : items.get(0);
            });
            assertThat(dead.groupId()).isEqualTo(GROUP);
            assertThat(dead.expiration()).isPositive();

            // Parked once expired, still grouped, never to expire again.
            Await.until("the dead letter parked", Duration.ofSeconds(20),
                    () -> deadLetters.counts(Shelf.PARKED).get(QUEUE) == 1 && deadLetters.counts().get(QUEUE) == 0);
            DeadLetter parked = deadLetters.list(QUEUE, Shelf.PARKED, 0, 10).items().get(0);
            assertThat(parked.body()).isEqualTo("{\"id\":\"dies\"}");
            assertThat(parked.groupId()).isEqualTo(GROUP);
            assertThat(parked.expiration()).as("parked messages never expire").isZero();

            assertThat(deadLetters.replay(QUEUE, Shelf.PARKED, parked.messageId(), null, "test")).isTrue();
            Message replayed = receive(factory, QUEUE);
            assertThat(((TextMessage) replayed).getText()).isEqualTo("{\"id\":\"dies\"}");
            assertThat(replayed.getStringProperty("JMSXGroupID")).isEqualTo(GROUP);
            assertThat(replayed.getStringProperty("sourceSystem")).as("application property").isEqualTo("sample");
            assertThat(deadLetters.counts(Shelf.PARKED).get(QUEUE)).isZero();
        }
    }

    @Test
    void aReplayedDeadLetterKeepsItsGroupAndTakesTheEditedText() throws Exception {
        DeadLetters deadLetters = app.getBean(DeadLetters.class);
        ConnectionFactory factory = app.getBean(ConnectionFactory.class);
        sendGrouped(factory, QUEUE, "{\"id\":\"original\"}");
        failOnce(factory, QUEUE);
        DeadLetter dead = Await.value("the dead letter", Duration.ofSeconds(10), () -> {
            List<DeadLetter> items = deadLetters.list(QUEUE, Shelf.DEAD_LETTER, 0, 10).items();
            return items.isEmpty() ? null : items.get(0);
        });
        long expiresIn = dead.expiration() - System.currentTimeMillis();
        assertThat(expiresIn).as("default 7 days in the DLQ")
                .isBetween(Duration.ofDays(7).minusMinutes(5).toMillis(), Duration.ofDays(7).toMillis());

        assertThat(deadLetters.replay(QUEUE, dead.messageId(), "{\"id\":\"edited\"}", "test")).isTrue();
        Message replayed = receive(factory, QUEUE);
        assertThat(((TextMessage) replayed).getText()).isEqualTo("{\"id\":\"edited\"}");
        assertThat(replayed.getStringProperty("JMSXGroupID")).isEqualTo(GROUP);
        assertThat(replayed.getStringProperty("sourceSystem")).isEqualTo("sample");
        assertThat(replayed.getIntProperty("JMSXDeliveryCount")).as("a new delivery").isEqualTo(1);
        assertThat(replayed.propertyExists("_AMQ_ORIG_ADDRESS")).as("no dead-letter bookkeeping").isFalse();
        // Moved, not copied: a second replay finds nothing.
        assertThat(deadLetters.replay(QUEUE, dead.messageId(), null, "test")).isFalse();
        assertThat(deadLetters.counts().get(QUEUE)).isZero();
    }

    @Test
    void pagesAreBoundedAndCountedByTheBroker() {
        DeadLetters deadLetters = app.getBean(DeadLetters.class);
        JmsTemplate jms = new JmsTemplate(app.getBean(ConnectionFactory.class));
        String dlq = "DLQ.qbo.invoices";
        for (int i = 0; i < 25; i++) {
            String body = "{\"n\":" + i + "}";
            jms.send(dlq, session -> session.createTextMessage(body));
        }

        DeadLetters.Page first = deadLetters.list("qbo.invoices", Shelf.DEAD_LETTER, 0, 10);
        DeadLetters.Page last = deadLetters.list("qbo.invoices", Shelf.DEAD_LETTER, 20, 10);
        assertThat(first.total()).isEqualTo(25);
        assertThat(first.items()).extracting(DeadLetter::body).first().isEqualTo("{\"n\":0}");
        assertThat(first.items()).hasSize(10);
        assertThat(last.items()).extracting(DeadLetter::body)
                .containsExactly("{\"n\":20}", "{\"n\":21}", "{\"n\":22}", "{\"n\":23}", "{\"n\":24}");
        assertThat(deadLetters.list("qbo.invoices", Shelf.DEAD_LETTER, 30, 10).items()).isEmpty();
        assertThat(deadLetters.counts().get("qbo.invoices")).isEqualTo(25);
        // Browsing and counting leave the messages where they are.
        assertThat(deadLetters.list("qbo.invoices", Shelf.DEAD_LETTER, 0, 100).items()).hasSize(25);

        assertThatThrownBy(() -> deadLetters.list("qbo.invoices", Shelf.DEAD_LETTER, 0, DeadLetters.MAX_PAGE + 1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> deadLetters.list("qbo.invoices", Shelf.DEAD_LETTER, -1, 10))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> deadLetters.list("test.x", Shelf.DEAD_LETTER, 0, 10))
                .hasMessageContaining("Not a pipeline queue");
    }

    private static ConfigurableApplicationContext start(Path data, Map<String, String> extra) {
        Map<String, Object> properties = TestContextProperties.lightContext(data);
        // The last delivery fails at once: the first rollback dead-letters.
        properties.put("sync.jms.max-delivery-attempts", "1");
        properties.putAll(extra);
        List<String> args = new ArrayList<>();
        properties.forEach((k, v) -> args.add("--" + k + "=" + v));
        return new SpringApplicationBuilder(JmsTestApplication.class, DeadLetters.class)
                .web(WebApplicationType.NONE)
                .run(args.toArray(String[]::new));
    }

    /** As the pipeline sends a customer: grouped, plus an application property a route might read. */
    private static void sendGrouped(ConnectionFactory factory, String queue, String text) {
        new JmsTemplate(factory).send(queue, session -> {
            TextMessage m = session.createTextMessage(text);
            m.setStringProperty("JMSXGroupID", GROUP);
            m.setStringProperty("sourceSystem", "sample");
            return m;
        });
    }

    /** A transacted consumer that takes the message and rolls back, as a failing push route does. */
    private static void failOnce(ConnectionFactory factory, String queue) throws Exception {
        try (var connection = factory.createConnection()) {
            connection.start();
            Session session = connection.createSession(true, Session.SESSION_TRANSACTED);
            try (MessageConsumer consumer = session.createConsumer(session.createQueue(queue))) {
                assertThat(consumer.receive(10_000)).as("message on " + queue).isNotNull();
                session.rollback();
            }
        }
    }

    private static Message receive(ConnectionFactory factory, String queue) {
        JmsTemplate jms = new JmsTemplate(factory);
        jms.setReceiveTimeout(10_000);
        Message m = jms.receive(queue);
        assertThat(m).as("message on " + queue).isNotNull();
        return m;
    }
}
