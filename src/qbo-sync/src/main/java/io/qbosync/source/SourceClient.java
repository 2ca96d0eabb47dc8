package io.qbosync.source;

import io.qbosync.source.feed.SourceKind;
import io.qbosync.source.feed.SourceJson;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * HTTP client for the source API (the bundled sample source or anything speaking the same API): the change
 * feed, single-record reads and the QBO write-backs.
 *
 * <p>The feed is read <b>leniently</b>: the page is parsed as a JSON tree (bytes that are not UTF-8 become
 * U+FFFD, which the validator then reports), and every record is converted and validated on its own by
 * {@link SourceRecordValidator}. A bad record becomes an item with errors; only a page that is not JSON at
 * all, or lacks a cursor, fails the call. Thread-safe.
 */
public class SourceClient {
    private static final Logger LOG = LoggerFactory.getLogger(SourceClient.class);
    /** The order in which a page's records are handed over: parties before what bills them. */
    private static final List<SourceKind> PAGE_ORDER =
            List.of(SourceKind.COMPANY, SourceKind.CONTACT, SourceKind.INVOICE, SourceKind.PAYMENT);

    private final String baseUrl;
    private final Duration timeout;
    private final HttpClient http;
    private final SourceRecordValidator validator = new SourceRecordValidator();

    public SourceClient(String baseUrl) {
        this(baseUrl, Duration.ofSeconds(30));
    }

    /**
     * @param baseUrl e.g. {@code http://127.0.0.1:8090}; a trailing slash is ignored
     * @param timeout connect and per-request timeout
     */
    public SourceClient(String baseUrl, Duration timeout) {
        if (baseUrl == null || baseUrl.isBlank()) {
            throw new IllegalArgumentException("baseUrl is required");
        }
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    public String baseUrl() {
        return baseUrl;
    }

    /**
     * Reads one page of changes after {@code cursor}.
     *
     * @param cursor null or empty for the beginning, else a {@code nextCursor} from an earlier batch
     * @param limit  records wanted, 1..5000 (the source caps larger values)
     * @throws SourceClientException when the source is unreachable, answers an error, or sends no usable page
     */
    public SourceBatch fetchChanges(String cursor, int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be ≥ 1, got " + limit);
        }
        String since = cursor == null ? "" : cursor;
        String url = baseUrl + "/api/changes?since=" + URLEncoder.encode(since, StandardCharsets.UTF_8) + "&limit=" + limit;
        HttpResponse<byte[]> response = send(HttpRequest.newBuilder(URI.create(url)).GET(), "GET /api/changes");
        expect2xx(response, "GET /api/changes");
        JsonNode page;
        try {
            page = SourceJson.mapper().readTree(lenientUtf8(response.body()));
        } catch (JsonProcessingException e) {
            throw new SourceClientException("changes page from " + baseUrl + " is not JSON: " + e.getOriginalMessage(),
                    response.statusCode(), e);
        }
        if (page == null || !page.isObject()) {
            throw new SourceClientException("changes page from " + baseUrl + " is not a JSON object", response.statusCode());
        }
        List<SourceItem> items = new ArrayList<>();
        for (SourceKind kind : PAGE_ORDER) {
            JsonNode arr = page.get(kind.plural());
            if (arr == null || arr.isNull()) {
                continue;
            }
            if (!arr.isArray()) {
                // Not a record problem: the page itself is broken, and skipping it would lose records for good.
                throw new SourceClientException("changes page: \"" + kind.plural() + "\" is not an array", response.statusCode());
            }
            for (JsonNode raw : arr) {
                items.add(validator.validate(kind, raw));
            }
        }
        JsonNode next = page.get("nextCursor");
        if (next != null && !next.isNull() && !next.isTextual()) {
            throw new SourceClientException("changes page: nextCursor is not a string", response.statusCode());
        }
        String nextCursor = next == null || next.isNull() ? null : next.textValue();
        if (nextCursor == null && !items.isEmpty()) {
            throw new SourceClientException("changes page with " + items.size() + " records has no nextCursor", response.statusCode());
        }
        JsonNode more = page.get("hasMore");
        if (more != null && !more.isNull() && !more.isBoolean()) {
            throw new SourceClientException("changes page: hasMore is not a boolean", response.statusCode());
        }
        SourceBatch batch = new SourceBatch(items, nextCursor != null ? nextCursor : (since.isEmpty() ? null : since), more != null && more.asBoolean());
        if (LOG.isDebugEnabled()) {
            LOG.debug("Source page: {} records ({} invalid), hasMore={}", items.size(), batch.invalidItems().size(), batch.hasMore());
        }
        return batch;
    }

    /**
     * Reads one record by id and validates it like a feed record (an invoice's {@code qbo} write-back block is
     * ignored by validation but kept in {@link SourceItem#raw()}).
     *
     * @return the item, or null when the source does not know the id
     */
    public SourceItem fetchRecord(SourceKind kind, String id) {
        String url = baseUrl + "/api/" + kind.plural() + "/" + URLEncoder.encode(id, StandardCharsets.UTF_8).replace("+", "%20");
        String what = "GET /api/" + kind.plural() + "/" + id;
        HttpResponse<byte[]> response = send(HttpRequest.newBuilder(URI.create(url)).GET(), what);
        if (response.statusCode() == 404) {
            return null;
        }
        expect2xx(response, what);
        try {
            return validator.validate(kind, SourceJson.mapper().readTree(lenientUtf8(response.body())));
        } catch (JsonProcessingException e) {
            throw new SourceClientException(what + " did not answer JSON: " + e.getOriginalMessage(), response.statusCode(), e);
        }
    }

    /** Writes QBO's view of an invoice (status, balance, QBO id, DocNumber) back to the source. */
    public JsonNode writeInvoiceStatus(String invoiceId, QboStatusWriteBack status) {
        return post("/api/invoices/" + pathSegment(invoiceId) + "/qbo-status", status);
    }

    /** Writes a QBO payment on an invoice back to the source; repeating it for the same QBO payment id is harmless. */
    public JsonNode writeInvoicePayment(String invoiceId, QboPaymentWriteBack payment) {
        return post("/api/invoices/" + pathSegment(invoiceId) + "/payments", payment);
    }

    /** Every write-back the source has recorded, oldest first. */
    public JsonNode writeBacks() {
        HttpResponse<byte[]> response = send(HttpRequest.newBuilder(URI.create(baseUrl + "/api/write-backs")).GET(), "GET /api/write-backs");
        expect2xx(response, "GET /api/write-backs");
        return parse(response, "GET /api/write-backs").path("writeBacks");
    }

    private JsonNode post(String path, Object body) {
        byte[] json;
        try {
            json = SourceJson.mapper().writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot serialise " + body, e);
        }
        HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(json));
        HttpResponse<byte[]> response = send(req, "POST " + path);
        expect2xx(response, "POST " + path);
        return parse(response, "POST " + path);
    }

    private HttpResponse<byte[]> send(HttpRequest.Builder builder, String what) {
        HttpRequest request = builder.timeout(timeout).header("Accept", "application/json").build();
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new SourceClientException(what + " to " + baseUrl + " failed: " + e, 0, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SourceClientException(what + " to " + baseUrl + " was interrupted", 0, e);
        }
    }

    private static void expect2xx(HttpResponse<byte[]> response, String what) {
        int status = response.statusCode();
        if (status < 200 || status > 299) {
            String body = lenientUtf8(response.body());
            String detail = body;
            try {
                JsonNode err = SourceJson.mapper().readTree(body);
                if (err != null && err.hasNonNull("errors")) {
                    List<String> all = new ArrayList<>();
                    err.get("errors").forEach(m -> all.add(m.asText()));
                    detail = String.join("; ", all);
                } else if (err != null && err.hasNonNull("error")) {
                    detail = err.get("error").asText();
                }
            } catch (JsonProcessingException e) {
                // not JSON: keep the text as it is
            }
            if (detail.length() > 500) {
                detail = detail.substring(0, 500) + "…";
            }
            throw new SourceClientException(what + " answered " + status + ": " + detail, status);
        }
    }

    private static JsonNode parse(HttpResponse<byte[]> response, String what) {
        try {
            return SourceJson.mapper().readTree(lenientUtf8(response.body()));
        } catch (JsonProcessingException e) {
            throw new SourceClientException(what + " did not answer JSON: " + e.getOriginalMessage(), response.statusCode(), e);
        }
    }

    private static String pathSegment(String id) {
        return URLEncoder.encode(id, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** Decodes UTF-8, turning every malformed sequence into U+FFFD instead of failing the whole page. */
    static String lenientUtf8(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPLACE)
                    .onUnmappableCharacter(CodingErrorAction.REPLACE)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new IllegalStateException("a replacing decoder does not throw", e);
        }
    }
}
