package io.qbosync.faults;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The tests' hands on "QBO": the bundled sandbox over real HTTP, through its admin API (seed, fault injection,
 * inspection, tokens) and through the QBO v3 API itself with a token of its own (edits a QBO user would make:
 * make a customer inactive, delete an invoice). Independent of qbo-sync's client on purpose.
 */
final class SandboxQbo {

    static final ObjectMapper JSON = new ObjectMapper();

    private final String base;
    private final String realmId;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private String accessToken;

    SandboxQbo(String base, String realmId) {
        this.base = base;
        this.realmId = realmId;
    }

    String realmId() {
        return realmId;
    }

    // ---------------------------------------------------------------- admin API

    /** Merges fault-injection settings into the realm's (PUT /sandbox/realms/{id}/faults). */
    JsonNode faults(String json) {
        return ok(send("PUT", "/sandbox/realms/" + realmId + "/faults", json, null));
    }

    /** A new company with a grant of its own: {@code {realmId, accessToken, refreshToken, clientId, clientSecret, …}}. */
    JsonNode createRealm(String name) {
        return ok(send("POST", "/sandbox/realms", "{\"name\":\"" + name + "\"}", null));
    }

    /** The realm's traffic counters: {@code {accepted, throttled, inFlight}}. */
    JsonNode stats() {
        return ok(send("GET", "/sandbox/realms/" + realmId + "/stats", null, null));
    }

    /** Back to "no faults" (the realm inherits the global default again). */
    void clearFaults() {
        ok(send("DELETE", "/sandbox/realms/" + realmId + "/faults", null, null));
    }

    /** Creates entities; references may name their target ({@code {"name": …}}). */
    JsonNode seed(String json) {
        return ok(send("POST", "/sandbox/realms/" + realmId + "/seed", json, null));
    }

    /** Every stored entity of a type, inactive and deleted ones included (deleted carry {@code status: Deleted}). */
    List<JsonNode> entities(String entity) {
        JsonNode body = ok(send("GET", "/sandbox/realms/" + realmId + "/entities/" + entity, null, null));
        List<JsonNode> out = new ArrayList<>();
        body.path(entity).forEach(out::add);
        return out;
    }

    /** Live (not deleted) entities of a type whose {@code field} equals {@code value}. */
    List<JsonNode> live(String entity, String field, String value) {
        return entities(entity).stream().filter(e -> !"Deleted".equals(e.path("status").asText()))
                .filter(e -> value.equals(e.path(field).asText(null))).toList();
    }

    /** A fresh token pair of a new grant for the realm (does not disturb qbo-sync's own grant). */
    JsonNode issueTokens() {
        return ok(send("POST", "/sandbox/realms/" + realmId + "/tokens", "", null));
    }

    // ---------------------------------------------------------------- QBO v3 API

    JsonNode read(String entity, String id) {
        return api("GET", "/" + entity.toLowerCase() + "/" + id, null).path(entity);
    }

    JsonNode query(String statement, String entity) {
        return api("GET", "/query?query=" + URLEncoder.encode(statement, StandardCharsets.UTF_8).replace("+", "%20"),
                null).path("QueryResponse").path(entity);
    }

    /** Sparse update of {@code fields} on the entity's current version. */
    JsonNode sparseUpdate(String entity, String id, ObjectNode fields) {
        JsonNode current = read(entity, id);
        ObjectNode body = fields.deepCopy();
        body.put("Id", id);
        body.put("SyncToken", current.path("SyncToken").asText());
        body.put("sparse", true);
        return api("POST", "/" + entity.toLowerCase(), body.toString()).path(entity);
    }

    JsonNode create(String entity, ObjectNode body) {
        return api("POST", "/" + entity.toLowerCase(), body.toString()).path(entity);
    }

    /** Deletes a transaction (invoice, payment) as a QBO user would. */
    void delete(String entity, String id) {
        JsonNode current = read(entity, id);
        ObjectNode body = JSON.createObjectNode();
        body.put("Id", id);
        body.put("SyncToken", current.path("SyncToken").asText());
        api("POST", "/" + entity.toLowerCase() + "?operation=delete", body.toString());
    }

    private JsonNode api(String method, String path, String body) {
        if (accessToken == null) {
            accessToken = issueTokens().path("accessToken").asText();
        }
        HttpResponse<String> r = send(method, "/v3/company/" + realmId + path, body, accessToken);
        if (r.statusCode() == 401) {
            // Revoked by a test (revokeTokens): take a new grant.
            accessToken = issueTokens().path("accessToken").asText();
            r = send(method, "/v3/company/" + realmId + path, body, accessToken);
        }
        return ok(r);
    }

    private HttpResponse<String> send(String method, String path, String body, String token) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
                .header("Accept", "application/json");
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        if (body != null) {
            b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
        } else {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        }
        try {
            return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(method + " " + path + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode ok(HttpResponse<String> r) {
        if (r.statusCode() / 100 != 2) {
            throw new IllegalStateException(r.request().method() + " " + r.request().uri().getPath() + " -> "
                    + r.statusCode() + " " + r.body());
        }
        try {
            return r.body().isBlank() ? JSON.createObjectNode() : JSON.readTree(r.body());
        } catch (IOException e) {
            throw new IllegalStateException("not JSON: " + r.body(), e);
        }
    }
}
