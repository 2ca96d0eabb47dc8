package io.qbosync.sync;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSException;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;

import org.apache.camel.Body;
import org.springframework.jms.JmsException;
import org.springframework.jms.connection.ConnectionFactoryUtils;
import org.springframework.jms.core.JmsTemplate;
import org.springframework.stereotype.Component;

import com.fasterxml.jackson.core.JsonProcessingException;

/**
 * Puts sync messages on their Artemis queues ({@code qbo.customers}, {@code qbo.invoices}, {@code qbo.payments}) as
 * persistent JSON text messages, a whole batch in one JMS transaction: a page of a few thousand records costs one
 * broker commit instead of one synchronous durable send per record, and a crash leaves none or all of it queued.
 *
 * <p>A send never waits for the broker without bound: a full pipeline address or a full disk refuses it at once (FAIL
 * policy, {@code io.qbosync.config.ArtemisConfig}) and any other blocking call fails after
 * {@code sync.jms.send-timeout}. Then the whole batch fails with {@link QueueingFailedException}; its records are
 * already PENDING in the store, and the next poll (which re-reads the page, as the watermark did not move) or the
 * resume sweep queues them again.
 */
@Component("syncQueues")
public class SyncQueues {

    private final JmsTemplate jms;
    private final ConnectionFactory connectionFactory;

    public SyncQueues(ConnectionFactory connectionFactory) {
        this.connectionFactory = connectionFactory;
        this.jms = new JmsTemplate(connectionFactory);
        this.jms.setSessionTransacted(true);
    }

    /** @param messages a list of {@link SyncMessage}, or of lists of them (what a split with grouping collects) */
    public int sendAll(@Body Collection<?> messages) {
        List<SyncMessage> flat = new ArrayList<>();
        flatten(messages, flat);
        if (flat.isEmpty()) {
            return 0;
        }
        try {
            jms.execute(session -> {
                send(session, flat);
                // Inside a transacted consumer the session may be the consumer's own: its route commits it.
                if (!ConnectionFactoryUtils.isSessionTransactional(session, connectionFactory)) {
                    session.commit();
                }
                return null;
            }, true);
        } catch (JmsException e) {
            throw new QueueingFailedException(flat, e);
        }
        return flat.size();
    }

    /**
     * Puts one message back on its queue for later: Artemis delivers it after {@code delayMs}
     * ({@code _AMQ_SCHED_DELIVERY}), with its message group and the attempts made so far ({@link SyncHeaders#ATTEMPTS}).
     * Called from a transacted consumer, the send joins that consumer's transaction: the re-send and the
     * acknowledgement of the message in hand commit together, so a crash leaves exactly one of them.
     */
    public void sendLater(SyncMessage message, long delayMs, int attempts) {
        try {
            jms.execute(session -> {
                MessageProducer producer = session.createProducer(session.createQueue(message.queue()));
                try {
                    TextMessage text = text(session, message);
                    text.setLongProperty(SCHEDULED_DELIVERY, System.currentTimeMillis() + Math.max(0, delayMs));
                    text.setIntProperty(SyncHeaders.ATTEMPTS, attempts);
                    producer.send(text);
                } finally {
                    producer.close();
                }
                if (!ConnectionFactoryUtils.isSessionTransactional(session, connectionFactory)) {
                    session.commit();
                }
                return null;
            }, true);
        } catch (JmsException e) {
            throw new QueueingFailedException(List.of(message), e);
        }
    }

    /** Artemis' message property: not delivered before this time (epoch ms). */
    static final String SCHEDULED_DELIVERY = "_AMQ_SCHED_DELIVERY";

    /** The broker did not take a batch (address or disk full, broker unreachable or not answering in time). */
    public static final class QueueingFailedException extends RuntimeException {

        QueueingFailedException(List<SyncMessage> batch, JmsException cause) {
            super("Could not queue " + batch.size() + " sync message(s) on " + queues(batch) + ": "
                    + rootMessage(cause) + ". Their records stay PENDING in the store; the resume sweep (and for a poll, the"
                    + " next poll of the same page) queues them again", cause);
        }

        private static TreeSet<String> queues(List<SyncMessage> batch) {
            TreeSet<String> names = new TreeSet<>();
            batch.forEach(m -> names.add(m.queue()));
            return names;
        }

        private static String rootMessage(Throwable e) {
            Throwable root = e;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            String message = String.valueOf(root.getMessage()).strip();
            // The sentence goes on after it.
            if (message.endsWith(".")) {
                message = message.substring(0, message.length() - 1);
            }
            return root.getClass().getSimpleName() + ": " + message;
        }
    }

    private static void send(Session session, List<SyncMessage> messages) throws JMSException {
        Map<String, MessageProducer> producers = new HashMap<>();
        try {
            for (SyncMessage m : messages) {
                MessageProducer producer = producers.get(m.queue());
                if (producer == null) {
                    producer = session.createProducer(session.createQueue(m.queue()));
                    producers.put(m.queue(), producer);
                }
                producer.send(text(session, m));
            }
        } finally {
            for (MessageProducer p : producers.values()) {
                p.close();
            }
        }
    }

    private static TextMessage text(Session session, SyncMessage m) throws JMSException {
        TextMessage text;
        try {
            text = session.createTextMessage(Payloads.JSON.writeValueAsString(m));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot serialise a sync message", e);
        }
        String group = m.groupId();
        if (group != null) {
            text.setStringProperty("JMSXGroupID", group);
        }
        return text;
    }

    private static void flatten(Collection<?> in, List<SyncMessage> out) {
        for (Object o : in) {
            if (o instanceof SyncMessage m) {
                out.add(m);
            } else if (o instanceof Collection<?> c) {
                flatten(c, out);
            } else if (o != null) {
                throw new IllegalArgumentException("Not a sync message: " + o.getClass().getName());
            }
        }
    }
}
