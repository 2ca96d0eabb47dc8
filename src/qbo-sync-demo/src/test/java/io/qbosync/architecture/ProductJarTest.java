package io.qbosync.architecture;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarFile;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The product's runnable jar, as {@code mvn verify} packaged it before this module's tests: qbo-sync's classes and
 * libraries, and nothing of the emulator, the sample source or the demo.
 */
class ProductJarTest {

    private static final Path PRODUCT = Path.of("src/qbo-sync/target/qbo-sync-0.1.0-SNAPSHOT-exec.jar");

    @Test
    void holdsNoEmulatorSampleOrDemoClass() throws IOException {
        Assumptions.assumeTrue(Files.isRegularFile(PRODUCT), PRODUCT + " is built by the package phase (mvn verify)");
        List<String> entries;
        try (JarFile jar = new JarFile(PRODUCT.toFile())) {
            entries = jar.stream().map(e -> e.getName()).toList();
        }
        assertThat(entries).contains("BOOT-INF/classes/io/qbosync/QboSyncApplication.class",
                "BOOT-INF/classes/db/migration/V1__sync_store.sql");
        assertThat(entries).anyMatch(e -> e.startsWith("BOOT-INF/lib/camel-qbo-0"))
                .anyMatch(e -> e.startsWith("BOOT-INF/lib/camel-qbo-starter-"))
                .anyMatch(e -> e.startsWith("BOOT-INF/lib/source-feed-"));
        assertThat(entries).noneMatch(e -> e.contains("io/qbosync/sandbox/") || e.contains("io/qbosync/source/sample/")
                        || e.contains("io/qbosync/demo/") || e.contains("io/qbosync/fuzz/") || e.contains("io/qbosync/bench/"))
                .noneMatch(e -> e.startsWith("BOOT-INF/lib/qbo-sandbox") || e.startsWith("BOOT-INF/lib/sample-source")
                        || e.startsWith("BOOT-INF/lib/qbo-sync-demo") || e.startsWith("BOOT-INF/lib/ipp-v3-java-devkit")
                        || e.startsWith("BOOT-INF/lib/archunit") || e.startsWith("BOOT-INF/lib/qbo-sync-test-support"));
    }
}
