package io.qbosync.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
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
        withoutJmxIn(dataDir, registry);
        // Spring Boot tests switch JMX off unless asked; the ops MBeans are reached through Jolokia. Only for contexts
        // that are closed after their class: two live contexts with JMX on would register the same MBean names.
        registry.add("spring.jmx.enabled", () -> "true");
    }

    /** {@link #embeddedDefaultsIn} with Spring's JMX export left off, for contexts cached across test classes. */
    public static void withoutJmxIn(Supplier<Path> dataDir, DynamicPropertyRegistry registry) {
        registry.add("qbosync.data-dir", () -> dataDir.get().toString());
        registry.add("qbo.sandbox.port", () -> "0");
        registry.add("source.sample.port", () -> "0");
        registry.add("management.server.port", () -> "0");
        registry.add("sync.poll.start-delay-ms", () -> "200");
        // The default file-lock leadership (qbosync.cluster.service=file) with a short lock interval: Camel waits up
        // to about one interval before its first attempt on a fresh lock folder (up to 1 s at the default interval).
        registry.add("qbosync.cluster.file.acquire-lock-interval", () -> "500ms");
        registry.add("sync.retry.initial-delay-ms", () -> "100");
        registry.add("sync.retry.max-delay-ms", () -> "1000");
        // The sandbox does not enforce QBO's 500/min unless asked; tests measure behaviour, not the limit.
        registry.add("qbo.governor.requests-per-minute", () -> "1000000");
    }

    /**
     * {@link #withoutJmxIn} with a small sample (60 records, its hand-made cases included, so the initial sync
     * is short) and quick redeliveries: for the tests that stage their own cases on one booted app.
     */
    public static void smallSampleIn(Path dataDir, DynamicPropertyRegistry registry) {
        withoutJmxIn(() -> dataDir, registry);
        registry.add("source.sample.records", () -> "60");
        registry.add("sync.retry.max-redeliveries", () -> "4");
        registry.add("sync.retry.max-delay-ms", () -> "800");
    }

    /** A fresh temporary data directory for a test class's static set-up (before JUnit's {@code @TempDir} exists). */
    public static Path newDataDir(String prefix) {
        try {
            return Files.createTempDirectory(prefix);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
