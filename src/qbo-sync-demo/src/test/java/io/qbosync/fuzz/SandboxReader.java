package io.qbosync.fuzz;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Counts what the QBO sandbox holds, over its admin HTTP API, as an outside observer of "QBO" would. */
final class SandboxReader {

    private final String baseUrl;
    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();

    SandboxReader(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    /** How many entities of a type the realm holds, active or not. */
    int count(String realmId, String entity) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(baseUrl + "/sandbox/realms/" + realmId
                    + "/entities/" + entity)).GET().build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new IllegalStateException("sandbox answered " + r.statusCode() + " " + r.body());
            }
            JsonNode body = json.readTree(r.body());
            JsonNode list = body.isArray() ? body : body.has(entity) ? body.get(entity) : body.path("entities");
            return list.size();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
