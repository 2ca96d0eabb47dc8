package io.qbosync.demo;

import io.qbosync.connect.BundledSandbox;
import io.qbosync.sandbox.QboSandbox;
import io.qbosync.sandbox.SandboxSettings;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;

import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;

/**
 * Demo wiring: starts the QBO sandbox (module qbo-sandbox) inside the app (on by default; {@code qbo.sandbox.enabled=false} turns it
 * off). Never with a real QBO company configured ({@code qbo.company.realm-id} or any {@code qbo.companies.<key>.realm-id}): nothing of the demo runs beside a
 * live ledger. Keys: {@code qbo.sandbox.host} (127.0.0.1), {@code qbo.sandbox.port} (8089, 0 = ephemeral),
 * {@code qbo.sandbox.data-dir} (./data/sandbox), {@code qbo.sandbox.time-zone} (America/Los_Angeles),
 * {@code qbo.sandbox.access-token-ttl-seconds} (3600), {@code qbo.sandbox.threads} (32).
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "qbo.sandbox.enabled", havingValue = "true", matchIfMissing = true)
@Conditional(DemoConditions.NoRealCompany.class)
public class SandboxConfig {

    @Bean(destroyMethod = "close")
    public QboSandbox qboSandbox(
            @Value("${qbo.sandbox.host:" + SandboxSettings.DEFAULT_HOST + "}") String host,
            @Value("${qbo.sandbox.port:" + SandboxSettings.DEFAULT_PORT + "}") int port,
            @Value("${qbo.sandbox.data-dir:" + SandboxSettings.DEFAULT_DATA_DIR + "}") String dataDir,
            @Value("${qbo.sandbox.time-zone:" + SandboxSettings.DEFAULT_ZONE + "}") String zone,
            @Value("${qbo.sandbox.access-token-ttl-seconds:3600}") long tokenTtlSeconds,
            @Value("${qbo.sandbox.threads:32}") int threads) {
        return QboSandbox.start(SandboxSettings.defaults()
                .withHost(host)
                .withPort(port)
                .withDataDir(Path.of(dataDir))
                .withCompanyZone(ZoneId.of(zone))
                .withAccessTokenTtl(Duration.ofSeconds(tokenTtlSeconds))
                .withThreads(threads));
    }

    /** Tells the app's realm provisioning where the sandbox answers (its port may be ephemeral). */
    @Bean
    public BundledSandbox bundledSandbox(QboSandbox qboSandbox) {
        return qboSandbox::baseUrl;
    }
}
