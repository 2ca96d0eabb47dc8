package io.qbosync.config;

import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.messaginghub.pooled.jms.JmsPoolConnectionFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.config.BeanPostProcessor;

/**
 * Sets a deny-all deserialisation list on every Artemis JMS connection factory, including the one wrapped by the
 * {@code pooled-jms} pool. Our messages are JSON text; an {@code ObjectMessage} is refused by the Artemis client
 * before any of its classes is loaded. Camel's own {@code deserializationFilter} only checks the class
 * <em>after</em> the provider has deserialised the object (camel-jms 4.18.2 has CVE-2026-43866 open), so this is
 * the guard that stops gadget chains.
 */
public class ArtemisDeserializationGuard implements BeanPostProcessor {

    /** Artemis syntax: a comma-separated list of packages/classes, {@code *} meaning all of them. */
    static final String DENY_ALL = "*";

    private static final Logger LOG = LoggerFactory.getLogger(ArtemisDeserializationGuard.class);

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
        Object target = bean;
        if (bean instanceof JmsPoolConnectionFactory pool) {
            target = pool.getConnectionFactory();
        }
        if (target instanceof ActiveMQConnectionFactory artemis) {
            artemis.setDeserializationAllowList(null);
            artemis.setDeserializationDenyList(DENY_ALL);
            LOG.debug("Artemis connection factory '{}': Java deserialisation denied", beanName);
        }
        return bean;
    }
}
