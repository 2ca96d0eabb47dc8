package io.qbosync.sandbox;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * OAuth state: app clients, authorization codes, access and refresh tokens (stored as SHA-256 hashes only).
 * Refresh-token rotation follows the realm's fault settings: by default every refresh returns a new refresh
 * token and the superseded one fails with {@code invalid_grant} once its grace period (default 0 s) is over.
 */
final class TokenService {
    static final long REFRESH_TTL_SECONDS = 100L * 24 * 3600;
    static final long HARD_EXPIRY_SECONDS = 5L * 365 * 24 * 3600;
    static final long CODE_TTL_SECONDS = 600;
    static final String ACCESS = "A";
    static final String REFRESH = "R";
    static final String CODE = "C";

    /** Why a bearer token was refused: 401 (3200) or 403 (3100). */
    record AuthFailure(int status, String detail) {
    }

    /** A token-endpoint error: {@code {"error": …}} with its HTTP status. */
    static final class OAuthError extends RuntimeException {
        final int status;
        final String error;

        OAuthError(int status, String error) {
            super(error, null, false, false);
            this.status = status;
            this.error = error;
        }
    }

    /** A freshly issued pair, raw values (only ever returned to the caller, never stored or logged). */
    record Issued(String realmId, String accessToken, String refreshToken, long expiresIn, long refreshExpiresIn,
                  long hardExpiresIn) {
        ObjectNode tokenResponse(boolean includeHardExpiry) {
            ObjectNode o = Json.object();
            o.put("token_type", "bearer");
            o.put("access_token", accessToken);
            o.put("expires_in", expiresIn);
            o.put("refresh_token", refreshToken);
            o.put("x_refresh_token_expires_in", refreshExpiresIn);
            if (includeHardExpiry) {
                o.put("x_refresh_token_hard_expires_in", hardExpiresIn);
            }
            return o;
        }
    }

    private static final SecureRandom RANDOM = new SecureRandom();

    private final SandboxStore store;
    private final CompanyClock clock;
    private final Duration accessTtl;
    private final Function<String, FaultSettings> settings;
    private final Function<String, String> realmClient;
    private final Map<String, SandboxStore.TokenRow> tokens = new ConcurrentHashMap<>();
    private final Map<String, String> clients = new ConcurrentHashMap<>();

    /**
     * @param settings    the effective fault settings of a realm (rotation and grace)
     * @param realmClient the client id owning a realm, or null when the realm is gone
     */
    TokenService(SandboxStore store, CompanyClock clock, Duration accessTtl, Function<String, FaultSettings> settings,
                 Function<String, String> realmClient) {
        this.store = store;
        this.clock = clock;
        this.accessTtl = accessTtl;
        this.settings = settings;
        this.realmClient = realmClient;
        store.purgeTokens(clock.nowMillis() - Duration.ofDays(1).toMillis());
        for (SandboxStore.TokenRow t : store.loadTokens()) {
            tokens.put(t.hash(), t);
        }
        for (String[] c : store.loadClients()) {
            clients.put(c[0], c[1]);
        }
    }

    // ---- clients ----

    /** Registers (or re-keys) an app client. */
    void registerClient(String clientId, String clientSecret) {
        String hash = hash(clientSecret);
        store.upsertClient(clientId, hash);
        clients.put(clientId, hash);
    }

    boolean knowsClient(String clientId) {
        return clients.containsKey(clientId);
    }

    /** Whether {@code clientId} exists with this secret (constant-time compare of the hashes). */
    boolean verifyClient(String clientId, String clientSecret) {
        String expected = clientId == null ? null : clients.get(clientId);
        return expected != null && clientSecret != null && MessageDigest.isEqual(
                expected.getBytes(StandardCharsets.US_ASCII), hash(clientSecret).getBytes(StandardCharsets.US_ASCII));
    }

    static String newSecret() {
        return random(30);
    }

    static String newClientId() {
        return "SBX" + random(24).replace('-', 'x').replace('_', 'y');
    }

    // ---- API authentication ----

    /** Checks {@code Authorization} for a call on {@code realmId}; null when accepted. */
    AuthFailure authenticate(String authorization, String realmId) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return new AuthFailure(401, "Authorization header missing or not a bearer token");
        }
        String token = authorization.substring(7).trim();
        if (token.length() < 20 || token.length() > 4096) {
            return new AuthFailure(401, "Malformed bearer token: too short or too long");
        }
        SandboxStore.TokenRow t = tokens.get(hash(token));
        if (t == null || !ACCESS.equals(t.kind())) {
            return new AuthFailure(401, "Token invalid");
        }
        if (t.revoked()) {
            return new AuthFailure(401, "Token revoked");
        }
        if (clock.nowMillis() >= t.expiresMs()) {
            return new AuthFailure(401, "Token expired");
        }
        if (!t.realmId().equals(realmId) || realmClient.apply(realmId) == null) {
            return new AuthFailure(403, null);
        }
        return null;
    }

    // ---- grants ----

    /** A new grant (access + refresh token) for a realm, as after a completed authorization. */
    synchronized Issued issue(String realmId) {
        long now = clock.nowMillis();
        String grant = UUID.randomUUID().toString();
        List<SandboxStore.TokenRow> rows = new ArrayList<>();
        String access = newToken(ACCESS, realmId, grant, now, now + accessTtl.toMillis(), now, null, rows);
        String refresh = newToken(REFRESH, realmId, grant, now, now + REFRESH_TTL_SECONDS * 1000, now, null, rows);
        store.saveTokens(rows);
        return issued(realmId, access, refresh, now, now + REFRESH_TTL_SECONDS * 1000, now);
    }

    /** {@code grant_type=refresh_token}. */
    synchronized Issued refresh(String clientId, String clientSecret, String refreshToken) {
        checkClient(clientId, clientSecret);
        long now = clock.nowMillis();
        SandboxStore.TokenRow old = refreshToken == null ? null : tokens.get(hash(refreshToken));
        if (old == null || !REFRESH.equals(old.kind()) || old.revoked() || now >= old.expiresMs()
                || !clientId.equals(realmClient.apply(old.realmId()))) {
            throw new OAuthError(400, "invalid_grant");
        }
        FaultSettings s = settings.apply(old.realmId());
        if (old.supersededMs() != null && now > old.supersededMs() + s.refreshGraceSeconds() * 1000) {
            throw new OAuthError(400, "invalid_grant");
        }
        List<SandboxStore.TokenRow> rows = new ArrayList<>();
        String access = newToken(ACCESS, old.realmId(), old.grantId(), now, now + accessTtl.toMillis(),
                old.grantCreatedMs(), null, rows);
        String refresh;
        long refreshExpires = now + REFRESH_TTL_SECONDS * 1000;
        if (s.rotateRefreshToken()) {
            // Every still-current refresh token of the grant is superseded by the new one.
            for (SandboxStore.TokenRow t : tokens.values()) {
                if (t.grantId().equals(old.grantId()) && REFRESH.equals(t.kind()) && t.supersededMs() == null) {
                    put(withSuperseded(t, now), rows);
                }
            }
            refresh = newToken(REFRESH, old.realmId(), old.grantId(), now, refreshExpires, old.grantCreatedMs(),
                    null, rows);
        } else {
            refresh = refreshToken;
            put(new SandboxStore.TokenRow(old.hash(), old.realmId(), old.grantId(), old.kind(), old.issuedMs(),
                    refreshExpires, old.supersededMs(), false, null, old.grantCreatedMs()), rows);
        }
        store.saveTokens(rows);
        return issued(old.realmId(), access, refresh, now, refreshExpires, old.grantCreatedMs());
    }

    /** A single-use authorization code for the consent page. */
    synchronized String createCode(String realmId, String redirectUri) {
        long now = clock.nowMillis();
        List<SandboxStore.TokenRow> rows = new ArrayList<>();
        String code = newToken(CODE, realmId, UUID.randomUUID().toString(), now, now + CODE_TTL_SECONDS * 1000, now,
                redirectUri, rows);
        store.saveTokens(rows);
        return code;
    }

    /** {@code grant_type=authorization_code}: the code is used up even when the exchange fails later. */
    synchronized Issued exchangeCode(String clientId, String clientSecret, String code, String redirectUri) {
        checkClient(clientId, clientSecret);
        SandboxStore.TokenRow c = code == null ? null : tokens.get(hash(code));
        long now = clock.nowMillis();
        if (c == null || !CODE.equals(c.kind()) || c.revoked() || now >= c.expiresMs()
                || !clientId.equals(realmClient.apply(c.realmId()))) {
            throw new OAuthError(400, "invalid_grant");
        }
        List<SandboxStore.TokenRow> rows = new ArrayList<>();
        put(revoked(c), rows);
        store.saveTokens(rows);
        if (c.redirectUri() != null && !c.redirectUri().equals(redirectUri)) {
            throw new OAuthError(400, "invalid_grant");
        }
        return issue(c.realmId());
    }

    /** RFC 7009-style revoke: kills the whole grant of the given access or refresh token. */
    synchronized void revoke(String clientId, String clientSecret, String token) {
        checkClient(clientId, clientSecret);
        SandboxStore.TokenRow t = token == null ? null : tokens.get(hash(token));
        if (t == null || !clientId.equals(realmClient.apply(t.realmId()))) {
            return; // unknown tokens are "revoked" already
        }
        List<SandboxStore.TokenRow> rows = new ArrayList<>();
        for (SandboxStore.TokenRow x : tokens.values()) {
            if (x.grantId().equals(t.grantId()) && !x.revoked()) {
                put(revoked(x), rows);
            }
        }
        if (!rows.isEmpty()) {
            store.saveTokens(rows);
        }
    }

    /** Revokes every token of a realm (fault injection "revokeTokens"). */
    synchronized int revokeRealm(String realmId) {
        List<SandboxStore.TokenRow> rows = new ArrayList<>();
        for (SandboxStore.TokenRow x : tokens.values()) {
            if (x.realmId().equals(realmId) && !x.revoked()) {
                put(revoked(x), rows);
            }
        }
        if (!rows.isEmpty()) {
            store.saveTokens(rows);
        }
        return rows.size();
    }

    synchronized void forgetRealm(String realmId) {
        tokens.values().removeIf(t -> t.realmId().equals(realmId));
    }

    private void checkClient(String clientId, String clientSecret) {
        if (!verifyClient(clientId, clientSecret)) {
            throw new OAuthError(401, "invalid_client");
        }
    }

    private Issued issued(String realmId, String access, String refresh, long now, long refreshExpires,
                          long grantCreated) {
        long hard = Math.max(0, (grantCreated + HARD_EXPIRY_SECONDS * 1000 - now) / 1000);
        return new Issued(realmId, access, refresh, accessTtl.toSeconds(), (refreshExpires - now) / 1000, hard);
    }

    private String newToken(String kind, String realmId, String grant, long now, long expires, long grantCreated,
                            String redirectUri, List<SandboxStore.TokenRow> rows) {
        String raw = switch (kind) {
            case ACCESS -> "sbx.at." + random(48);
            case REFRESH -> "RT1-" + random(36);
            default -> "sbx-code-" + random(24);
        };
        put(new SandboxStore.TokenRow(hash(raw), realmId, grant, kind, now, expires, null, false, redirectUri,
                grantCreated), rows);
        return raw;
    }

    private void put(SandboxStore.TokenRow row, List<SandboxStore.TokenRow> rows) {
        tokens.put(row.hash(), row);
        rows.add(row);
    }

    private static SandboxStore.TokenRow withSuperseded(SandboxStore.TokenRow t, long when) {
        return new SandboxStore.TokenRow(t.hash(), t.realmId(), t.grantId(), t.kind(), t.issuedMs(), t.expiresMs(),
                when, t.revoked(), t.redirectUri(), t.grantCreatedMs());
    }

    private static SandboxStore.TokenRow revoked(SandboxStore.TokenRow t) {
        return new SandboxStore.TokenRow(t.hash(), t.realmId(), t.grantId(), t.kind(), t.issuedMs(), t.expiresMs(),
                t.supersededMs(), true, t.redirectUri(), t.grantCreatedMs());
    }

    static String hash(String raw) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(raw.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String random(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }
}
