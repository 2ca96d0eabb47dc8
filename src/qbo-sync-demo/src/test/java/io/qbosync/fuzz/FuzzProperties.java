package io.qbosync.fuzz;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.springframework.test.context.DynamicPropertyRegistry;

import io.qbosync.testsupport.E2eProperties;

/**
 * Embedded defaults (H2, embedded Artemis, sandbox, sample source) in a private data dir on ephemeral ports, as the
 * e2e tests use them: fast first poll, short retry backoff, and the QBO governor raised out of the way.
 */
final class FuzzProperties {

    /**
     * The settings both fuzz runs share (the ports and data dir differ per run). One consumer per queue: with several,
     * which of a company and its contacts reaches QBO first varies from run to run, and with it whether a customer is
     * matched, created or held as a duplicate match. That would make "the same as without bad records" a coin toss.
     */
    static final Map<String, String> EMBEDDED_DEFAULTS = Map.of(
            "sync.jms.concurrent-consumers", "1",
            "sync.poll.start-delay-ms", "200",
            "sync.retry.initial-delay-ms", "100",
            "sync.retry.max-delay-ms", "1000",
            // The sandbox does not enforce QBO's 500/min unless asked; tests measure behaviour, not the limit.
            "qbo.governor.requests-per-minute", "1000000");

    static final List<String> QBO_ENTITIES = List.of("Customer", "Invoice", "Payment");

    private FuzzProperties() {
    }

    static void embeddedDefaultsIn(Path dataDir, DynamicPropertyRegistry registry) {
        E2eProperties.withoutJmxIn(() -> dataDir, registry);
        EMBEDDED_DEFAULTS.forEach((k, v) -> registry.add(k, () -> v));
    }
}
