package io.qbosync.ops;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.QueueBrowser;
import jakarta.jms.TextMessage;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jms.core.JmsTemplate;
import org.springframework.stereotype.Service;

import io.qbosync.store.EntityType;

/**
 * The dead-letter queues {@code DLQ.<queue>} of the pipeline queues: list what is there, and replay a message (as it
 * was, or edited) onto its queue, moving it in one JMS transaction so it is never lost or doubled.
 */
@Service
public class DeadLetters {

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetters.class);
    static final String PREFIX = "DLQ.";

    private final JmsTemplate jms;

    public DeadLetters(ConnectionFactory connectionFactory) {
        this.jms = new JmsTemplate(connectionFactory);
        this.jms.setSessionTransacted(true);
    }

    /** A dead letter as ops see it. */
    public record DeadLetter(String messageId, String queue, String body, long timestamp, int deliveryCount) {
    }

    /** Message counts per pipeline queue's DLQ. */
    public Map<String, Integer> counts() {
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (EntityType t : EntityType.values()) {
            counts.put(t.queue(), list(t.queue()).size());
        }
        return counts;
    }

    public List<DeadLetter> list(String queue) {
        String dlq = dlqOf(queue);
        return jms.browse(dlq, (session, browser) -> read(queue, browser));
    }

    /**
     * Moves one dead letter back onto its queue, with {@code replacementBody} instead of its text when given.
     * @return false when no such message is in the DLQ (already replayed)
     */
    public boolean replay(String queue, String messageId, String replacementBody, String by) {
        String dlq = dlqOf(queue);
        Boolean moved = jms.execute(session -> {
            try (MessageConsumer consumer = session.createConsumer(session.createQueue(dlq),
                    "JMSMessageID = '" + messageId.replace("'", "''") + "'")) {
                Message m = consumer.receive(2000);
                if (m == null) {
                    session.rollback();
                    return false;
                }
                String body = replacementBody != null ? replacementBody : ((TextMessage) m).getText();
                var producer = session.createProducer(session.createQueue(queue));
                producer.send(session.createTextMessage(body));
                producer.close();
                session.commit();
                return true;
            }
        }, true);
        if (Boolean.TRUE.equals(moved)) {
            LOG.info("{} replayed dead letter {} onto {}{}", by, messageId, queue, replacementBody != null ? " (edited)" : "");
        }
        return Boolean.TRUE.equals(moved);
    }

    private static List<DeadLetter> read(String queue, QueueBrowser browser) throws JMSException {
        List<DeadLetter> out = new ArrayList<>();
        for (Object o : Collections.list(browser.getEnumeration())) {
            Message m = (Message) o;
            String body = m instanceof TextMessage t ? t.getText() : "(" + m.getClass().getSimpleName() + ")";
            int deliveries = m.propertyExists("JMSXDeliveryCount") ? m.getIntProperty("JMSXDeliveryCount") : 0;
            out.add(new DeadLetter(m.getJMSMessageID(), queue, body, m.getJMSTimestamp(), deliveries));
        }
        return out;
    }

    private static String dlqOf(String queue) {
        for (EntityType t : EntityType.values()) {
            if (t.queue().equals(queue)) {
                return PREFIX + queue;
            }
        }
        throw new IllegalArgumentException("Not a pipeline queue: " + queue);
    }
}
