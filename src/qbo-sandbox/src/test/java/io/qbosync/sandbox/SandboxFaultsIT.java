package io.qbosync.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Every fault-injection knob over real HTTP, per realm and as the global default. */
class SandboxFaultsIT extends RunningSandbox {
    SandboxClient.Realm realm;

    @BeforeEach
    void newRealm() {
        realm = client.createRealm("Faults");
    }

    @AfterEach
    void clearGlobal() {
        client.admin("DELETE", "/sandbox/faults", null);
    }

    private JsonNode faults(String json) {
        SandboxClient.Res r = client.admin("PUT", "/sandbox/realms/" + realm.id() + "/faults", json);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json();
    }

    private int customers() {
        return client.query(realm, "select count(*) from Customer where Active in (true,false)")
                .json().path("QueryResponse").path("totalCount").asInt();
    }

    @Test
    void defaultsAreNoFaultsAndSettingsAreValidated() {
        JsonNode get = client.admin("GET", "/sandbox/realms/" + realm.id() + "/faults", null).json();
        assertThat(get.get("inherited").asBoolean()).isTrue();
        JsonNode f = get.get("faults");
        assertThat(f.get("latencyMs").asInt()).isZero();
        assertThat(f.get("error5xxRate").asDouble()).isZero();
        assertThat(f.get("enforceLimits").asBoolean()).isFalse();
        assertThat(f.path("rotateRefreshToken").path("enabled").asBoolean()).isTrue();
        assertThat(f.path("rotateRefreshToken").path("graceSeconds").asInt()).isZero();
        assertThat(client.admin("PUT", "/sandbox/realms/" + realm.id() + "/faults", "{\"error5xxRate\":2}").status()).isEqualTo(400);
        assertThat(client.admin("PUT", "/sandbox/realms/" + realm.id() + "/faults", "{\"bogus\":1}").status()).isEqualTo(400);
    }

    @Test
    void latencyDelaysApiAnswers() {
        faults("{\"latencyMs\":300}");
        long t0 = System.nanoTime();
        assertThat(client.get(realm, "/preferences").status()).isEqualTo(200);
        assertThat((System.nanoTime() - t0) / 1_000_000).isGreaterThanOrEqualTo(300);
        JsonNode cleared = client.admin("DELETE", "/sandbox/realms/" + realm.id() + "/faults", null).json();
        assertThat(cleared.get("faults").get("latencyMs").asInt()).isZero();
    }

    @Test
    void error5xxAnswersHtmlWithoutWriting() {
        faults("{\"error5xxRate\":1.0}");
        SandboxClient.Res r = client.post(realm, "/customer", "{\"DisplayName\":\"Never\"}");
        assertThat(r.status()).isIn(500, 503);
        assertThat(r.header("Content-Type")).startsWith("text/html");
        assertThat(r.header("intuit_tid")).isNotBlank();
        assertThat(r.body()).contains("<html>");
        faults("{\"error5xxRate\":0}");
        assertThat(customers()).isZero();
    }

    @Test
    void timeoutAfterCommitDropsTheAnswerButKeepsTheWrite() {
        faults("{\"timeoutAfterCommitRate\":1.0}");
        assertThatThrownBy(() -> client.post(realm, "/customer?requestid=drop-1", "{\"DisplayName\":\"Ghost\"}"))
                .isInstanceOf(UncheckedIOException.class);
        faults("{\"timeoutAfterCommitRate\":0}");
        assertThat(customers()).isEqualTo(1);
        // The retry with the same requestid gets the original answer and does not write twice.
        SandboxClient.Res retry = client.post(realm, "/customer?requestid=drop-1", "{\"DisplayName\":\"Ghost\"}");
        assertThat(retry.status()).isEqualTo(200);
        assertThat(retry.json().path("Customer").path("DisplayName").asText()).isEqualTo("Ghost");
        assertThat(customers()).isEqualTo(1);
    }

    @Test
    void throttleBurstRefusesTheNextRequests() {
        faults("{\"throttleBurst\":2,\"retryAfterSeconds\":7}");
        for (int i = 0; i < 2; i++) {
            SandboxClient.Res r = client.get(realm, "/preferences");
            assertThat(r.status()).isEqualTo(429);
            assertThat(r.header("Retry-After")).isEqualTo("7");
            assertThat(r.header("intuit_tid")).isNotBlank();
            JsonNode err = r.json().path("fault").path("error").get(0);
            assertThat(err.get("code").asText()).isEqualTo("3001");
            assertThat(err.get("message").asText()).isEqualTo("message=ThrottleExceeded; errorCode=003001; statusCode=429");
        }
        assertThat(client.get(realm, "/preferences").status()).isEqualTo(200);
        assertThat(client.admin("GET", "/sandbox/realms/" + realm.id() + "/faults", null).json()
                .path("faults").path("throttleBurst").asInt()).isZero();

        faults("{\"throttleBurst\":1,\"throttleXml\":true,\"retryAfterSeconds\":null}");
        SandboxClient.Res xml = client.get(realm, "/preferences");
        assertThat(xml.status()).isEqualTo(429);
        assertThat(xml.header("Retry-After")).isNull();
        assertThat(xml.body()).contains("<Fault type=\"SERVICE\"><Error code=\"3001\">");
    }

    @Test
    void ignoreRequestIdTurnsReplayOff() {
        faults("{\"ignoreRequestId\":true}");
        String cust = client.create(realm, "Customer", "{\"DisplayName\":\"Payer\"}").get("Id").asText();
        String body = "{\"CustomerRef\":{\"value\":\"" + cust + "\"},\"Line\":[{\"Amount\":1,\"DetailType\":"
                + "\"SalesItemLineDetail\",\"SalesItemLineDetail\":{}}]}";
        String a = client.post(realm, "/invoice?requestid=same", body).json().path("Invoice").path("Id").asText();
        String b = client.post(realm, "/invoice?requestid=same", body).json().path("Invoice").path("Id").asText();
        assertThat(a).isNotEqualTo(b);
    }

    @Test
    void enforcedLimitsThrottlePerMinuteAndConcurrency() {
        faults("{\"enforceLimits\":true,\"requestsPerMinute\":3}");
        for (int i = 0; i < 3; i++) {
            assertThat(client.get(realm, "/preferences").status()).isEqualTo(200);
        }
        SandboxClient.Res fourth = client.get(realm, "/preferences");
        assertThat(fourth.status()).isEqualTo(429);
        assertThat(fourth.json().path("fault").path("error").get(0).get("code").asText()).isEqualTo("3001");

        SandboxClient.Realm other = client.createRealm("Concurrent");
        client.admin("PUT", "/sandbox/realms/" + other.id() + "/faults",
                "{\"enforceLimits\":true,\"maxConcurrent\":2,\"latencyMs\":1500}");
        List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            calls.add(client.http.sendAsync(HttpRequest.newBuilder(URI.create(client.base + "/v3/company/" + other.id()
                    + "/preferences")).header("Authorization", "Bearer " + other.accessToken()).build(),
                    HttpResponse.BodyHandlers.ofString()));
        }
        List<Integer> statuses = new ArrayList<>();
        calls.forEach(c -> statuses.add(c.join().statusCode()));
        assertThat(statuses).contains(429);
        assertThat(statuses.stream().filter(s -> s == 200).count()).isBetween(1L, 2L);
    }

    @Test
    void statsCountAcceptedAndThrottledCallsPerRealm() {
        JsonNode fresh = client.admin("GET", "/sandbox/realms/" + realm.id() + "/stats", null).json();
        assertThat(fresh.get("realmId").asText()).isEqualTo(realm.id());
        assertThat(fresh.get("accepted").asLong()).isZero();
        assertThat(fresh.get("throttled").asLong()).isZero();

        faults("{\"enforceLimits\":true,\"requestsPerMinute\":2}");
        for (int i = 0; i < 5; i++) {
            client.get(realm, "/preferences");
        }
        faults("{\"enforceLimits\":false,\"throttleBurst\":1}");
        assertThat(client.get(realm, "/preferences").status()).isEqualTo(429);
        assertThat(client.get(realm, "/preferences").status()).isEqualTo(200);
        // Calls refused before admission (bad token) are not counted.
        assertThat(client.http.sendAsync(HttpRequest.newBuilder(URI.create(client.base + "/v3/company/" + realm.id()
                + "/preferences")).header("Authorization", "Bearer nope").build(),
                HttpResponse.BodyHandlers.ofString()).join().statusCode()).isEqualTo(401);

        JsonNode stats = client.admin("GET", "/sandbox/realms/" + realm.id() + "/stats", null).json();
        assertThat(stats.get("accepted").asLong()).isEqualTo(3);
        assertThat(stats.get("throttled").asLong()).isEqualTo(4);
        assertThat(stats.get("inFlight").asInt()).isZero();
        SandboxClient.Realm other = client.createRealm("Quiet");
        assertThat(client.admin("GET", "/sandbox/realms/" + other.id() + "/stats", null).json().get("accepted").asLong())
                .isZero();
        assertThat(client.admin("POST", "/sandbox/realms/" + realm.id() + "/stats", null).status()).isEqualTo(405);

        // Every realm's counters in one reply, the same figures.
        JsonNode all = client.admin("GET", "/sandbox/stats", null).json().get("realms");
        java.util.Map<String, JsonNode> byRealm = new java.util.HashMap<>();
        all.forEach(r -> byRealm.put(r.get("realmId").asText(), r));
        assertThat(byRealm.get(realm.id()).get("accepted").asLong()).isEqualTo(3);
        assertThat(byRealm.get(realm.id()).get("throttled").asLong()).isEqualTo(4);
        assertThat(byRealm.get(other.id()).get("accepted").asLong()).isZero();
        assertThat(client.admin("POST", "/sandbox/stats", null).status()).isEqualTo(405);
    }

    @Test
    void randomSeedMakesRatesReproducible() {
        List<Integer> first = statuses("{\"error5xxRate\":0.5,\"randomSeed\":42}");
        List<Integer> second = statuses("{\"error5xxRate\":0.5,\"randomSeed\":42}");
        assertThat(second).isEqualTo(first);
        assertThat(first).contains(200).containsAnyOf(500, 503);
    }

    private List<Integer> statuses(String settings) {
        faults(settings);
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            out.add(client.get(realm, "/preferences").status());
        }
        return out;
    }

    @Test
    void globalDefaultAppliesToRealmsWithoutOwnSettings() {
        SandboxClient.Realm own = client.createRealm("Own Settings");
        client.admin("PUT", "/sandbox/realms/" + own.id() + "/faults", "{\"latencyMs\":0}");
        SandboxClient.Res g = client.admin("PUT", "/sandbox/faults", "{\"throttleBurst\":1}");
        assertThat(g.json().path("faults").path("throttleBurst").asInt()).isEqualTo(1);
        assertThat(client.get(own, "/preferences").status()).isEqualTo(200);
        assertThat(client.get(realm, "/preferences").status()).isEqualTo(429);
        assertThat(client.get(realm, "/preferences").status()).isEqualTo(200);
        client.admin("PUT", "/sandbox/faults", "{\"error5xxRate\":1}");
        assertThat(client.get(realm, "/preferences").status()).isIn(500, 503);
        assertThat(client.admin("DELETE", "/sandbox/faults", null).json().path("faults").path("error5xxRate").asDouble()).isZero();
        assertThat(client.get(realm, "/preferences").status()).isEqualTo(200);
    }
}
