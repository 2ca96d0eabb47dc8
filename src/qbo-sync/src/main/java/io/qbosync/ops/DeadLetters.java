package io.qbosync.ops;

import java.util.ArrayList;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.QueueBrowser;
import jakarta.jms.Session;
import jakarta.jms.TemporaryQueue;
import jakarta.jms.TextMessage;

import org.apache.activemq.artemis.api.core.management.ResourceNames;
import org.apache.activemq.artemis.api.jms.management.JMSManagementHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jms.core.JmsTemplate;
import org.springframework.stereotype.Service;

import io.qbosync.config.SyncJmsProperties;
import io.qbosync.store.EntityType;

/**
 * The dead-letter queues {@code DLQ.<queue>} of the pipeline queues and the parked queues {@code PARKED.<queue>}
 * their messages expire into: count and page through what is there, and replay a message (as it was, or edited)
 * onto its queue, moving it in one JMS transaction so it is never lost or doubled.
 *
 * <p>Counts come from the broker's management API ({@code messageCount}, over JMS, so the same for the embedded and
 * an external broker; an external one must grant the {@code manage} permission); no message is read for them. A
 * page is read with a queue browser that skips {@code offset} messages and keeps at most {@link #MAX_PAGE}.
 */
@Service
public class DeadLetters {

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetters.class);

    /** Largest page a listing returns. */
    public static final int MAX_PAGE = 100;

    /** Properties the pipeline relies on that JMS does not list among a message's property names. */
    static final String GROUP_ID = "JMSXGroupID";
    static final String GROUP_SEQ = "JMSXGroupSeq";

    private static final String MANAGEMENT_ADDRESS = "activemq.management";
    private static final long MANAGEMENT_TIMEOUT_MS = 5000;
    private static final long REPLAY_RECEIVE_MS = 2000;

    private final JmsTemplate transacted;
    private final JmsTemplate plain;
    private final SyncJmsProperties settings;

    public DeadLetters(ConnectionFactory connectionFactory, SyncJmsProperties settings) {
        this.transacted = new JmsTemplate(connectionFactory);
        this.transacted.setSessionTransacted(true);
        this.plain = new JmsTemplate(connectionFactory);
        this.settings = settings;
    }

    /** Where a message waits: dead-lettered, or parked after its dead-letter time ran out. */
    public enum Shelf { DEAD_LETTER, PARKED }

    /**
     * A dead (or parked) letter as ops see it.
     *
     * @param expiration when the broker parks it (epoch ms); 0 when it never expires (parked messages)
     * @param groupId    its {@code JMSXGroupID} (customer messages), kept through dead-lettering, parking and replay
     */
    public record DeadLetter(String messageId, String queue, String body, long timestamp, int deliveryCount,
            String groupId, long expiration) {
    }

    /** One page of a listing; {@code total} is the broker's message count at the time of the request. */
    public record Page(long total, int offset, int limit, List<DeadLetter> items) {
    }

    /** Message counts of each pipeline queue's DLQ. */
    public Map<String, Long> counts() {
        return counts(Shelf.DEAD_LETTER);
    }

    /** Message counts of each pipeline queue's dead letters ({@code DEAD_LETTER}) or parked messages. */
    public Map<String, Long> counts(Shelf shelf) {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (EntityType t : EntityType.values()) {
            counts.put(t.queue(), messageCount(shelfOf(t.queue(), shelf)));
        }
        return counts;
    }

    /**
     * Messages {@code offset} to {@code offset + limit - 1} of the queue's DLQ or parked queue, oldest first.
     *
     * @throws IllegalArgumentException when offset is negative or limit is not 1 to {@link #MAX_PAGE}
     */
    public Page list(String queue, Shelf shelf, int offset, int limit) {
        if (offset < 0) {
            throw new IllegalArgumentException("offset must be 0 or more");
        }
        if (limit < 1 || limit > MAX_PAGE) {
            throw new IllegalArgumentException("limit must be 1 to " + MAX_PAGE);
        }
        String name = shelfOf(queue, shelf);
        long total = messageCount(name);
        List<DeadLetter> items = plain.browse(name, (session, browser) -> read(queue, browser, offset, limit));
        return new Page(total, offset, limit, items);
    }

    /**
     * Moves one dead letter back onto its queue, with {@code replacementBody} instead of its text when given.
     * @return false when no such message is in the DLQ (already replayed)
     */
    public boolean replay(String queue, String messageId, String replacementBody, String by) {
        return replay(queue, Shelf.DEAD_LETTER, messageId, replacementBody, by);
    }

    /**
     * Moves one message from the queue's DLQ or parked queue back onto the queue, in one transaction, with its
     * {@code JMSXGroupID} and application properties and, when given, {@code replacementBody} as its text.
     * @return false when no such message is there (already replayed)
     */
    public boolean replay(String queue, Shelf shelf, String messageId, String replacementBody, String by) {
        String from = shelfOf(queue, shelf);
        Boolean moved = transacted.execute(session -> {
            try (MessageConsumer consumer = session.createConsumer(session.createQueue(from),
                    "JMSMessageID = '" + messageId.replace("'", "''") + "'")) {
                Message m = consumer.receive(REPLAY_RECEIVE_MS);
                if (m == null) {
                    session.rollback();
                    return false;
                }
                if (replacementBody == null && !(m instanceof TextMessage)) {
                    session.rollback();
                    throw new IllegalStateException("Message " + messageId + " is a " + m.getClass().getSimpleName()
                            + ", not text: replay it with the edited text as the request body");
                }
                String body = replacementBody != null ? replacementBody : ((TextMessage) m).getText();
                TextMessage replayed = session.createTextMessage(body);
                copyProperties(m, replayed);
                MessageProducer producer = session.createProducer(session.createQueue(queue));
                producer.send(replayed);
                producer.close();
                session.commit();
                return true;
            }
        }, true);
        if (Boolean.TRUE.equals(moved)) {
            LOG.info("{} replayed {} {} onto {}{}", by, shelf == Shelf.PARKED ? "parked message" : "dead letter",
                    messageId, queue, replacementBody != null ? " (edited)" : "");
        }
        return Boolean.TRUE.equals(moved);
    }

    /**
     * The group keeps a replayed customer in its ordering lane; application properties go along in case a route
     * reads one. Broker bookkeeping ({@code _AMQ_*}, {@code JMSX*} delivery counts) is not copied: the replay is a
     * new delivery.
     */
    static void copyProperties(Message from, Message to) throws JMSException {
        if (from.propertyExists(GROUP_ID)) {
            to.setStringProperty(GROUP_ID, from.getStringProperty(GROUP_ID));
        }
        if (from.propertyExists(GROUP_SEQ)) {
            to.setIntProperty(GROUP_SEQ, from.getIntProperty(GROUP_SEQ));
        }
        if (from.getJMSType() != null) {
            to.setJMSType(from.getJMSType());
        }
        if (from.getJMSCorrelationID() != null) {
            to.setJMSCorrelationID(from.getJMSCorrelationID());
        }
        for (Enumeration<?> names = from.getPropertyNames(); names.hasMoreElements(); ) {
            String name = (String) names.nextElement();
            if (!name.startsWith("JMS") && !name.startsWith("_AMQ") && !name.startsWith("__AMQ")) {
                to.setObjectProperty(name, from.getObjectProperty(name));
            }
        }
    }

    private long messageCount(String queueName) {
        Object result = plain.execute(session -> {
            TemporaryQueue reply = session.createTemporaryQueue();
            try (MessageProducer producer = session.createProducer(session.createQueue(MANAGEMENT_ADDRESS));
                    MessageConsumer answers = session.createConsumer(reply)) {
                Message request = session.createMessage();
                JMSManagementHelper.putAttribute(request, ResourceNames.QUEUE + queueName, "messageCount");
                request.setJMSReplyTo(reply);
                producer.send(request);
                Message answer = answers.receive(MANAGEMENT_TIMEOUT_MS);
                if (answer == null) {
                    throw new IllegalStateException("The broker did not answer how many messages " + queueName
                            + " holds within " + MANAGEMENT_TIMEOUT_MS + " ms");
                }
                Object value = JMSManagementHelper.getResult(answer);
                if (!JMSManagementHelper.hasOperationSucceeded(answer)) {
                    throw new IllegalStateException("The broker refused to count " + queueName + ": " + value);
                }
                return value;
            } catch (JMSException | RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException("Cannot read the message count of " + queueName + ": " + e, e);
            } finally {
                // A pooled connection outlives this call; its temporary queues would pile up otherwise.
                reply.delete();
            }
        }, true);
        return ((Number) result).longValue();
    }

    private static List<DeadLetter> read(String queue, QueueBrowser browser, int offset, int limit) throws JMSException {
        Enumeration<?> messages = browser.getEnumeration();
        for (int skipped = 0; skipped < offset && messages.hasMoreElements(); skipped++) {
            messages.nextElement();
        }
        List<DeadLetter> out = new ArrayList<>();
        while (out.size() < limit && messages.hasMoreElements()) {
            Message m = (Message) messages.nextElement();
            String body = m instanceof TextMessage t ? t.getText() : "(" + m.getClass().getSimpleName() + ")";
            int deliveries = m.propertyExists("JMSXDeliveryCount") ? m.getIntProperty("JMSXDeliveryCount") : 0;
            String group = m.propertyExists(GROUP_ID) ? m.getStringProperty(GROUP_ID) : null;
            out.add(new DeadLetter(m.getJMSMessageID(), queue, body, m.getJMSTimestamp(), deliveries, group,
                    m.getJMSExpiration()));
        }
        return out;
    }

    private String shelfOf(String queue, Shelf shelf) {
        for (EntityType t : EntityType.values()) {
            if (t.queue().equals(queue)) {
                return shelf == Shelf.PARKED ? settings.parkedQueueOf(queue) : settings.deadLetterQueueOf(queue);
            }
        }
        throw new IllegalArgumentException("Not a pipeline queue: " + queue);
    }
}
