package io.qbosync.demo;

import io.qbosync.source.BundledSource;
import io.qbosync.source.sample.MalformedCorpus;
import io.qbosync.source.sample.SampleSourceServer;
import io.qbosync.source.sample.SampleSourceSettings;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;

import java.nio.file.Path;

/**
 * Demo wiring: starts the sample source (module sample-source) inside the application unless {@code source.sample.enabled=false}. With a real QBO
 * company configured only when {@code qbosync.safety.allow-sample-into-real-company=true} (a QBO demo company);
 * otherwise start-up is refused before it could feed anything ({@code RealmProvisioner}).
 * Keys: {@code source.sample.host} (127.0.0.1), {@code .port} (8090; 0 = any free port), {@code .data-dir}
 * (./data/sample-source), {@code .seed} (42), {@code .records} (0 = the standard data set), {@code .malformed}
 * (0; N = N records of the {@link MalformedCorpus} mixed into the feed, for the fuzz check).
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "source.sample.enabled", havingValue = "true", matchIfMissing = true)
@Conditional(DemoConditions.SampleAllowed.class)
public class SampleSourceConfig {

    @Bean(destroyMethod = "close")
    public SampleSourceServer sampleSourceServer(
            @Value("${source.sample.host:127.0.0.1}") String host,
            @Value("${source.sample.port:8090}") int port,
            @Value("${source.sample.data-dir:./data/sample-source}") String dataDir,
            @Value("${source.sample.seed:42}") long seed,
            @Value("${source.sample.records:0}") int records,
            @Value("${source.sample.malformed:0}") int malformed,
            @Value("${source.sample.chapters:0}") int chapters) {
        return SampleSourceServer.start(new SampleSourceSettings(host, port, Path.of(dataDir), seed, records, malformed,
                chapters),
                new PipelineRecordCheck());
    }

    /** The app's source client reads the sample when {@code source.base-url} is empty (its port may be ephemeral). */
    @Bean
    public BundledSource bundledSource(SampleSourceServer sampleSourceServer) {
        return sampleSourceServer::baseUrl;
    }
}
