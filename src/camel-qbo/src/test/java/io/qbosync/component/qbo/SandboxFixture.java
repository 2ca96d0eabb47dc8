package io.qbosync.component.qbo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.qbosync.component.qbo.client.InMemoryQboConnectionStore;
import io.qbosync.component.qbo.client.OAuthTokenManager;
import io.qbosync.component.qbo.client.QboClient;
import io.qbosync.component.qbo.client.QboClientSettings;
import io.qbosync.component.qbo.client.QboConnection;
import io.qbosync.component.qbo.client.QboConnectionStore;
import io.qbosync.component.qbo.client.QboJson;
import io.qbosync.component.qbo.client.QboTokenProvider;
import io.qbosync.component.qbo.client.RealmRateGovernor;
import io.qbosync.sandbox.QboSandbox;
import io.qbosync.sandbox.SandboxSettings;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * The real QBO sandbox on an ephemeral port, a connection store (the component's in-memory one unless a test brings
 * another, such as the app's JDBC store), and our token manager, governor and client wired over them. Realms are
 * provisioned through the sandbox's admin API.
 */
final class SandboxFixture implements AutoCloseable {

    /** A provisioned sandbox company as the admin API returned it. */
    record Realm(String realmId, String accessToken, String refreshToken, String clientId, String clientSecret) {
    }

    final QboSandbox sandbox;
    final String baseUrl;
    final String tokenUrl;
    final QboConnectionStore repository;
    final OAuthTokenManager tokens;
    final RealmRateGovernor governor;
    final QboClient client;
    final ObjectMapper mapper = QboJson.newMapper();
    private final HttpClient admin = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private SandboxFixture(QboSandbox sandbox, QboConnectionStore store) {
        this.sandbox = sandbox;
        this.baseUrl = sandbox.baseUrl();
        this.tokenUrl = baseUrl + "/oauth2/v1/tokens/bearer";
        this.repository = store;
        this.tokens = newTokenManager();
        this.governor = new RealmRateGovernor(500, 0.95, 8, Duration.ofSeconds(60));
        this.client = newClient(tokens, governor, 1);
    }

    static SandboxFixture start(Path dir) {
        return start(dir, new InMemoryQboConnectionStore());
    }

    static SandboxFixture start(Path dir, QboConnectionStore store) {
        QboSandbox sandbox = QboSandbox.start(SandboxSettings.ephemeral(dir.resolve("sandbox")));
        return new SandboxFixture(sandbox, store);
    }

    /** Another token manager over the same store, as a second replica would have. */
    OAuthTokenManager newTokenManager() {
        return new OAuthTokenManager(repository, tokenUrl, Duration.ofSeconds(60), Duration.ofDays(30),
                Duration.ofSeconds(5), Duration.ofSeconds(20), Clock.systemUTC());
    }

    QboClient newClient(QboTokenProvider tokenProvider, RealmRateGovernor g, int throttleRetries) {
        return new QboClient(new QboClientSettings(baseUrl, 75, Duration.ofSeconds(5), Duration.ofSeconds(20), 32,
                throttleRetries), tokenProvider, g);
    }

    /** Creates a sandbox company and stores its connection (access token valid for the next 50 minutes). */
    Realm newRealm() {
        JsonNode r = adminCall("POST", "/sandbox/realms", "{}");
        Realm realm = new Realm(r.get("realmId").asText(), r.get("accessToken").asText(),
                r.get("refreshToken").asText(), r.get("clientId").asText(), r.get("clientSecret").asText());
        store(realm, realm.accessToken(), Instant.now().plus(50, ChronoUnit.MINUTES));
        return realm;
    }

    /** (Re)stores the realm's connection with the given access token and expiry. */
    void store(Realm realm, String accessToken, Instant accessExpiresAt) {
        repository.save(QboConnection.connected(realm.realmId(), "local", baseUrl, tokenUrl, realm.clientId(),
                realm.clientSecret(), realm.refreshToken(), accessToken, accessExpiresAt,
                Instant.now().plus(100, ChronoUnit.DAYS)));
    }

    /** Sets fault injection for a realm. */
    void faults(String realmId, String json) {
        adminCall("PUT", "/sandbox/realms/" + realmId + "/faults", json);
    }

    /** Calls the token endpoint directly with a refresh token; returns status and body. */
    HttpResponse<String> refreshDirectly(Realm realm, String refreshToken) {
        String basic = java.util.Base64.getEncoder().encodeToString(
                (realm.clientId() + ":" + realm.clientSecret()).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        HttpRequest req = HttpRequest.newBuilder(URI.create(tokenUrl))
                .header("Authorization", "Basic " + basic)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=refresh_token&refresh_token="
                        + java.net.URLEncoder.encode(refreshToken, java.nio.charset.StandardCharsets.UTF_8)))
                .build();
        try {
            return admin.send(req, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    JsonNode adminCall(String method, String path, String json) {
        HttpRequest req = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(json))
                .build();
        try {
            HttpResponse<String> resp = admin.send(req, HttpResponse.BodyHandlers.ofString());
            if (resp.statusCode() / 100 != 2) {
                throw new IllegalStateException("sandbox admin " + method + " " + path + " -> " + resp.statusCode()
                        + " " + resp.body());
            }
            return resp.body().isBlank() ? mapper.createObjectNode() : mapper.readTree(resp.body());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        sandbox.close();
    }
}
