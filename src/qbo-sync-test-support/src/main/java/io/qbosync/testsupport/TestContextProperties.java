package io.qbosync.testsupport;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * Properties for a light qbo-sync Spring context in a test: no bundled QBO sandbox or sample source, no routes from
 * {@code routes/}, a random management port, and all state (H2 database, Artemis journal) inside the test's own temporary folder, never ./data.
 * Tests add what they exercise on top (ports, users, routes).
 */
public final class TestContextProperties {

    /** A route pattern that matches nothing, so that only the routes a test declares are started. */
    public static final String NO_ROUTES = "classpath:qbosync-test-no-routes/*.camel.yaml";

    private TestContextProperties() {
    }

    /** The light-context properties with state under {@code dir}. */
    public static Map<String, Object> lightContext(Path dir) {
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("qbosync.data-dir", dir.toString());
        properties.put("qbo.sandbox.enabled", "false");
        properties.put("source.sample.enabled", "false");
        properties.put("camel.main.routes-include-pattern", NO_ROUTES);
        // The management server must not take the fixed 8081 in tests (only matters with a web server).
        properties.put("management.server.port", "0");
        properties.put("spring.datasource.url", "jdbc:h2:file:" + dir.resolve("h2").resolve("qbosync") + ";DB_CLOSE_ON_EXIT=FALSE");
        properties.put("spring.datasource.username", "sa");
        properties.put("spring.datasource.password", "");
        properties.putAll(embeddedArtemis(dir));
        return properties;
    }

    /** A persistent embedded Artemis broker journaling under {@code dir/artemis}, behind the pooled factory. */
    public static Map<String, Object> embeddedArtemis(Path dir) {
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("spring.artemis.mode", "embedded");
        properties.put("spring.artemis.embedded.enabled", "true");
        properties.put("spring.artemis.embedded.persistent", "true");
        properties.put("spring.artemis.embedded.data-directory", dir.resolve("artemis").toString());
        properties.put("spring.artemis.pool.enabled", "true");
        return properties;
    }

    /** Registers {@link #lightContext(Path)} with a {@code @DynamicPropertySource} registry. */
    public static void registerLightContext(DynamicPropertyRegistry registry, Path dir) {
        lightContext(dir).forEach((key, value) -> registry.add(key, () -> value));
    }
}
