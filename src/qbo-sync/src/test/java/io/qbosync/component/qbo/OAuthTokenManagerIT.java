package io.qbosync.component.qbo;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.qbosync.component.qbo.client.OAuthTokenManager;
import io.qbosync.component.qbo.client.QboClient;
import io.qbosync.component.qbo.client.QboConnection;
import io.qbosync.component.qbo.client.QboConnectionStatus;
import io.qbosync.component.qbo.client.RealmRateGovernor;
import io.qbosync.component.qbo.client.TokenCipher;
import io.qbosync.store.QboConnectionRepository;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.qbosync.component.qbo.client.InMemoryQboConnectionStore;
import io.qbosync.component.qbo.client.QboConnectionSummary;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * Token refresh against the sandbox's OAuth endpoint over the app's JDBC connection store (H2 with the Flyway
 * migrations), as replicas share it: 401 retry, rotation, invalid_grant, single flight, encryption at rest.
 */
class OAuthTokenManagerIT {

    @TempDir
    Path dir;
    HikariDataSource dataSource;
    SandboxFixture fx;
    SandboxFixture.Realm realm;
    ListAppender<ILoggingEvent> logs;

    @BeforeEach
    void setUp() {
        HikariConfig cfg = new HikariConfig();
        cfg.setJdbcUrl("jdbc:h2:file:" + dir.resolve("store").toAbsolutePath() + ";LOCK_TIMEOUT=30000");
        cfg.setUsername("sa");
        cfg.setPassword("");
        cfg.setMaximumPoolSize(16);
        dataSource = new HikariDataSource(cfg);
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        fx = SandboxFixture.start(dir, new QboConnectionRepository(dataSource, new TokenCipher(key)));
        realm = fx.newRealm();
        logs = new ListAppender<>();
        logs.start();
        ((Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME)).addAppender(logs);
    }

    @AfterEach
    void tearDown() {
        ((Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME)).detachAppender(logs);
        fx.close();
        dataSource.close();
    }

    private QboConnection stored() {
        return fx.repository.find(realm.realmId()).orElseThrow();
    }

    /** Marks the stored access token expired so that the next use must refresh. */
    private void expireAccessToken() {
        QboConnection c = stored();
        fx.repository.updateTokens(realm.realmId(), c.accessToken(), Instant.now().minusSeconds(5), c.refreshToken(),
                c.refreshExpiresAt(), null);
    }

    private void assertNoSecretLogged(String... secrets) {
        for (ILoggingEvent e : logs.list) {
            String line = e.getFormattedMessage() + (e.getThrowableProxy() == null ? "" : e.getThrowableProxy().getMessage());
            for (String s : secrets) {
                assertThat(line).doesNotContain(s);
            }
            assertThat(line).doesNotContain("Bearer ey").doesNotContain("Basic ");
        }
    }

    @Test
    void a401RefreshesOnceRetriesAndPersistsTheRotation() {
        fx.store(realm, "not-a-valid-access-token", Instant.now().plus(Duration.ofHours(1)));
        List<Map<String, Object>> rows = fx.client.query(realm.realmId(), "select * from Customer");
        assertThat(rows).isNotNull();
        assertThat(fx.tokens.refreshCount()).isEqualTo(1);
        QboConnection after = stored();
        assertThat(after.accessToken()).isNotEqualTo("not-a-valid-access-token");
        assertThat(after.refreshToken()).as("rotated and persisted").isNotEqualTo(realm.refreshToken());
        assertThat(after.lastRefreshedAt()).isNotNull();
        assertThat(after.accessExpiresAt()).isAfter(Instant.now());

        // The superseded refresh token is dead at the token endpoint; we never send it again.
        HttpResponse<String> reuse = fx.refreshDirectly(realm, realm.refreshToken());
        assertThat(reuse.statusCode()).isEqualTo(400);
        assertThat(reuse.body()).contains("invalid_grant");

        // A restarted node (fresh manager, empty cache) refreshes with the persisted, rotated token.
        expireAccessToken();
        OAuthTokenManager restarted = fx.newTokenManager();
        QboClient client = fx.newClient(restarted, new RealmRateGovernor(500, 0.95, 8, Duration.ofSeconds(60)), 1);
        assertThat(client.query(realm.realmId(), "select * from Customer")).isNotNull();
        assertThat(restarted.refreshCount()).isEqualTo(1);
        assertThat(stored().status()).isEqualTo(QboConnectionStatus.CONNECTED);
        assertNoSecretLogged(after.accessToken(), after.refreshToken(), stored().accessToken(),
                stored().refreshToken(), realm.clientSecret());
    }

    @Test
    void tokensAreEncryptedAtRest() {
        expireAccessToken();
        fx.client.query(realm.realmId(), "select * from Customer");
        QboConnection c = stored();
        Map<String, Object> raw = new JdbcTemplate(dataSource)
                .queryForMap("SELECT * FROM qbo_connection WHERE realm_id = ?", realm.realmId());
        String rawText = raw.toString();
        assertThat(rawText).doesNotContain(c.accessToken()).doesNotContain(c.refreshToken())
                .doesNotContain(realm.clientSecret());
        assertThat(raw.get("ACCESS_TOKEN_ENC").toString()).startsWith("v2:");
    }

    @Test
    void invalidGrantMarksTheConnectionExpiredWithoutRetrying() {
        fx.repository.save(new QboConnection(realm.realmId(), "local", fx.baseUrl, fx.tokenUrl, realm.clientId(),
                realm.clientSecret(), "RT-that-was-never-issued", null, null, null, null, null, null, null, null, null));
        QboConnectionExpiredException e = catchThrowableOfType(QboConnectionExpiredException.class,
                () -> fx.client.query(realm.realmId(), "select * from Customer"));
        assertThat(e).isNotNull();
        assertThat(e.faultClass()).isEqualTo(FaultClass.AUTH);
        assertThat(e.code()).isEqualTo("invalid_grant");
        QboConnection c = stored();
        assertThat(c.status()).isEqualTo(QboConnectionStatus.EXPIRED);
        assertThat(c.statusReason()).contains("invalid_grant");
        assertThat(fx.tokens.refreshCount()).isEqualTo(1);

        QboConnectionExpiredException again = catchThrowableOfType(QboConnectionExpiredException.class,
                () -> fx.client.query(realm.realmId(), "select * from Customer"));
        assertThat(again.code()).isEqualTo("EXPIRED");
        assertThat(fx.tokens.refreshCount()).as("no second attempt").isEqualTo(1);
        assertThat(fx.tokens.checkConnections()).extracting(s -> s.realmId()).contains(realm.realmId());
    }

    @Test
    void revokedTokensEndInExpiredAfterOneRefreshAttempt() throws Exception {
        fx.faults(realm.realmId(), "{\"revokeTokens\": true}");
        try (org.apache.camel.impl.DefaultCamelContext camel = new org.apache.camel.impl.DefaultCamelContext()) {
            camel.addComponent("qbo", new QboComponent(fx.client));
            camel.start();
            org.apache.camel.Exchange ex = camel.createProducerTemplate().request(
                    "qbo:query:Customer?realmId=" + realm.realmId(), e -> { });
            assertThat(ex.getException()).isInstanceOf(QboConnectionExpiredException.class);
        }
        assertThat(fx.tokens.refreshCount()).isEqualTo(1);
        assertThat(stored().status()).isEqualTo(QboConnectionStatus.EXPIRED);
    }

    @Test
    void wrongClientCredentialsAreAnAuthFaultThatLeavesTheConnectionAlone() {
        fx.repository.save(new QboConnection(realm.realmId(), "local", fx.baseUrl, fx.tokenUrl, realm.clientId(),
                "not-the-secret", realm.refreshToken(), null, null, null, null, null, null, null, null, null));
        QboFaultException f = catchThrowableOfType(QboFaultException.class,
                () -> fx.client.query(realm.realmId(), "select * from Customer"));
        assertThat(f).isInstanceOf(OAuthTokenManager.TokenEndpointException.class);
        assertThat(f.code()).isEqualTo("invalid_client");
        assertThat(f.faultClass()).isEqualTo(FaultClass.AUTH);
        assertThat(stored().status()).isEqualTo(QboConnectionStatus.CONNECTED);
    }

    @Test
    void manyThreadsOneRefresh() throws Exception {
        expireAccessToken();
        runConcurrently(16, List.of(fx.client));
        assertThat(fx.tokens.refreshCount()).isEqualTo(1);
    }

    @Test
    void twoReplicasOneRefresh() throws Exception {
        expireAccessToken();
        OAuthTokenManager other = fx.newTokenManager();
        QboClient otherClient = fx.newClient(other, new RealmRateGovernor(500, 0.95, 8, Duration.ofSeconds(60)), 1);
        runConcurrently(16, List.of(fx.client, otherClient));
        assertThat(fx.tokens.refreshCount() + other.refreshCount()).isEqualTo(1);
    }

    /**
     * The component without a database: the in-memory store keeps the rotated refresh token and two token managers
     * sharing it refresh once. A second refresh later uses the rotated token (the sandbox refuses a superseded one).
     */
    @Test
    void theInMemoryStoreRefreshesOnceAndKeepsTheRotation() throws Exception {
        InMemoryQboConnectionStore memory = new InMemoryQboConnectionStore();
        memory.save(QboConnection.connected(realm.realmId(), "local", fx.baseUrl, fx.tokenUrl, realm.clientId(),
                realm.clientSecret(), realm.refreshToken(), "stale", Instant.now().minusSeconds(5),
                Instant.now().plusSeconds(86_400)));
        OAuthTokenManager first = new OAuthTokenManager(memory, fx.tokenUrl, Duration.ofSeconds(60), Duration.ofDays(30),
                Duration.ofSeconds(5), Duration.ofSeconds(20), java.time.Clock.systemUTC());
        OAuthTokenManager second = new OAuthTokenManager(memory, fx.tokenUrl, Duration.ofSeconds(60), Duration.ofDays(30),
                Duration.ofSeconds(5), Duration.ofSeconds(20), java.time.Clock.systemUTC());
        RealmRateGovernor governor = new RealmRateGovernor(500, 0.95, 8, Duration.ofSeconds(60));
        runConcurrently(16, List.of(fx.newClient(first, governor, 1), fx.newClient(second, governor, 1)));
        assertThat(first.refreshCount() + second.refreshCount()).isEqualTo(1);
        String rotated = memory.find(realm.realmId()).orElseThrow().refreshToken();

        String access = memory.find(realm.realmId()).orElseThrow().accessToken();
        assertThat(first.refreshAfterRejection(realm.realmId(), access)).isNotEqualTo(access);
        assertThat(memory.find(realm.realmId()).orElseThrow().status()).isEqualTo(QboConnectionStatus.CONNECTED);
        assertThat(memory.listSummaries()).singleElement().extracting(QboConnectionSummary::realmId)
                .isEqualTo(realm.realmId());
        assertThat(rotated).isNotBlank();
    }

    /** Starts {@code threads} queries at once, spread over the clients; all must succeed. */
    private void runConcurrently(int threads, List<QboClient> clients) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<List<Map<String, Object>>>> results = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            QboClient c = clients.get(i % clients.size());
            results.add(pool.submit(() -> {
                go.await();
                return c.query(realm.realmId(), "select * from Account");
            }));
        }
        go.countDown();
        for (Future<List<Map<String, Object>>> r : results) {
            assertThat(r.get(60, TimeUnit.SECONDS)).isNotNull();
        }
        pool.shutdown();
    }
}
