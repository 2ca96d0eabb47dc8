package io.qbosync.source.sample;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.qbosync.source.feed.SourceJson;
import io.qbosync.source.feed.SourceKind;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Small HTTP client for the sample source's admin endpoints ({@code /sample/*}), for tests and demos that
 * change the source while the pipeline runs. Failures throw {@link SampleAdminException} carrying the
 * server's messages.
 */
public class SampleSourceAdmin {
    private final String baseUrl;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    public SampleSourceAdmin(String baseUrl) {
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    }

    /**
     * Adds or changes records: {@code {"contacts":[…],"companies":[…],"invoices":[…],"payments":[…]}}; each
     * object needs an id and is merged onto the stored record of that id. Returns the stored kinds, ids and
     * new updatedAt values.
     */
    public JsonNode putRecords(JsonNode changes) {
        return post("/sample/records", json(changes), "application/json").path("stored");
    }

    /** Injects records verbatim, unvalidated, in the same shape as {@link #putRecords}. */
    public JsonNode injectMalformed(JsonNode records) {
        return post("/sample/malformed", json(records), "application/json").path("stored");
    }

    /** Injects one record as raw bytes (may hold invalid UTF-8), served byte for byte in the feed. */
    public JsonNode injectMalformedBytes(SourceKind kind, byte[] record) {
        return post("/sample/malformed?kind=" + kind.wire(), record, "application/octet-stream").path("stored").path(0);
    }

    /** Record counts per kind, malformed and write-back counts. */
    public JsonNode stats() {
        return send(HttpRequest.newBuilder(URI.create(baseUrl + "/sample/stats")).GET().build(), "GET /sample/stats");
    }

    private JsonNode post(String path, byte[] body, String contentType) {
        return send(HttpRequest.newBuilder(URI.create(baseUrl + path)).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), "POST " + path);
    }

    private JsonNode send(HttpRequest request, String what) {
        try {
            HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            if (r.statusCode() / 100 != 2) {
                throw new SampleAdminException(what + " answered " + r.statusCode() + ": " + r.body(), r.statusCode());
            }
            return SourceJson.mapper().readTree(r.body());
        } catch (IOException e) {
            throw new SampleAdminException(what + " to " + baseUrl + " failed: " + e, 0, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SampleAdminException(what + " was interrupted", 0, e);
        }
    }

    private static byte[] json(JsonNode node) {
        try {
            return SourceJson.mapper().writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
