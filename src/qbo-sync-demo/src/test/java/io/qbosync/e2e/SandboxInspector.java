package io.qbosync.e2e;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Reads the QBO sandbox's state over its admin HTTP API, as an outside observer of "QBO" would. */
final class SandboxInspector {

    private final String baseUrl;
    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();

    SandboxInspector(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    /** Every stored entity of a type, active or not. */
    List<JsonNode> entities(String realmId, String entity) {
        JsonNode body = get("/sandbox/realms/" + realmId + "/entities/" + entity);
        JsonNode list = body.isArray() ? body : body.has(entity) ? body.get(entity) : body.path("entities");
        List<JsonNode> out = new ArrayList<>();
        list.forEach(out::add);
        return out;
    }

    JsonNode get(String path) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(baseUrl + path)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new IllegalStateException("GET " + path + " -> " + r.statusCode() + " " + r.body());
            }
            return json.readTree(r.body());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
