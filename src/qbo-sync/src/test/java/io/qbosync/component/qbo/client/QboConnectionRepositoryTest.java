package io.qbosync.component.qbo.client;

import com.zaxxer.hikari.HikariDataSource;
import io.qbosync.store.QboConnectionRepository;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class QboConnectionRepositoryTest {

    @TempDir
    Path dir;
    private HikariDataSource ds;
    private QboConnectionRepository repo;

    @BeforeEach
    void setUp() {
        ds = TestDatabase.migrated(dir);
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        repo = new QboConnectionRepository(ds, new TokenCipher(key));
    }

    @AfterEach
    void tearDown() {
        ds.close();
    }

    private static QboConnection sample(String realm) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        return QboConnection.connected(realm, "local", "http://127.0.0.1:1", "http://127.0.0.1:1/oauth2/v1/tokens/bearer",
                "client-" + realm, "secret-" + realm, "RT1-refresh-" + realm, "AT-access-" + realm,
                now.plusSeconds(3600), now.plus(100, ChronoUnit.DAYS));
    }

    @Test
    void savesFindsAndListsWithoutSecretsInSummaries() {
        repo.save(sample("111"));
        repo.save(sample("222"));
        QboConnection c = repo.find("111").orElseThrow();
        assertThat(c.clientSecret()).isEqualTo("secret-111");
        assertThat(c.refreshToken()).isEqualTo("RT1-refresh-111");
        assertThat(c.accessToken()).isEqualTo("AT-access-111");
        assertThat(c.status()).isEqualTo(QboConnectionStatus.CONNECTED);
        assertThat(c.createdAt()).isNotNull();
        assertThat(c.accessExpiresAt()).isEqualTo(sample("111").accessExpiresAt());
        assertThat(c.toString()).doesNotContain("secret-111", "RT1-refresh-111", "AT-access-111");
        assertThat(repo.findAll()).extracting(QboConnection::realmId).containsExactly("111", "222");
        assertThat(repo.listSummaries()).extracting(QboConnectionSummary::realmId).containsExactly("111", "222");
        assertThat(repo.listSummaries().toString()).doesNotContain("secret-", "RT1-", "AT-");
        assertThat(repo.find("333")).isEmpty();
    }

    @Test
    void insertIfAbsentNeverReplacesAStoredConnection() {
        assertThat(repo.insertIfAbsent(sample("111"))).isTrue();
        QboConnection rotated = repo.find("111").orElseThrow();
        repo.save(new QboConnection(rotated.realmId(), rotated.environment(), rotated.apiBaseUrl(), rotated.tokenUrl(),
                rotated.clientId(), rotated.clientSecret(), "RT-rotated", rotated.accessToken(), rotated.accessExpiresAt(),
                rotated.refreshExpiresAt(), rotated.refreshHardExpiresAt(), rotated.status(), rotated.statusReason(),
                rotated.createdAt(), rotated.updatedAt(), rotated.lastRefreshedAt()));
        // A second replica starting on the same database with the configured first token.
        assertThat(repo.insertIfAbsent(sample("111"))).isFalse();
        assertThat(repo.find("111").orElseThrow().refreshToken()).isEqualTo("RT-rotated");
    }

    @Test
    void secretsAreEncryptedAtRest() {
        repo.save(sample("111"));
        Map<String, Object> raw = new JdbcTemplate(ds).queryForMap("SELECT * FROM qbo_connection WHERE realm_id = '111'");
        assertThat(raw.toString()).doesNotContain("secret-111", "RT1-refresh-111", "AT-access-111");
        assertThat((String) raw.get("REFRESH_TOKEN_ENC")).startsWith("v2:");
        assertThat((String) raw.get("CLIENT_SECRET_ENC")).startsWith("v2:");
    }

    @Test
    void updatesTokensAndStatus() {
        repo.save(sample("111"));
        Instant hard = Instant.now().plus(1000, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
        repo.updateTokens("111", "AT-2", Instant.now().plusSeconds(3600), "RT1-2", Instant.now().plusSeconds(99), hard);
        repo.updateTokens("111", "AT-3", Instant.now().plusSeconds(3600), "RT1-3", Instant.now().plusSeconds(99), null);
        QboConnection c = repo.find("111").orElseThrow();
        assertThat(c.accessToken()).isEqualTo("AT-3");
        assertThat(c.refreshToken()).isEqualTo("RT1-3");
        assertThat(c.refreshHardExpiresAt()).isEqualTo(hard);
        assertThat(c.lastRefreshedAt()).isNotNull();
        repo.updateStatus("111", QboConnectionStatus.EXPIRED, "invalid_grant");
        assertThat(repo.findByStatus(QboConnectionStatus.EXPIRED)).extracting(QboConnection::realmId).containsExactly("111");
        assertThat(repo.find("111").orElseThrow().statusReason()).isEqualTo("invalid_grant");
        assertThatThrownBy(() -> repo.updateStatus("nope", QboConnectionStatus.REVOKED, null))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void saveReplacesAnExistingRealmKeepingCreationTime() {
        repo.save(sample("111"));
        Instant created = repo.find("111").orElseThrow().createdAt();
        repo.updateStatus("111", QboConnectionStatus.EXPIRED, "invalid_grant");
        QboConnection reconnected = sample("111");
        repo.save(new QboConnection("111", "local", "http://other", reconnected.tokenUrl(), "client-2", "secret-2",
                "RT1-new", null, null, null, null, null, null, null, null, null));
        QboConnection c = repo.find("111").orElseThrow();
        assertThat(c.status()).isEqualTo(QboConnectionStatus.CONNECTED);
        assertThat(c.refreshToken()).isEqualTo("RT1-new");
        assertThat(c.accessToken()).isNull();
        assertThat(c.apiBaseUrl()).isEqualTo("http://other");
        assertThat(c.createdAt()).isEqualTo(created);
        assertThat(repo.findAll()).hasSize(1);
        assertThat(repo.delete("111")).isTrue();
        assertThat(repo.find("111")).isEmpty();
    }

    @Test
    void findForUpdateRunsInATransaction() {
        repo.save(sample("111"));
        TransactionTemplate tx = new TransactionTemplate(new DataSourceTransactionManager(ds));
        String token = tx.execute(s -> repo.findForUpdate("111").orElseThrow().refreshToken());
        assertThat(token).isEqualTo("RT1-refresh-111");
    }
}
