package io.qbosync.e2e;

import java.nio.file.Path;

import org.junit.jupiter.api.io.TempDir;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.qbosync.testsupport.E2eProperties;

/** The sample sync on the embedded defaults: H2 sync store, embedded Artemis, bundled sandbox and sample source. */
class SampleSyncIT extends SampleSyncScenario {

    @TempDir
    static Path data;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        E2eProperties.embeddedDefaultsIn(() -> data, registry);
    }
}
