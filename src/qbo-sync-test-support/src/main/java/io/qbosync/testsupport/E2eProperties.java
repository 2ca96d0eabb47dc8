package io.qbosync.testsupport;

import java.nio.file.Path;
import java.util.function.Supplier;

import org.springframework.test.context.DynamicPropertyRegistry;

/** Embedded defaults (H2, embedded Artemis, sandbox, sample source) in a private data dir on ephemeral ports. */
public final class E2eProperties {

    private E2eProperties() {
    }

    /**
     * Registers the defaults; a test registers its own values for any of these keys afterwards.
     *
     * @param dataDir supplier, because JUnit fills a static {@code @TempDir} only after property sources are read */
    public static void embeddedDefaultsIn(Supplier<Path> dataDir, DynamicPropertyRegistry registry) {
        registry.add("qbosync.data-dir", () -> dataDir.get().toString());
        registry.add("qbo.sandbox.port", () -> "0");
        registry.add("source.sample.port", () -> "0");
        registry.add("management.server.port", () -> "0");
        // Spring Boot tests switch JMX off unless asked; the ops MBeans are reached through Jolokia.
        registry.add("spring.jmx.enabled", () -> "true");
        registry.add("sync.poll.start-delay-ms", () -> "200");
        registry.add("sync.retry.initial-delay-ms", () -> "100");
        registry.add("sync.retry.max-delay-ms", () -> "1000");
        // The sandbox does not enforce QBO's 500/min unless asked; tests measure behaviour, not the limit.
        registry.add("qbo.governor.requests-per-minute", () -> "1000000");
    }
}
