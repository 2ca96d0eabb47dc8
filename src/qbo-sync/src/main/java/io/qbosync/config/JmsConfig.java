package io.qbosync.config;

import java.time.Duration;

import jakarta.jms.ConnectionFactory;

import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.apache.camel.component.jms.JmsComponent;
import org.apache.camel.component.jms.JmsConfiguration;
import org.apache.camel.component.jms.JmsMessageType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.messaginghub.pooled.jms.JmsPoolConnectionFactory;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.jms.connection.CachingConnectionFactory;

/**
 * The Camel {@code jms} component used by every pipeline route. camel-jms has no Spring Boot starter here, so
 * {@code camel.component.jms.*} properties would be ignored; the defaults live in this bean instead and
 * endpoints only add what is specific to them ({@code jms:queue:qbo.customers?transacted=true}).
 *
 * <p>Defaults and why:
 * <ul>
 *   <li>one connection factory: Spring Boot's pooled Artemis factory ({@code spring.artemis.pool.enabled=true});
 *       the listener containers cache their own consumers on top, so nothing else may cache;</li>
 *   <li>{@code CACHE_CONSUMER}: a consumer stays open, so Artemis message groups ({@code JMSXGroupID}) stay
 *       pinned to it instead of being re-assigned on every poll;</li>
 *   <li>{@code transacted=true} endpoints use the JMS session's own local transaction (no transaction manager):
 *       an exception rolls the message back to the broker, which redelivers it with a delay and finally
 *       dead-letters it ({@link ArtemisConfig}); JMS sends from such a route join that transaction;</li>
 *   <li>text messages only and no Java deserialisation ({@code deserializationFilter=!*}, plus the Artemis deny
 *       list in {@link ArtemisDeserializationGuard});</li>
 *   <li>{@code acceptMessagesWhileStopping=false}: a stopping route leaves new messages on the queue;</li>
 *   <li>every blocking call to the broker (durable send, commit, session creation) fails after
 *       {@code sync.jms.send-timeout} instead of waiting for Artemis' 30 s default or, during a reconnect, for ever
 *       ({@link ArtemisCallTimeouts}).</li>
 * </ul>
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(SyncJmsProperties.class)
public class JmsConfig {

    private static final Logger LOG = LoggerFactory.getLogger(JmsConfig.class);

    /** A JMS {@code ObjectMessage} is never turned into a Java object. */
    static final String DENY_ALL_DESERIALIZATION = "!*";

    @Bean("jms")
    JmsComponent jms(ConnectionFactory connectionFactory, SyncJmsProperties properties) {
        if (connectionFactory instanceof CachingConnectionFactory) {
            LOG.warn("JMS connection factory is Spring's CachingConnectionFactory; set spring.artemis.pool.enabled=true "
                    + "so that the Camel listener containers are the only consumer cache");
        }
        JmsComponent jms = new JmsComponent();
        jms.setConnectionFactory(connectionFactory);
        JmsConfiguration config = jms.getConfiguration();
        config.setJmsMessageType(JmsMessageType.Text);
        config.setDeserializationFilter(DENY_ALL_DESERIALIZATION);
        config.setCacheLevelName("CACHE_CONSUMER");
        // With a (lazily created) JmsTransactionManager Spring would drop to CACHE_NONE semantics; the session's
        // local transaction gives the same rollback-to-broker behaviour and keeps the consumer cached.
        config.setLazyCreateTransactionManager(false);
        config.setConcurrentConsumers(properties.concurrentConsumers());
        config.setAcceptMessagesWhileStopping(false);
        config.setReceiveTimeout(properties.receiveTimeout().toMillis());
        config.setDeliveryPersistent(true);
        return jms;
    }

    /** Static: a post-processor must exist before the connection factory it adjusts. */
    @Bean
    static ArtemisCallTimeouts artemisCallTimeouts(Environment environment) {
        Duration timeout = Binder.get(environment).bindOrCreate("sync.jms", SyncJmsProperties.class).sendTimeout();
        return new ArtemisCallTimeouts(timeout);
    }

    /**
     * Sets the call timeout on every Artemis JMS connection factory, the one inside the {@code pooled-jms} pool
     * included, for the in-VM connection to the embedded broker as for TCP to an external one. A send to a full
     * FAIL address is refused by the broker's flow control at once; this bounds what is left: the broker not
     * answering a blocking send or a commit.
     */
    static final class ArtemisCallTimeouts implements BeanPostProcessor {

        private final Duration timeout;

        ArtemisCallTimeouts(Duration timeout) {
            this.timeout = timeout;
        }

        @Override
        public Object postProcessAfterInitialization(Object bean, String beanName) {
            Object target = bean instanceof JmsPoolConnectionFactory pool ? pool.getConnectionFactory() : bean;
            if (target instanceof ActiveMQConnectionFactory artemis) {
                artemis.setCallTimeout(timeout.toMillis());
                // While reconnecting Artemis waits this long instead of the call timeout (-1 = for ever).
                artemis.setCallFailoverTimeout(timeout.toMillis());
                LOG.debug("Artemis connection factory '{}': calls time out after {}", beanName, timeout);
            }
            return bean;
        }
    }
}
