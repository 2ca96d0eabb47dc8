package io.qbosync.config;

import io.qbosync.component.qbo.client.OAuthTokenManager;
import io.qbosync.component.qbo.client.QboClient;
import io.qbosync.component.qbo.client.QboClientSettings;
import io.qbosync.component.qbo.client.RealmRateGovernor;
import io.qbosync.component.qbo.client.TokenCipher;
import io.qbosync.component.qbo.QboComponent;
import io.qbosync.store.GovernorMemberRepository;
import io.qbosync.store.GovernorMembership;
import io.qbosync.store.QboConnectionRepository;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

import javax.sql.DataSource;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * Spring wiring of the {@code qbo:} component and its collaborators. Bean names are part of the contract:
 * {@code qbo}, {@code qboClient}, {@code oauthTokenManager}, {@code tokenCipher}, {@code qboConnectionRepository},
 * {@code realmRateGovernor} (plus {@code qboMetrics}, and {@code governorMemberRepository} and
 * {@code governorMembership}, which share the governor's budget among replicas through the database unless
 * {@code qbo.governor.shared=false}). Every property has a default; see docs/qbo-component.md.
 */
@Configuration(proxyBeanMethods = false)
public class QboComponentConfig {

    /**
     * AES-GCM cipher for stored tokens: {@code qbosync.crypto.key} encrypts, it and
     * {@code qbosync.crypto.previous-keys} decrypt. Without a key a demo generates one under the data dir; a
     * production node refuses to start.
     */
    @Bean
    public TokenCipher tokenCipher(@Value("${qbosync.crypto.key:}") String key,
                                   @Value("${qbosync.crypto.previous-keys:}") List<String> previousKeys,
                                   @Value("${qbosync.data-dir:./data}") String dataDir,
                                   Environment environment) {
        try {
            return TokenCipher.fromConfig(key, previousKeys, Path.of(dataDir), !DeploymentMode.production(environment));
        } catch (TokenCipher.MissingTokenKeyException e) {
            throw new UnsafeStartException("qbosync.crypto.key is not set while " + DeploymentMode.productionReason(
                    environment) + ". A generated key would be kept in the data directory next to the tokens it"
                    + " protects. Set QBOSYNC_CRYPTO_KEY to Base64 of 32 random bytes (openssl rand -base64 32)"
                    + " from a secret store, and keep it: stored tokens cannot be read without it.");
        }
    }

    /** Encrypted store of company connections (table qbo_connection). */
    @Bean
    public QboConnectionRepository qboConnectionRepository(DataSource dataSource, TokenCipher tokenCipher) {
        return new QboConnectionRepository(dataSource, tokenCipher);
    }

    /** Per-realm request budget shared by every QBO call of this JVM (and, with governorMembership, of all replicas). */
    @Bean
    public RealmRateGovernor realmRateGovernor(
            @Value("${qbo.governor.requests-per-minute:500}") int requestsPerMinute,
            @Value("${qbo.governor.margin:0.99}") double margin,
            @Value("${qbo.governor.max-concurrent:8}") int maxConcurrent,
            @Value("${qbo.governor.throttle-backoff-seconds:60}") long throttleBackoffSeconds) {
        return new RealmRateGovernor(requestsPerMinute, margin, maxConcurrent,
                Duration.ofSeconds(throttleBackoffSeconds));
    }

    /** The table of replicas sharing each realm's budget (qbo_governor_member). */
    @Bean
    public GovernorMemberRepository governorMemberRepository(DataSource dataSource) {
        return new GovernorMemberRepository(dataSource);
    }

    /**
     * Splits each realm's budget among the replicas working on it (heartbeats in qbo_governor_member). Off with
     * {@code qbo.governor.shared=false}: each JVM then uses the whole budget.
     */
    @Bean(destroyMethod = "close")
    @ConditionalOnProperty(name = "qbo.governor.shared", havingValue = "true", matchIfMissing = true)
    public GovernorMembership governorMembership(
            GovernorMemberRepository governorMemberRepository, RealmRateGovernor realmRateGovernor,
            @Value("${qbo.governor.heartbeat-seconds:5}") long heartbeatSeconds,
            @Value("${qbo.governor.member-timeout-seconds:15}") long memberTimeoutSeconds) {
        return new GovernorMembership(governorMemberRepository, realmRateGovernor,
                Duration.ofSeconds(heartbeatSeconds), Duration.ofSeconds(memberTimeoutSeconds)).start();
    }

    /** OAuth token refresh with single-flight, rotation persistence and expiry handling. */
    @Bean
    public OAuthTokenManager oauthTokenManager(
            QboConnectionRepository qboConnectionRepository,
            @Value("${qbo.api.token-url:}") String tokenUrl,
            @Value("${qbo.oauth.refresh-skew-seconds:300}") long refreshSkewSeconds,
            @Value("${qbo.oauth.expiry-warning-days:30}") long expiryWarningDays,
            @Value("${qbo.api.connect-timeout-ms:10000}") long connectTimeoutMs,
            @Value("${qbo.api.request-timeout-ms:60000}") long requestTimeoutMs) {
        return new OAuthTokenManager(qboConnectionRepository, QboClientSettings.tokenUrlOrProduction(tokenUrl), Duration.ofSeconds(refreshSkewSeconds),
                Duration.ofDays(expiryWarningDays), Duration.ofMillis(connectTimeoutMs),
                Duration.ofMillis(requestTimeoutMs), Clock.systemUTC());
    }

    /** The pooled HTTP client for the QBO API, for routes (through {@code qbo}) and Java beans. */
    @Bean
    public QboClient qboClient(
            OAuthTokenManager oauthTokenManager, RealmRateGovernor realmRateGovernor,
            ObjectProvider<GovernorMembership> governorMembership,
            @Value("${qbo.api.base-url:}") String baseUrl,
            @Value("${qbo.api.minor-version:75}") int minorVersion,
            @Value("${qbo.api.connect-timeout-ms:10000}") long connectTimeoutMs,
            @Value("${qbo.api.request-timeout-ms:60000}") long requestTimeoutMs,
            @Value("${qbo.api.max-connections:32}") int maxConnections,
            @Value("${qbo.api.throttle-retries:1}") int throttleRetries) {
        // A realm first used before the membership coordinates the governor would stay unshared: create it first.
        governorMembership.ifAvailable(m -> { });
        return new QboClient(new QboClientSettings(QboClientSettings.apiUrlOrProduction(baseUrl), minorVersion, Duration.ofMillis(connectTimeoutMs),
                Duration.ofMillis(requestTimeoutMs), maxConnections, throttleRetries), oauthTokenManager,
                realmRateGovernor);
    }

    /**
     * Governor and OAuth counters as Micrometer meters ({@code qbo.governor.*}, {@code qbo.oauth.refreshes}),
     * picked up by Spring Boot's metrics (and the Prometheus endpoint).
     */
    @Bean
    public MeterBinder qboMetrics(RealmRateGovernor realmRateGovernor, OAuthTokenManager oauthTokenManager) {
        return registry -> {
            FunctionCounter.builder("qbo.governor.requests", realmRateGovernor, g -> g.totals().granted())
                    .description("QBO HTTP calls admitted by the per-realm governor").register(registry);
            FunctionCounter.builder("qbo.governor.permits.waited", realmRateGovernor,
                    g -> g.totals().permitsWaited())
                    .description("QBO calls that had to wait for the realm's budget").register(registry);
            FunctionCounter.builder("qbo.governor.throttled", realmRateGovernor, g -> g.totals().throttled429())
                    .description("429 replies received from QBO").register(registry);
            Gauge.builder("qbo.governor.in.flight", realmRateGovernor, g -> g.totals().inFlight())
                    .description("QBO calls in flight").register(registry);
            FunctionCounter.builder("qbo.oauth.refreshes", oauthTokenManager, OAuthTokenManager::refreshCount)
                    .description("Calls to the OAuth token endpoint").register(registry);
            // Per company, registered when it is first used: how many replicas share it and this JVM's part.
            realmRateGovernor.onRealm(realm -> {
                Gauge.builder("qbo.governor.members", realmRateGovernor, g -> g.stats(realm).members())
                        .tag("realm", realm).description("Replicas sharing the company's QBO budget")
                        .register(registry);
                Gauge.builder("qbo.governor.budget", realmRateGovernor, g -> g.stats(realm).windowLimit())
                        .tag("realm", realm).description("Requests per minute this replica may send to the company")
                        .register(registry);
                Gauge.builder("qbo.governor.concurrency", realmRateGovernor, g -> g.stats(realm).concurrencyLimit())
                        .tag("realm", realm).description("Requests in flight this replica may have at the company")
                        .register(registry);
                Gauge.builder("qbo.governor.held", realmRateGovernor, g -> g.stats(realm).held() ? 1 : 0)
                        .tag("realm", realm).description("1 while this replica may not start requests (joining)")
                        .register(registry);
            });
        };
    }

    /** The {@code qbo:} Camel component (found by Camel under its bean name). */
    @Bean
    public QboComponent qbo(QboClient qboClient) {
        return new QboComponent(qboClient);
    }
}
