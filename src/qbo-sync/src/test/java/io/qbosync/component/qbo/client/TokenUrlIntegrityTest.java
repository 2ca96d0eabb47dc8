package io.qbosync.component.qbo.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;

import com.sun.net.httpserver.HttpServer;
import com.zaxxer.hikari.HikariDataSource;

import io.qbosync.store.QboConnectionRepository;
import io.qbosync.store.QboConnectionRepository.Reencryption;

/**
 * The token URL, API host and client id are plain columns, and the next refresh sends the client secret and the
 * refresh token to that URL. A database write that re-points them must get nothing: the stored secrets are sealed
 * with those columns and no longer open. Also: key rotation re-encrypts, and values from before the binding are
 * re-sealed with it.
 */
class TokenUrlIntegrityTest {

    private static final String REALM = "9130";

    @TempDir
    Path dir;
    private HikariDataSource ds;
    private JdbcTemplate jdbc;
    private HttpServer genuine;
    private HttpServer attacker;
    private final AtomicInteger genuineCalls = new AtomicInteger();
    private final AtomicInteger attackerCalls = new AtomicInteger();

    @BeforeEach
    void setUp() throws IOException {
        ds = TestDatabase.migrated(dir);
        jdbc = new JdbcTemplate(ds);
        genuine = tokenEndpoint(genuineCalls);
        attacker = tokenEndpoint(attackerCalls);
    }

    @AfterEach
    void tearDown() {
        genuine.stop(0);
        attacker.stop(0);
        ds.close();
    }

    @Test
    void aTamperedTokenUrlIsRefusedAndReceivesNothing() {
        TokenCipher cipher = new TokenCipher(randomKey());
        QboConnectionRepository repo = new QboConnectionRepository(ds, cipher);
        repo.save(connection(url(genuine)));
        OAuthTokenManager tokens = tokenManager(repo);

        assertThat(tokens.accessToken(REALM)).isEqualTo("AT-fresh");
        assertThat(genuineCalls).hasValue(1);

        jdbc.update("UPDATE qbo_connection SET token_url = ?, access_expires_at = ? WHERE realm_id = ?",
                url(attacker), past(), REALM);
        OAuthTokenManager afterRestart = tokenManager(repo);
        assertThatThrownBy(() -> afterRestart.accessToken(REALM))
                .hasMessageContaining("Refusing the stored secrets of QBO company " + REALM)
                .hasMessageContaining(url(attacker));
        assertThat(attackerCalls).hasValue(0);
        assertThat(genuineCalls).hasValue(1);
    }

    @Test
    void aTamperedApiHostOrClientIdIsRefusedToo() {
        QboConnectionRepository repo = new QboConnectionRepository(ds, new TokenCipher(randomKey()));
        repo.save(connection(url(genuine)));
        jdbc.update("UPDATE qbo_connection SET api_base_url = 'http://127.0.0.1:9' WHERE realm_id = ?", REALM);
        assertThatThrownBy(() -> repo.find(REALM)).hasMessageContaining("Refusing the stored secrets");
        repo.save(connection(url(genuine)));
        assertThat(repo.find(REALM)).isPresent();
        jdbc.update("UPDATE qbo_connection SET client_id = 'someone-else' WHERE realm_id = ?", REALM);
        assertThatThrownBy(() -> repo.find(REALM)).hasMessageContaining("Refusing the stored secrets");
    }

    @Test
    void rotationReencryptsEveryConnectionAndTheOldKeyCanThenGo() {
        byte[] oldKey = randomKey();
        byte[] newKey = randomKey();
        new QboConnectionRepository(ds, new TokenCipher(oldKey)).save(connection(url(genuine)));

        QboConnectionRepository rotated = new QboConnectionRepository(ds, new TokenCipher(newKey, List.of(oldKey)));
        Reencryption first = rotated.reencryptAll();
        assertThat(first.connections()).isEqualTo(1);
        assertThat(first.reencrypted()).isEqualTo(1);
        assertThat(first.failed()).isEmpty();
        assertThat(rotated.reencryptAll().reencrypted()).isZero();

        QboConnection read = new QboConnectionRepository(ds, new TokenCipher(newKey)).find(REALM).orElseThrow();
        assertThat(read.clientSecret()).isEqualTo("client-secret");
        assertThat(read.refreshToken()).isEqualTo("RT-1");
    }

    @Test
    void valuesFromBeforeTheBindingAreResealedWithItAndThenGuardTheUrl() throws Exception {
        byte[] key = randomKey();
        QboConnectionRepository repo = new QboConnectionRepository(ds, new TokenCipher(key));
        repo.save(connection(url(genuine)));
        // What an older release stored: v1 values bound to row and column only.
        jdbc.update("UPDATE qbo_connection SET client_secret_enc = ?, refresh_token_enc = ?, access_token_enc = ?"
                        + " WHERE realm_id = ?",
                TokenKeysTest.legacyV1(key, "client-secret", "qbo_connection:" + REALM + ":client_secret"),
                TokenKeysTest.legacyV1(key, "RT-1", "qbo_connection:" + REALM + ":refresh_token"),
                TokenKeysTest.legacyV1(key, "AT-1", "qbo_connection:" + REALM + ":access_token"), REALM);
        assertThat(repo.find(REALM).orElseThrow().refreshToken()).isEqualTo("RT-1");

        assertThat(repo.reencryptAll().reencrypted()).isEqualTo(1);
        assertThat(jdbc.queryForObject("SELECT refresh_token_enc FROM qbo_connection", String.class)).startsWith("v2:");

        jdbc.update("UPDATE qbo_connection SET token_url = ? WHERE realm_id = ?", url(attacker), REALM);
        assertThatThrownBy(() -> repo.find(REALM)).hasMessageContaining("Refusing the stored secrets");
        assertThat(repo.reencryptAll().failed()).singleElement().asString().startsWith(REALM + ": Refusing");
    }

    private OAuthTokenManager tokenManager(QboConnectionRepository repo) {
        return new OAuthTokenManager(repo, url(genuine), Duration.ofSeconds(60), Duration.ofDays(30),
                Duration.ofSeconds(2), Duration.ofSeconds(5), Clock.systemUTC());
    }

    private static QboConnection connection(String tokenUrl) {
        return QboConnection.connected(REALM, "production", "http://127.0.0.1:1", tokenUrl, "client-id",
                "client-secret", "RT-1", "AT-1", Instant.now().minusSeconds(10), Instant.now().plus(Duration.ofDays(100)));
    }

    private static HttpServer tokenEndpoint(AtomicInteger calls) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/token", exchange -> {
            calls.incrementAndGet();
            byte[] body = "{\"access_token\":\"AT-fresh\",\"refresh_token\":\"RT-1\",\"expires_in\":3600}"
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        return server;
    }

    private static String url(HttpServer server) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/token";
    }

    private static OffsetDateTime past() {
        return OffsetDateTime.now(ZoneOffset.UTC).minusHours(1);
    }

    private static byte[] randomKey() {
        byte[] k = new byte[32];
        new SecureRandom().nextBytes(k);
        return k;
    }
}
