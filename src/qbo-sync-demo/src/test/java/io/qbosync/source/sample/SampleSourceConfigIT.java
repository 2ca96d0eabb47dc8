package io.qbosync.source.sample;

import io.qbosync.demo.SampleSourceConfig;
import io.qbosync.source.SourceClient;
import io.qbosync.source.SourceClientConfig;
import io.qbosync.source.SourceClientException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The Spring wiring: properties reach the sample source, and the sourceClient bean finds it. */
class SampleSourceConfigIT {
    @TempDir
    Path dir;

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withUserConfiguration(SampleSourceConfig.class, SourceClientConfig.class);

    @Test
    void startsTheSampleSourceFromPropertiesAndPointsTheClientAtIt() {
        AtomicReference<String> url = new AtomicReference<>();
        runner.withPropertyValues("source.sample.port=0", "source.sample.data-dir=" + dir.resolve("s"),
                        "source.sample.seed=5", "source.sample.records=60")
                .run(ctx -> {
                    SampleSourceServer server = ctx.getBean(SampleSourceServer.class);
                    SourceClient client = ctx.getBean("sourceClient", SourceClient.class);
                    assertThat(server.port()).isPositive();
                    assertThat(client.baseUrl()).isEqualTo(server.baseUrl());
                    assertThat(server.settings().seed()).isEqualTo(5);
                    assertThat(client.fetchChanges(null, 5000).items())
                            .hasSize(new SampleDataGenerator(5, 60).generate().size());
                    url.set(server.baseUrl());
                });
        assertThat(Files.exists(dir.resolve("s").resolve("journal.jsonl"))).isTrue();
        // Closing the context stops the server.
        assertThatThrownBy(() -> new SourceClient(url.get()).fetchChanges(null, 1)).isInstanceOf(SourceClientException.class);
    }

    @Test
    void canBeSwitchedOffAndTheBaseUrlSetExplicitly() {
        runner.withPropertyValues("source.sample.enabled=false").run(ctx -> {
            assertThat(ctx).doesNotHaveBean(SampleSourceServer.class);
            assertThat(ctx.getBean("sourceClient", SourceClient.class).baseUrl()).isEqualTo(SourceClientConfig.DEFAULT_BASE_URL);
        });
        runner.withPropertyValues("source.sample.enabled=false", "source.base-url=http://source.example.test:9000/")
                .run(ctx -> assertThat(ctx.getBean("sourceClient", SourceClient.class).baseUrl())
                        .isEqualTo("http://source.example.test:9000"));
    }
}
