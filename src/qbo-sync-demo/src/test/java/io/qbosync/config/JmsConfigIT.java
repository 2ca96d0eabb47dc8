package io.qbosync.config;

import qbosynctest.jms.JmsTestApplication;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.ObjectMessage;
import jakarta.jms.TextMessage;

import qbosynctest.jms.JmsTestApplication.Deliveries;
import qbosynctest.jms.JmsTestApplication.Tripwire;
import io.qbosync.testsupport.Await;
import io.qbosync.testsupport.TestContextProperties;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.jms.JmsComponent;
import org.apache.camel.component.jms.JmsConsumer;
import org.apache.camel.component.jms.JmsMessageType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.messaginghub.pooled.jms.JmsPoolConnectionFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jms.InvalidDestinationException;
import org.springframework.jms.JmsException;
import org.springframework.jms.UncategorizedJmsException;
import org.springframework.jms.core.JmsTemplate;
import org.springframework.jms.listener.DefaultMessageListenerContainer;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.util.ReflectionTestUtils;

/** The Camel {@code jms} component on the embedded Artemis broker: redelivery, dead letters, no deserialisation. */
@SpringBootTest(classes = JmsTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.NONE)
@DirtiesContext
class JmsConfigIT {

    private static final int MAX_DELIVERY_ATTEMPTS = 3;

    @TempDir
    static Path dataDir;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        TestContextProperties.registerLightContext(registry, dataDir);
        registry.add("sync.jms.address-matches", () -> "test.#");
        registry.add("sync.jms.max-delivery-attempts", () -> MAX_DELIVERY_ATTEMPTS);
        registry.add("sync.jms.redelivery.delay", () -> "100ms");
        registry.add("sync.jms.redelivery.multiplier", () -> "1.5");
        registry.add("sync.jms.redelivery.max-delay", () -> "500ms");
        registry.add("sync.jms.concurrent-consumers", () -> 2);
        // Declared with their own DLQ.<queue>; test.unlisted is not.
        registry.add("sync.jms.queues", () -> "test.poison,test.object");
    }

    @Autowired
    ConnectionFactory connectionFactory;

    @Autowired
    CamelContext camel;

    @Autowired
    Deliveries deliveries;

    @Test
    void oneConnectionFactoryThePooledOne() {
        assertThat(connectionFactory).isInstanceOf(JmsPoolConnectionFactory.class);
        JmsComponent jms = camel.getComponent("jms", JmsComponent.class);
        assertThat(jms.getConfiguration().getConnectionFactory()).isSameAs(connectionFactory);
    }

    @Test
    void componentDefaultsReachTheListenerContainer() throws Exception {
        JmsComponent jms = camel.getComponent("jms", JmsComponent.class);
        assertThat(jms.getConfiguration().getJmsMessageType()).isEqualTo(JmsMessageType.Text);
        assertThat(jms.getConfiguration().getDeserializationFilter()).isEqualTo("!*");
        assertThat(jms.getConfiguration().isAcceptMessagesWhileStopping()).isFalse();

        JmsConsumer consumer = (JmsConsumer) camel.getRoute("test-x").getConsumer();
        // Endpoints copy the component's configuration.
        assertThat(consumer.getEndpoint().getConfiguration().getDeserializationFilter()).isEqualTo("!*");
        assertThat(consumer.getEndpoint().getConfiguration().getJmsMessageType()).isEqualTo(JmsMessageType.Text);
        DefaultMessageListenerContainer container = (DefaultMessageListenerContainer) consumer.getListenerContainer();
        assertThat(container.getCacheLevel()).isEqualTo(DefaultMessageListenerContainer.CACHE_CONSUMER);
        assertThat(container.isSessionTransacted()).isTrue();
        // Local session transaction, not a JmsTransactionManager (which would defeat consumer caching).
        assertThat(ReflectionTestUtils.getField(container, "transactionManager")).isNull();
        assertThat(container.getConcurrentConsumers()).isEqualTo(2);
    }

    @Test
    void failedMessageIsRolledBackAndRedelivered() {
        jmsTemplate().convertAndSend("test.x", "{\"id\":\"c-1\"}");

        Await.until("second delivery of test.x", () -> deliveries.of("test.x").size() >= 2);
        Await.until("test.x drained", () -> queueDepth("test.x") == 0);
        assertThat(deliveries.of("test.x")).containsExactly(1, 2);
    }

    @Test
    void messageFailingEveryTimeEndsInItsOwnDeadLetterQueue() throws JMSException {
        jmsTemplate().convertAndSend("test.poison", "{\"id\":\"poison\"}");

        Message dead = receive("DLQ.test.poison");
        assertThat(dead).isInstanceOf(TextMessage.class);
        assertThat(((TextMessage) dead).getText()).isEqualTo("{\"id\":\"poison\"}");
        assertThat(dead.getStringProperty("_AMQ_ORIG_ADDRESS")).isEqualTo("test.poison");
        assertThat(deliveries.of("test.poison")).containsExactly(1, 2, 3);
    }

    @Test
    void unlistedQueueDeadLettersToTheSharedAddress() throws JMSException {
        jmsTemplate().convertAndSend("test.unlisted", "{\"id\":\"unlisted\"}");

        // The broker creates DLA::DLQ.test.unlisted with the first dead letter; until then it does not exist.
        Message dead = receiveOnceQueueExists("DLA::DLQ.test.unlisted");
        assertThat(((TextMessage) dead).getText()).isEqualTo("{\"id\":\"unlisted\"}");
        assertThat(deliveries.of("test.unlisted")).containsExactly(1, 2, 3);
    }

    @Test
    void dlqOfAnUnlistedQueueIsNotAutoCreatedUnderItsPlainName() {
        // Would otherwise create a plain queue DLQ.test.never that steals the name from the dead letters.
        assertThatThrownBy(() -> jmsTemplate().browse("DLQ.test.never", (session, browser) -> browser.getEnumeration().hasMoreElements()))
                .isInstanceOf(JmsException.class)
                .hasRootCauseMessage("There is no queue with name DLQ.test.never");
    }

    @Test
    void objectMessageIsRefusedWithoutBeingDeserialised() throws JMSException {
        jmsTemplate().send("test.object", session -> session.createObjectMessage(new Tripwire()));

        Message dead = receive("DLQ.test.object");
        assertThat(dead).isInstanceOf(ObjectMessage.class);
        assertThat(deliveries.of("test.object")).isEmpty();
        assertThat(deliveries.bodies).isEmpty();
        // The Artemis deny list also guards every other client of the pooled factory.
        assertThatThrownBy(((ObjectMessage) dead)::getObject).isInstanceOf(JMSException.class);
        assertThat(Tripwire.DESERIALIZED).hasValue(0);
    }

    @Test
    void sendFromATransactedRouteRollsBackWithTheReceive() {
        jmsTemplate().convertAndSend("test.chain", "{\"id\":\"chain\"}");

        Await.until("second delivery of test.chain", () -> deliveries.of("test.chain").size() >= 2);
        Await.until("test.chain drained", () -> queueDepth("test.chain") == 0);
        List<Message> forwarded = drain("test.chain.out");
        assertThat(forwarded).hasSize(1);
    }

    @Test
    void aDeferredMessageCommitsWithTheAcknowledgementAndArrivesLaterWithItsGroupAndAttempts() throws Exception {
        jmsTemplate().convertAndSend("test.defer", "{\"id\":\"defer\"}");

        Await.until("second delivery of test.defer", () -> deliveries.of("test.defer").size() >= 2);
        Await.until("test.defer drained", () -> queueDepth("test.defer") == 0);
        long committed = System.currentTimeMillis();
        Message deferred = receiveOnceQueueExists("qbo.customers");
        // Scheduled delivery: not before its time (set just before the commit).
        assertThat(System.currentTimeMillis() - committed).isGreaterThanOrEqualTo(JmsTestApplication.DEFER_MS / 2);
        assertThat(deferred.getIntProperty("syncAttempts")).isEqualTo(3);
        assertThat(deferred.getStringProperty("JMSXGroupID")).startsWith("customer-match-");
        assertThat(((TextMessage) deferred).getText()).contains("\"sourceId\":\"contact:C-1\"");
        // The rolled-back delivery's re-send never became visible: one deferred copy, not two.
        Thread.sleep(JmsTestApplication.DEFER_MS);
        assertThat(drain("qbo.customers")).isEmpty();
    }

    @Test
    void producerSendsTextMessages() throws JMSException {
        ProducerTemplate producer = camel.createProducerTemplate();
        producer.sendBody("jms:queue:test.text", "{\"id\":\"t\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8));

        Message message = receive("test.text");
        assertThat(message).isInstanceOf(TextMessage.class);
        assertThat(((TextMessage) message).getText()).isEqualTo("{\"id\":\"t\"}");
    }

    private JmsTemplate jmsTemplate() {
        JmsTemplate template = new JmsTemplate(connectionFactory);
        template.setReceiveTimeout(Await.DEFAULT_TIMEOUT.toMillis());
        return template;
    }

    private Message receive(String queue) {
        Message message = jmsTemplate().receive(queue);
        assertThat(message).as("message on " + queue).isNotNull();
        return message;
    }

    private Message receiveOnceQueueExists(String queue) {
        JmsTemplate template = jmsTemplate();
        template.setReceiveTimeout(1000);
        return Await.value("message on " + queue, Await.DEFAULT_TIMEOUT, () -> {
            try {
                return template.receive(queue);
            } catch (InvalidDestinationException | UncategorizedJmsException notYetCreated) {
                return null;
            }
        });
    }

    private List<Message> drain(String queue) {
        JmsTemplate template = jmsTemplate();
        template.setReceiveTimeout(JmsTemplate.RECEIVE_TIMEOUT_NO_WAIT);
        List<Message> messages = new ArrayList<>();
        // Commit is visible once test.chain is drained, so no wait is needed here.
        for (Message m = template.receive(queue); m != null; m = template.receive(queue)) {
            messages.add(m);
        }
        return messages;
    }

    private int queueDepth(String queue) {
        Integer depth = jmsTemplate().browse(queue, (session, browser) -> Collections.list(browser.getEnumeration()).size());
        return depth == null ? 0 : depth;
    }
}
