package io.qbosync.component.qbo.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.qbosync.component.qbo.FaultClass;
import io.qbosync.component.qbo.QboConnectionExpiredException;
import io.qbosync.component.qbo.QboError;
import io.qbosync.component.qbo.QboFaultException;
import io.qbosync.component.qbo.QboTransportException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * OAuth 2.0 token manager for QBO companies, backed by a {@link QboConnectionStore}.
 *
 * <ul>
 *   <li>Hands out the cached access token while it is valid for longer than the skew; refreshes before expiry.</li>
 *   <li>Single-flight per realm: inside the JVM a per-realm lock, across replicas the store's refresh lock
 *       ({@link QboConnectionStore#inRefreshLock}; a row lock in the JDBC store); after taking the lock the stored
 *       token is re-read, and if another thread or node has
 *       already refreshed it, that token is used instead of refreshing again.</li>
 *   <li>The refresh call runs inside that transaction and the answer, including a rotated refresh token, is
 *       written in it: the new refresh token is never lost to a concurrent refresh, and the superseded one is
 *       never sent again.</li>
 *   <li>{@code invalid_grant} marks the connection {@code EXPIRED} and throws
 *       {@link QboConnectionExpiredException}; there is no retry loop.</li>
 *   <li>Logs a warning when a refresh token's rolling or hard expiry is near. Never logs a token or secret.</li>
 * </ul>
 */
public class OAuthTokenManager implements QboTokenProvider, QboRealmDirectory {

    private static final Logger LOG = LoggerFactory.getLogger(OAuthTokenManager.class);
    private static final Duration WARN_EVERY = Duration.ofHours(24);

    private final QboConnectionStore store;
    private final HttpClient http;
    private final ObjectMapper mapper;
    private final String defaultTokenUrl;
    private final Duration refreshSkew;
    private final Duration expiryWarning;
    private final Duration requestTimeout;
    private final Clock clock;
    private final Map<String, CachedToken> cache = new ConcurrentHashMap<>();
    private final Map<String, ReentrantLock> locks = new ConcurrentHashMap<>();
    private final Map<String, Instant> lastWarned = new ConcurrentHashMap<>();
    private final Map<String, String> baseUrls = new ConcurrentHashMap<>();
    private final AtomicLong refreshes = new AtomicLong();

    private record CachedToken(String token, Instant expiresAt) {
    }

    /**
     * @param store           connection store (its refresh lock makes refreshes single-flight)
     * @param defaultTokenUrl token endpoint used when a connection row has none
     * @param refreshSkew     refresh this long before the access token expires
     * @param expiryWarning   warn when the refresh token expires within this period
     * @param connectTimeout  connect timeout of the token endpoint
     * @param requestTimeout  request timeout of the token endpoint
     * @param clock           time source
     */
    public OAuthTokenManager(QboConnectionStore store, String defaultTokenUrl, Duration refreshSkew,
                             Duration expiryWarning, Duration connectTimeout, Duration requestTimeout, Clock clock) {
        this.store = Objects.requireNonNull(store, "store");
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER).build();
        this.mapper = QboJson.newMapper();
        this.defaultTokenUrl = defaultTokenUrl;
        this.refreshSkew = refreshSkew;
        this.expiryWarning = expiryWarning;
        this.requestTimeout = requestTimeout;
        this.clock = clock;
    }

    @Override
    public String accessToken(String realmId) {
        CachedToken c = cache.get(realmId);
        if (fresh(c)) {
            return c.token();
        }
        ReentrantLock lock = locks.computeIfAbsent(realmId, k -> new ReentrantLock());
        lock.lock();
        try {
            c = cache.get(realmId);
            if (fresh(c)) {
                return c.token();
            }
            return obtain(realmId, null);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public String refreshAfterRejection(String realmId, String rejectedAccessToken) {
        ReentrantLock lock = locks.computeIfAbsent(realmId, k -> new ReentrantLock());
        lock.lock();
        try {
            CachedToken c = cache.get(realmId);
            if (fresh(c) && !c.token().equals(rejectedAccessToken)) {
                return c.token(); // another thread refreshed while this one was waiting
            }
            cache.remove(realmId);
            return obtain(realmId, rejectedAccessToken);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public Optional<String> apiBaseUrl(String realmId) {
        String url = baseUrls.get(realmId);
        if (url == null) {
            url = store.find(realmId).map(QboConnection::apiBaseUrl).orElse(null);
            if (url != null) {
                baseUrls.put(realmId, url);
            }
        }
        return Optional.ofNullable(url);
    }

    /** Number of calls made to a token endpoint by this manager (successful or not). */
    public long refreshCount() {
        return refreshes.get();
    }

    /** Forgets cached tokens and base URL of a realm, e.g. after an operator reconnected it. */
    public void evict(String realmId) {
        cache.remove(realmId);
        baseUrls.remove(realmId);
    }

    /**
     * Checks every stored connection: logs a warning for connections that are not CONNECTED and for refresh tokens
     * whose rolling or hard expiry falls within the warning period. Returns the connections needing attention.
     * Meant to be run daily (e.g. from a Quartz route).
     */
    public List<QboConnectionSummary> checkConnections() {
        List<QboConnectionSummary> attention = new ArrayList<>();
        for (QboConnectionSummary s : store.listSummaries()) {
            if (s.status() != QboConnectionStatus.CONNECTED) {
                LOG.warn("QBO connection for realm {} is {} ({}); an operator must reconnect it", s.realmId(),
                        s.status(), s.statusReason());
                attention.add(s);
            } else if (refreshExpiresSoon(s)) {
                warnExpiry(s.realmId(), s.refreshExpiresAt(), s.refreshHardExpiresAt(), true);
                attention.add(s);
            }
        }
        return attention;
    }

    /** Every stored connection, without secrets, for the operations views. */
    public List<QboConnectionSummary> connections() {
        return store.listSummaries();
    }

    /** True when the connection is not CONNECTED, or its refresh token expires within the warning period. */
    public boolean needsAttention(QboConnectionSummary s) {
        return s.status() != QboConnectionStatus.CONNECTED || refreshExpiresSoon(s);
    }

    private boolean refreshExpiresSoon(QboConnectionSummary s) {
        Instant horizon = clock.instant().plus(expiryWarning);
        return expiresBefore(s.refreshExpiresAt(), horizon) || expiresBefore(s.refreshHardExpiresAt(), horizon);
    }

    // ---------------------------------------------------------------- internals

    private boolean fresh(CachedToken c) {
        return c != null && c.expiresAt() != null && clock.instant().plus(refreshSkew).isBefore(c.expiresAt());
    }

    private boolean fresh(Instant expiresAt) {
        return expiresAt != null && clock.instant().plus(refreshSkew).isBefore(expiresAt);
    }

    private sealed interface Outcome permits Token, Expired, NotConnected {
    }

    private record Token(String accessToken, Instant expiresAt, QboConnection connection) implements Outcome {
    }

    private record Expired(String reason) implements Outcome {
    }

    private record NotConnected(QboConnection connection) implements Outcome {
    }

    /** Called with the realm's JVM lock held. */
    private String obtain(String realmId, String rejected) {
        Outcome outcome = store.inRefreshLock(realmId, locked -> {
            QboConnection conn = locked.orElseThrow(() -> new QboFaultException(0,
                    "OAUTH", List.of(new QboError("NO_CONNECTION", "No QBO connection stored for realm " + realmId,
                    null, null)), null, null, false, realmId, null, null));
            if (conn.status() != QboConnectionStatus.CONNECTED) {
                return new NotConnected(conn);
            }
            if (conn.accessToken() != null && !conn.accessToken().equals(rejected) && fresh(conn.accessExpiresAt())) {
                return new Token(conn.accessToken(), conn.accessExpiresAt(), conn); // stored token still good
            }
            return refresh(conn);
        });
        if (outcome instanceof Token t) {
            cache.put(realmId, new CachedToken(t.accessToken(), t.expiresAt()));
            baseUrls.put(realmId, t.connection().apiBaseUrl());
            warnExpiry(realmId, t.connection().refreshExpiresAt(), t.connection().refreshHardExpiresAt(), false);
            return t.accessToken();
        }
        cache.remove(realmId);
        if (outcome instanceof Expired e) {
            throw new QboConnectionExpiredException(realmId, "invalid_grant", e.reason());
        }
        QboConnection c = ((NotConnected) outcome).connection();
        throw new QboConnectionExpiredException(realmId, c.status().name(),
                "connection is " + c.status() + (c.statusReason() == null ? "" : ": " + c.statusReason()));
    }

    /** Runs inside the row-locking transaction; persists the answer there. */
    private Outcome refresh(QboConnection conn) {
        String realmId = conn.realmId();
        String tokenUrl = conn.tokenUrl() != null ? conn.tokenUrl() : defaultTokenUrl;
        String form = "grant_type=refresh_token&refresh_token="
                + URLEncoder.encode(conn.refreshToken(), StandardCharsets.UTF_8);
        String basic = Base64.getEncoder().encodeToString(
                (conn.clientId() + ":" + conn.clientSecret()).getBytes(StandardCharsets.UTF_8));
        HttpRequest request = HttpRequest.newBuilder(URI.create(tokenUrl))
                .timeout(requestTimeout)
                .header("Authorization", "Basic " + basic)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json")
                .header("x-include-refresh-token-hard-expires-in", "true")
                .POST(HttpRequest.BodyPublishers.ofString(form))
                .build();
        Instant sentAt = clock.instant();
        HttpResponse<byte[]> resp;
        refreshes.incrementAndGet();
        try {
            resp = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new QboTransportException(0, "token endpoint unreachable", false, null, realmId, null, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new QboTransportException(0, "interrupted during token refresh", false, null, realmId, null, e);
        }
        JsonNode json = readJson(resp.body());
        String error = text(json, "error");
        if (resp.statusCode() == 200 && text(json, "access_token") != null) {
            String access = text(json, "access_token");
            String refresh = text(json, "refresh_token") != null ? text(json, "refresh_token") : conn.refreshToken();
            Instant accessExp = sentAt.plusSeconds(longOr(json, "expires_in", 3600));
            Instant refreshExp = json.has("x_refresh_token_expires_in")
                    ? sentAt.plusSeconds(json.get("x_refresh_token_expires_in").asLong()) : conn.refreshExpiresAt();
            Instant hardExp = json.has("x_refresh_token_hard_expires_in")
                    ? sentAt.plusSeconds(json.get("x_refresh_token_hard_expires_in").asLong()) : null;
            store.updateTokens(realmId, access, accessExp, refresh, refreshExp, hardExp);
            boolean rotated = !refresh.equals(conn.refreshToken());
            LOG.info("Refreshed QBO access token for realm {} (refresh token {}; access valid until {})", realmId,
                    rotated ? "rotated" : "unchanged", accessExp);
            QboConnection updated = new QboConnection(realmId, conn.environment(), conn.apiBaseUrl(),
                    conn.tokenUrl(), conn.clientId(), conn.clientSecret(), refresh, access, accessExp, refreshExp,
                    hardExp != null ? hardExp : conn.refreshHardExpiresAt(), QboConnectionStatus.CONNECTED, null,
                    conn.createdAt(), sentAt, sentAt);
            return new Token(access, accessExp, updated);
        }
        String description = QboFaultException.redact(text(json, "error_description"));
        if ("invalid_grant".equals(error)) {
            String reason = "token endpoint answered invalid_grant at " + sentAt
                    + (description == null ? "" : " (" + description + ")");
            store.updateStatus(realmId, QboConnectionStatus.EXPIRED, reason);
            LOG.error("QBO connection for realm {} EXPIRED: refresh token refused (invalid_grant). An operator must"
                    + " reconnect the company.", realmId);
            return new Expired(reason);
        }
        int status = resp.statusCode();
        FaultClass cls = status >= 500 || status == 429 ? FaultClass.TRANSIENT : FaultClass.AUTH;
        String code = error != null ? error : "HTTP_" + status;
        LOG.warn("QBO token refresh for realm {} failed: HTTP {} {}", realmId, status, code);
        throw new TokenEndpointException(status, code, description, cls, realmId);
    }

    private void warnExpiry(String realmId, Instant rolling, Instant hard, boolean force) {
        Instant now = clock.instant();
        Instant horizon = now.plus(expiryWarning);
        boolean soon = expiresBefore(rolling, horizon) || expiresBefore(hard, horizon);
        if (!soon) {
            return;
        }
        Instant last = lastWarned.get(realmId);
        if (!force && last != null && last.plus(WARN_EVERY).isAfter(now)) {
            return;
        }
        lastWarned.put(realmId, now);
        LOG.warn("QBO refresh token of realm {} expires soon (rolling expiry {}, hard expiry {}); reconnect the"
                + " company before then", realmId, rolling, hard);
    }

    private static boolean expiresBefore(Instant expiry, Instant horizon) {
        return expiry != null && expiry.isBefore(horizon);
    }

    private JsonNode readJson(byte[] body) {
        try {
            JsonNode n = mapper.readTree(body);
            return n == null ? mapper.createObjectNode() : n;
        } catch (IOException e) {
            return mapper.createObjectNode();
        }
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n == null ? null : n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static long longOr(JsonNode n, String field, long fallback) {
        JsonNode v = n.get(field);
        return v == null || !v.canConvertToLong() ? fallback : v.asLong();
    }

    /** A token endpoint error other than {@code invalid_grant} ({@code invalid_client}, 5xx…). */
    public static final class TokenEndpointException extends QboFaultException {
        private static final long serialVersionUID = 1L;

        TokenEndpointException(int status, String code, String description, FaultClass cls, String realmId) {
            super(status, "OAUTH", List.of(new QboError(code, "QBO token refresh failed", description, null)),
                    null, null, cls, false, realmId, null, null);
        }
    }
}
