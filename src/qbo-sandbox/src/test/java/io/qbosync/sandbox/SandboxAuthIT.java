package io.qbosync.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** API authentication (401/3200, 403/3100) and the OAuth endpoints: refresh rotation, codes, revoke. */
class SandboxAuthIT {
    @TempDir
    static Path dir;
    static final MutableClock CLOCK = new MutableClock();
    static QboSandbox sandbox;
    static SandboxClient client;
    SandboxClient.Realm realm;

    @BeforeAll
    static void start() {
        sandbox = QboSandbox.start(SandboxSettings.ephemeral(dir).withClock(CLOCK));
        client = new SandboxClient(sandbox.baseUrl());
    }

    @AfterAll
    static void stop() {
        sandbox.close();
    }

    @BeforeEach
    void newRealm() {
        realm = client.createRealm("Auth");
    }

    private static void assert401(SandboxClient.Res r, String detail) {
        assertThat(r.status()).isEqualTo(401);
        assertThat(r.header("WWW-Authenticate")).isEqualTo("Bearer realm=\"Intuit\", error=\"invalid_token\"");
        assertThat(r.header("intuit_tid")).isNotBlank();
        JsonNode err = r.json().path("fault").path("error").get(0);
        assertThat(err.get("code").asText()).isEqualTo("3200");
        assertThat(err.get("message").asText()).isEqualTo("message=AuthenticationFailed; errorCode=003200; statusCode=401");
        assertThat(r.json().path("fault").path("type").asText()).isEqualTo("AUTHENTICATION");
        assertThat(r.json().has("batchItemResponse")).isTrue();
        assertThat(r.json().get("time").isNumber()).isTrue();
        if (detail != null) {
            assertThat(err.get("detail").asText()).startsWith(detail);
        }
    }

    @Test
    void missingMalformedAndUnknownTokensAre401() {
        assert401(client.get(realm.id(), null, "/customer/1"), null);
        assert401(client.get(realm.id(), "short", "/customer/1"), "Malformed bearer token");
        assert401(client.get(realm.id(), "sbx.at.this-token-was-never-issued-by-anyone", "/customer/1"), "Token invalid");
        assert401(client.post(realm.id(), "x".repeat(30), "/batch", "{}"), null);
    }

    @Test
    void tokenOfAnotherRealmOrUnknownRealmIs403() {
        SandboxClient.Realm other = client.createRealm("Other");
        SandboxClient.Res r = client.get(other.id(), realm.accessToken(), "/companyinfo/" + other.id());
        assertThat(r.status()).isEqualTo(403);
        assertThat(r.header("intuit_tid")).isNotBlank();
        JsonNode err = r.json().path("fault").path("error").get(0);
        assertThat(err.get("code").asText()).isEqualTo("3100");
        assertThat(err.get("message").asText()).isEqualTo("message=ApplicationAuthorizationFailed; errorCode=003100; statusCode=403");
        assertThat(client.get("9999999999999999", realm.accessToken(), "/companyinfo/9999999999999999").status()).isEqualTo(403);
    }

    @Test
    void accessTokensExpireAndRefreshRotates() {
        assertThat(client.get(realm, "/companyinfo/" + realm.id()).status()).isEqualTo(200);
        CLOCK.advance(Duration.ofSeconds(3601));
        assert401(client.get(realm, "/companyinfo/" + realm.id()), "Token expired");

        SandboxClient.Res first = client.refresh(realm, realm.refreshToken());
        assertThat(first.status()).as(first.body()).isEqualTo(200);
        JsonNode t1 = first.json();
        assertThat(t1.get("token_type").asText()).isEqualTo("bearer");
        assertThat(t1.get("expires_in").asLong()).isEqualTo(3600);
        assertThat(t1.get("x_refresh_token_expires_in").asLong()).isEqualTo(100L * 24 * 3600);
        assertThat(t1.has("x_refresh_token_hard_expires_in")).isFalse();
        assertThat(first.header("Cache-Control")).isEqualTo("no-store");
        String rt2 = t1.get("refresh_token").asText();
        assertThat(rt2).isNotEqualTo(realm.refreshToken());
        assertThat(client.get(realm.id(), t1.get("access_token").asText(), "/companyinfo/" + realm.id()).status()).isEqualTo(200);

        SandboxClient.Res superseded = client.refresh(realm, realm.refreshToken());
        assertThat(superseded.status()).isEqualTo(400);
        assertThat(superseded.json().get("error").asText()).isEqualTo("invalid_grant");

        SandboxClient.Res second = client.token(realm.clientId(), realm.clientSecret(),
                "grant_type=refresh_token&refresh_token=" + URLEncoder.encode(rt2, StandardCharsets.UTF_8), true);
        assertThat(second.status()).isEqualTo(200);
        long hard = second.json().get("x_refresh_token_hard_expires_in").asLong();
        assertThat(hard).isBetween(5L * 365 * 24 * 3600 - 7200, 5L * 365 * 24 * 3600);
    }

    @Test
    void graceAndDisabledRotationAreConfigurable() {
        client.admin("PUT", "/sandbox/realms/" + realm.id() + "/faults", "{\"rotateRefreshToken\":{\"graceSeconds\":60}}");
        String rt2 = client.refresh(realm, realm.refreshToken()).json().get("refresh_token").asText();
        SandboxClient.Res inGrace = client.refresh(realm, realm.refreshToken());
        assertThat(inGrace.status()).isEqualTo(200);
        CLOCK.advance(Duration.ofSeconds(61));
        assertThat(client.refresh(realm, realm.refreshToken()).json().get("error").asText()).isEqualTo("invalid_grant");
        String latest = inGrace.json().get("refresh_token").asText();
        assertThat(client.refresh(realm, latest).status()).isEqualTo(200);
        assertThat(rt2).isNotEqualTo(latest);

        SandboxClient.Realm fixed = client.createRealm("Fixed");
        client.admin("PUT", "/sandbox/realms/" + fixed.id() + "/faults", "{\"rotateRefreshToken\":false}");
        SandboxClient.Res same = client.refresh(fixed, fixed.refreshToken());
        assertThat(same.json().get("refresh_token").asText()).isEqualTo(fixed.refreshToken());
        assertThat(client.refresh(fixed, fixed.refreshToken()).status()).isEqualTo(200);
    }

    @Test
    void badClientCredentialsAreInvalidClient() {
        SandboxClient.Res r = client.token(realm.clientId(), "wrong-secret", "grant_type=refresh_token&refresh_token="
                + URLEncoder.encode(realm.refreshToken(), StandardCharsets.UTF_8));
        assertThat(r.status()).isEqualTo(401);
        assertThat(r.json().get("error").asText()).isEqualTo("invalid_client");
        SandboxClient.Res grant = client.token(realm.clientId(), realm.clientSecret(), "grant_type=password");
        assertThat(grant.json().get("error").asText()).isEqualTo("unsupported_grant_type");
        // A valid refresh token presented by another app is not accepted.
        SandboxClient.Realm other = client.createRealm("Other App");
        SandboxClient.Res foreign = client.token(other.clientId(), other.clientSecret(), "grant_type=refresh_token&refresh_token="
                + URLEncoder.encode(realm.refreshToken(), StandardCharsets.UTF_8));
        assertThat(foreign.json().get("error").asText()).isEqualTo("invalid_grant");
    }

    @Test
    void authorizationCodeFlow() {
        String redirect = "http://localhost:9/callback";
        SandboxClient.Res page = client.send(HttpRequest.newBuilder(URI.create(client.base + "/connect/oauth2?client_id="
                + realm.clientId() + "&response_type=code&scope=com.intuit.quickbooks.accounting&state=xyz&redirect_uri="
                + URLEncoder.encode(redirect, StandardCharsets.UTF_8))).GET());
        assertThat(page.status()).isEqualTo(302);
        URI location = URI.create(page.header("Location"));
        assertThat(location.toString()).startsWith(redirect + "?");
        Map<String, String> q = new HashMap<>();
        for (String kv : location.getRawQuery().split("&")) {
            String[] p = kv.split("=", 2);
            q.put(p[0], java.net.URLDecoder.decode(p[1], StandardCharsets.UTF_8));
        }
        assertThat(q.get("state")).isEqualTo("xyz");
        assertThat(q.get("realmId")).isEqualTo(realm.id());
        String form = "grant_type=authorization_code&code=" + URLEncoder.encode(q.get("code"), StandardCharsets.UTF_8)
                + "&redirect_uri=" + URLEncoder.encode(redirect, StandardCharsets.UTF_8);
        SandboxClient.Res tokens = client.token(realm.clientId(), realm.clientSecret(), form);
        assertThat(tokens.status()).as(tokens.body()).isEqualTo(200);
        assertThat(client.get(realm.id(), tokens.json().get("access_token").asText(), "/preferences").status()).isEqualTo(200);
        assertThat(client.token(realm.clientId(), realm.clientSecret(), form).json().get("error").asText())
                .isEqualTo("invalid_grant");

        SandboxClient.Res page2 = client.send(HttpRequest.newBuilder(URI.create(client.base + "/connect/oauth2?client_id="
                + realm.clientId() + "&response_type=code&scope=com.intuit.quickbooks.accounting&redirect_uri="
                + URLEncoder.encode(redirect, StandardCharsets.UTF_8))).GET());
        String code2 = page2.header("Location").replaceAll(".*code=([^&]+).*", "$1");
        SandboxClient.Res mismatch = client.token(realm.clientId(), realm.clientSecret(), "grant_type=authorization_code&code="
                + code2 + "&redirect_uri=" + URLEncoder.encode("http://localhost:9/other", StandardCharsets.UTF_8));
        assertThat(mismatch.json().get("error").asText()).isEqualTo("invalid_grant");

        SandboxClient.Res noScope = client.send(HttpRequest.newBuilder(URI.create(client.base + "/connect/oauth2?client_id="
                + realm.clientId() + "&response_type=code&scope=openid&redirect_uri="
                + URLEncoder.encode(redirect, StandardCharsets.UTF_8))).GET());
        assertThat(noScope.header("Location")).contains("error=invalid_scope");
        SandboxClient.Res unknownClient = client.send(HttpRequest.newBuilder(URI.create(client.base
                + "/connect/oauth2?client_id=nobody&response_type=code&redirect_uri=" + redirect)).GET());
        assertThat(unknownClient.status()).isEqualTo(400);
    }

    @Test
    void revokeKillsTheGrant() {
        SandboxClient.Res r = client.send(HttpRequest.newBuilder(URI.create(client.base + "/v2/oauth2/tokens/revoke"))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                        (realm.clientId() + ":" + realm.clientSecret()).getBytes(StandardCharsets.UTF_8)))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"token\":\"" + realm.refreshToken() + "\"}")));
        assertThat(r.status()).isEqualTo(200);
        assert401(client.get(realm, "/companyinfo/" + realm.id()), "Token revoked");
        assertThat(client.refresh(realm, realm.refreshToken()).json().get("error").asText()).isEqualTo("invalid_grant");
    }

    @Test
    void revokeTokensFaultInvalidatesEverythingUntilNewTokensAreIssued() {
        SandboxClient.Res f = client.admin("PUT", "/sandbox/realms/" + realm.id() + "/faults", "{\"revokeTokens\":true}");
        assertThat(f.json().get("revokedTokens").asInt()).isEqualTo(2);
        assert401(client.get(realm, "/companyinfo/" + realm.id()), null);
        assertThat(client.refresh(realm, realm.refreshToken()).json().get("error").asText()).isEqualTo("invalid_grant");
        SandboxClient.Res fresh = client.admin("POST", "/sandbox/realms/" + realm.id() + "/tokens", "");
        assertThat(fresh.status()).isEqualTo(201);
        assertThat(client.get(realm.id(), fresh.json().get("accessToken").asText(), "/companyinfo/" + realm.id()).status())
                .isEqualTo(200);
        assertThat(client.refresh(realm, fresh.json().get("refreshToken").asText()).status()).isEqualTo(200);
    }
}
