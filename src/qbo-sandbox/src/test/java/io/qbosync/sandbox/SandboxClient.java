package io.qbosync.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

/** Test client over real HTTP (java.net.http) for the sandbox's API, OAuth and admin endpoints. */
final class SandboxClient {
    static final ObjectMapper MAPPER = new ObjectMapper();

    /** A response: status, headers and the body as text and (when JSON) as a tree. */
    record Res(int status, HttpResponse<String> raw) {
        JsonNode json() {
            try {
                return MAPPER.readTree(raw.body());
            } catch (IOException e) {
                throw new UncheckedIOException("not JSON: " + raw.body(), e);
            }
        }

        String body() {
            return raw.body();
        }

        String header(String name) {
            return raw.headers().firstValue(name).orElse(null);
        }

        /** The first error's code of a QBO fault (capitalised envelope). */
        String faultCode() {
            return json().path("Fault").path("Error").path(0).path("code").asText(null);
        }

        JsonNode error() {
            return json().path("Fault").path("Error").path(0);
        }
    }

    /** A realm created through the admin API. */
    record Realm(String id, String accessToken, String refreshToken, String clientId, String clientSecret) {
    }

    final String base;
    final HttpClient http;

    SandboxClient(String base) {
        this.base = base;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }

    Res send(HttpRequest.Builder b) {
        try {
            HttpResponse<String> r = http.send(b.timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return new Res(r.statusCode(), r);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    // ---- admin ----

    Realm createRealm(String name) {
        Res r = admin("POST", "/sandbox/realms", name == null ? "" : "{\"name\":\"" + name + "\"}");
        if (r.status() != 201) {
            throw new IllegalStateException("realm creation failed: " + r.status() + " " + r.body());
        }
        JsonNode j = r.json();
        return new Realm(j.get("realmId").asText(), j.get("accessToken").asText(), j.get("refreshToken").asText(),
                j.get("clientId").asText(), j.get("clientSecret").asText());
    }

    Res admin(String method, String path, String body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path));
        b.header("Content-Type", "application/json");
        b.method(method, body == null || body.isEmpty() ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body));
        return send(b);
    }

    // ---- API ----

    Res get(Realm realm, String path) {
        return get(realm.id(), realm.accessToken(), path);
    }

    Res get(String realmId, String token, String path) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + "/v3/company/" + realmId + path))
                .header("Accept", "application/json").GET();
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return send(b);
    }

    Res post(Realm realm, String path, String json) {
        return post(realm.id(), realm.accessToken(), path, json);
    }

    Res post(Realm realm, String path, JsonNode json) {
        return post(realm, path, json.toString());
    }

    Res post(String realmId, String token, String path, String json) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + "/v3/company/" + realmId + path))
                .header("Accept", "application/json").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return send(b);
    }

    Res query(Realm realm, String query) {
        return get(realm, "/query?minorversion=75&query=" + URLEncoder.encode(query, StandardCharsets.UTF_8));
    }

    /** Creates an entity and returns its node (fails the test helper on a fault). */
    JsonNode create(Realm realm, String entity, String json) {
        Res r = post(realm, "/" + entity.toLowerCase() + "?minorversion=75", json);
        if (r.status() != 200) {
            throw new IllegalStateException("create " + entity + " failed: " + r.status() + " " + r.body());
        }
        return r.json().get(entity);
    }

    JsonNode read(Realm realm, String entity, String id) {
        Res r = get(realm, "/" + entity.toLowerCase() + "/" + id);
        if (r.status() != 200) {
            throw new IllegalStateException("read " + entity + " failed: " + r.status() + " " + r.body());
        }
        return r.json().get(entity);
    }

    // ---- OAuth ----

    Res token(String clientId, String secret, String form) {
        return token(clientId, secret, form, false);
    }

    Res token(String clientId, String secret, String form, boolean hardExpiry) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + "/oauth2/v1/tokens/bearer"))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                        (clientId + ":" + secret).getBytes(StandardCharsets.UTF_8)))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(form));
        if (hardExpiry) {
            b.header("x-include-refresh-token-hard-expires-in", "true");
        }
        return send(b);
    }

    Res refresh(Realm realm, String refreshToken) {
        return token(realm.clientId(), realm.clientSecret(), "grant_type=refresh_token&refresh_token="
                + URLEncoder.encode(refreshToken, StandardCharsets.UTF_8));
    }

    static ObjectNode obj() {
        return MAPPER.createObjectNode();
    }
}
