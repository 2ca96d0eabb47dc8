package io.qbosync.source;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.time.Duration;

/**
 * Creates the {@code sourceClient} bean. {@code source.base-url} names the source; left empty it points at
 * the source bundled in this application when there is one (the demo's sample source) (whatever port it got), else at
 * {@value #DEFAULT_BASE_URL}.
 */
@Configuration(proxyBeanMethods = false)
public class SourceClientConfig {
    public static final String DEFAULT_BASE_URL = "http://127.0.0.1:8090";

    @Bean(name = "sourceClient")
    public SourceClient sourceClient(@Value("${source.base-url:}") String baseUrl,
                                     @Value("${source.request-timeout-ms:30000}") long timeoutMs,
                                     ObjectProvider<BundledSource> bundledSource) {
        String url = baseUrl;
        if (url == null || url.isBlank()) {
            BundledSource bundled = bundledSource.getIfAvailable();
            url = bundled != null ? bundled.baseUrl() : DEFAULT_BASE_URL;
        }
        return new SourceClient(url, Duration.ofMillis(timeoutMs));
    }
}
