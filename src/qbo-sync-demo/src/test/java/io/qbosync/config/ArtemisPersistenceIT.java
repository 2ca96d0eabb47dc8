package io.qbosync.config;

import qbosynctest.jms.JmsTestApplication;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;

import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.TextMessage;

import io.qbosync.testsupport.TestContextProperties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jms.core.JmsTemplate;

/** The embedded broker keeps queued messages across a restart on the same data directory. */
class ArtemisPersistenceIT {

    private static final String QUEUE = "test.persist";

    @Test
    void queuedMessageSurvivesARestart(@TempDir Path dataDir) throws JMSException {
        try (ConfigurableApplicationContext first = start(dataDir, true)) {
            template(first, JmsTemplate.RECEIVE_TIMEOUT_NO_WAIT).convertAndSend(QUEUE, "{\"id\":\"survivor\"}");
        }
        try (ConfigurableApplicationContext second = start(dataDir, true)) {
            Message message = template(second, 30_000).receive(QUEUE);
            assertThat(message).isInstanceOf(TextMessage.class);
            assertThat(((TextMessage) message).getText()).isEqualTo("{\"id\":\"survivor\"}");
        }
    }

    @Test
    void withoutPersistenceTheMessageIsGone(@TempDir Path dataDir) {
        // The control for the test above: Spring Boot's default (persistent=false) loses it (stack.md pitfall 5).
        try (ConfigurableApplicationContext first = start(dataDir, false)) {
            template(first, JmsTemplate.RECEIVE_TIMEOUT_NO_WAIT).convertAndSend(QUEUE, "{\"id\":\"lost\"}");
        }
        try (ConfigurableApplicationContext second = start(dataDir, false)) {
            assertThat(template(second, JmsTemplate.RECEIVE_TIMEOUT_NO_WAIT).receive(QUEUE)).isNull();
        }
    }

    private static ConfigurableApplicationContext start(Path dataDir, boolean persistent) {
        Map<String, Object> properties = TestContextProperties.lightContext(dataDir);
        properties.put("spring.artemis.embedded.persistent", String.valueOf(persistent));
        // As command-line arguments: they must win over application.yaml (e.g. its routes-include-pattern).
        String[] args = properties.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue())
                .toArray(String[]::new);
        return new SpringApplicationBuilder(JmsTestApplication.class)
                .web(WebApplicationType.NONE)
                .run(args);
    }

    private static JmsTemplate template(ConfigurableApplicationContext context, long receiveTimeout) {
        JmsTemplate template = new JmsTemplate(context.getBean(ConnectionFactory.class));
        template.setReceiveTimeout(receiveTimeout);
        return template;
    }
}
