package io.qbosync.component.qbo.client;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.qbosync.component.qbo.QboError;
import io.qbosync.component.qbo.QboFaultException;
import io.qbosync.component.qbo.QboRealmBusyException;
import io.qbosync.component.qbo.QboOperation;
import io.qbosync.component.qbo.QboTransportException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.StringJoiner;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Thin, thread-safe client for the QBO v3 Accounting API: one pooled {@link HttpClient} (HTTP/1.1, default trust
 * store, no redirects) and one Jackson mapper, shared by the {@code qbo:} producer and by Java beans.
 *
 * <p>Every HTTP call goes through the {@link RealmRateGovernor}, carries {@code minorversion}, and, for writes, a
 * {@code requestid}. A 401 triggers one token refresh and one retry; a 429 pauses the realm and is retried
 * {@code throttleRetries} times; anything else that is not 2xx becomes a {@link QboFaultException}.
 * Bodies are unwrapped: callers pass and receive {@code {"DisplayName":…}}, not {@code {"Customer":{…}}}.
 */
public class QboClient {

    private static final Logger LOG = LoggerFactory.getLogger(QboClient.class);
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };
    private static final Set<String> PAYMENT_STYLE_VOIDS = Set.of("payment", "salesreceipt", "billpayment");
    /** List entities are never deleted in QBO; "delete" makes them inactive. */
    private static final Set<String> LIST_ENTITIES = Set.of("customer", "vendor", "employee", "item", "account",
            "class", "department", "term", "paymentmethod");
    private static final Pattern COUNT = Pattern.compile("(?i)^\\s*select\\s+count\\s*\\(\\s*\\*\\s*\\)");
    private static final Pattern PAGING = Pattern.compile("(?i)\\b(startposition|maxresults)\\b");
    private static final Pattern FROM = Pattern.compile("(?i)\\bfrom\\s+([A-Za-z]+)");
    private static final int MAX_GET_QUERY = 4000;
    private static final int CDC_CAP = 1000;
    private static final int BATCH_MAX_ITEMS = 30;

    private final QboClientSettings settings;
    private final QboTokenProvider tokenProvider;
    private final RealmRateGovernor governor;
    private final ObjectMapper mapper;
    private final QboFaultParser faults;
    private final HttpClient http;
    private final Semaphore connections;

    /**
     * @param settings      host, minor version, timeouts, pool bound
     * @param tokenProvider default token source (requests may bring their own); may be null if they all do
     * @param governor      per-realm rate and concurrency governor
     */
    public QboClient(QboClientSettings settings, QboTokenProvider tokenProvider, RealmRateGovernor governor) {
        this(settings, tokenProvider, governor, QboJson.newMapper(), new Semaphore(settings.maxConnections(), true));
    }

    private QboClient(QboClientSettings settings, QboTokenProvider tokenProvider, RealmRateGovernor governor,
                      ObjectMapper mapper, Semaphore connections) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.tokenProvider = tokenProvider;
        this.governor = Objects.requireNonNull(governor, "governor");
        this.mapper = mapper;
        this.faults = new QboFaultParser(mapper);
        this.connections = connections;
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(settings.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    /** A client with its own connection pool and another connect timeout, sharing governor, tokens and pool bound. */
    public QboClient withConnectTimeout(Duration connectTimeout) {
        return new QboClient(settings.withConnectTimeout(connectTimeout), tokenProvider, governor, mapper, connections);
    }

    public QboClientSettings settings() {
        return settings;
    }

    public RealmRateGovernor governor() {
        return governor;
    }

    public QboTokenProvider tokenProvider() {
        return tokenProvider;
    }

    /** The shared mapper (exact decimals). */
    public ObjectMapper mapper() {
        return mapper;
    }

    // ---------------------------------------------------------------- convenience API for Java beans

    /** Creates an entity with a fresh {@code requestid}; returns the created entity. */
    public Map<String, Object> create(String realmId, String entity, Object body) {
        return create(realmId, entity, body, null);
    }

    /** Creates an entity; {@code requestId} null = generate one (reused for the 401/429 retries). */
    public Map<String, Object> create(String realmId, String entity, Object body, String requestId) {
        return execute(QboRequest.builder(QboOperation.CREATE, realmId).entity(entity).body(toJson(body))
                .requestId(orNew(requestId)).build()).map();
    }

    /** Reads an entity by Id. */
    public Map<String, Object> read(String realmId, String entity, String id) {
        return execute(QboRequest.builder(QboOperation.READ, realmId).entity(entity).entityId(id).build()).map();
    }

    /** Sparse update: the body holds {@code Id}, {@code SyncToken} and the changed fields. */
    public Map<String, Object> update(String realmId, String entity, Object body, String requestId) {
        return update(realmId, entity, body, true, requestId);
    }

    /** Sparse or full update. */
    public Map<String, Object> update(String realmId, String entity, Object body, boolean sparse, String requestId) {
        return execute(QboRequest.builder(QboOperation.UPDATE, realmId).entity(entity).body(toJson(body))
                .sparse(sparse).requestId(orNew(requestId)).build()).map();
    }

    /** Voids a transaction (invoice, payment, sales receipt…); returns the voided entity. */
    public Map<String, Object> voidTransaction(String realmId, String entity, String id, String syncToken,
                                               String requestId) {
        return execute(QboRequest.builder(QboOperation.VOID, realmId).entity(entity).entityId(id)
                .syncToken(syncToken).requestId(orNew(requestId)).build()).map();
    }

    /** Deletes a transaction, or makes a list entity inactive; returns QBO's answer. */
    public Map<String, Object> delete(String realmId, String entity, String id, String syncToken, String requestId) {
        return execute(QboRequest.builder(QboOperation.DELETE, realmId).entity(entity).entityId(id)
                .syncToken(syncToken).requestId(orNew(requestId)).build()).map();
    }

    /** Runs a query and returns every row, paging by 1000 unless the statement pages itself. */
    public List<Map<String, Object>> query(String realmId, String statement) {
        return execute(QboRequest.builder(QboOperation.QUERY, realmId).statement(statement).build()).rows();
    }

    /** Runs {@code SELECT COUNT(*) …} and returns {@code totalCount}. */
    public long count(String realmId, String statement) {
        List<Map<String, Object>> rows = query(realmId, statement);
        Object n = rows.isEmpty() ? null : rows.get(0).get("totalCount");
        return n instanceof Number num ? num.longValue() : 0L;
    }

    /** Change data capture: entity name → changed objects (deleted ones as {@code status: Deleted} stubs). */
    public Map<String, Object> cdc(String realmId, List<String> entities, OffsetDateTime changedSince) {
        return execute(QboRequest.builder(QboOperation.CDC, realmId).entities(entities).changedSince(changedSince)
                .build()).map();
    }

    /**
     * Sends up to 30 batch items ({@code {"bId","operation","Customer":{…}}} maps or a whole
     * {@code {"BatchItemRequest":[…]}}) and returns bId → item result (see {@link #execute}).
     */
    public Map<String, Object> batch(String realmId, Object items, String requestId) {
        return execute(QboRequest.builder(QboOperation.BATCH, realmId).body(toJson(items))
                .requestId(orNew(requestId)).build()).map();
    }

    // ---------------------------------------------------------------- full API

    /**
     * Executes a request. Result bodies: the unwrapped entity map for create/read/update/void/delete; the rows for
     * query ({@code [{"totalCount":n}]} for COUNT); for cdc an ordered map entity → list of objects; for batch an
     * ordered map bId → {@code {"status":"ok","entity":…,"value":…}} or
     * {@code {"status":"fault","code","message","detail","element","type","faultClass","existingId"}}.
     *
     * @throws QboFaultException on any QBO fault, HTTP error or transport problem
     */
    public QboResponse execute(QboRequest req) {
        return switch (req.operation()) {
            case CREATE -> single(req, "POST", entityPath(req), writeParams(req, null),
                    unwrapInput(req.entity(), require(req.body(), "an entity body")));
            case READ -> single(req, "GET", entityPath(req) + "/" + enc(require(req.entityId(), "QboEntityId")),
                    new StringJoiner("&"), null);
            case UPDATE -> single(req, "POST", entityPath(req), writeParams(req, null), updateBody(req));
            case VOID -> voidCall(req);
            case DELETE -> deleteCall(req);
            case QUERY -> query(req);
            case CDC -> cdc(req);
            case BATCH -> batch(req);
        };
    }

    private QboResponse single(QboRequest req, String method, String path, StringJoiner params, JsonNode body) {
        Reply r = call(req, method, path, params, body == null ? null : bytes(body), "application/json");
        JsonNode entity = unwrapOutput(r.json(), req.entity());
        return new QboResponse(toMap(entity), r.status(), r.tid(), req.requestId(), text(r.json(), "time"),
                r.calls(), false);
    }

    private QboResponse voidCall(QboRequest req) {
        ObjectNode body = idAndToken(req);
        StringJoiner params;
        if (PAYMENT_STYLE_VOIDS.contains(lower(req.entity()))) {
            body.put("sparse", true);
            params = writeParams(req, "update");
            params.add("include=void");
        } else {
            params = writeParams(req, "void");
        }
        return single(req, "POST", entityPath(req), params, body);
    }

    private QboResponse deleteCall(QboRequest req) {
        ObjectNode body = idAndToken(req);
        if (LIST_ENTITIES.contains(lower(req.entity()))) {
            body.put("sparse", true);
            body.put("Active", false);
            return single(req, "POST", entityPath(req), writeParams(req, null), body);
        }
        return single(req, "POST", entityPath(req), writeParams(req, "delete"), body);
    }

    private QboResponse query(QboRequest req) {
        String statement = require(req.statement(), "a query statement").strip();
        Matcher from = FROM.matcher(statement);
        String entity = req.entity() != null ? req.entity() : from.find() ? from.group(1) : null;
        if (COUNT.matcher(statement).find()) {
            Reply r = queryCall(req, statement);
            JsonNode qr = QboFaultParser.field(r.json(), "QueryResponse");
            JsonNode total = QboFaultParser.field(qr, "totalCount");
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("totalCount", total == null ? 0L : total.asLong());
            return new QboResponse(List.of(row), r.status(), r.tid(), null, text(r.json(), "time"), r.calls(), false);
        }
        boolean selfPaged = PAGING.matcher(statement).find();
        int pageSize = req.maxResults();
        List<Map<String, Object>> rows = new ArrayList<>();
        int start = 1;
        int calls = 0;
        Reply last;
        while (true) {
            String stmt = selfPaged ? statement : statement + " STARTPOSITION " + start + " MAXRESULTS " + pageSize;
            last = queryCall(req, stmt);
            calls += last.calls();
            List<Map<String, Object>> page = rowsOf(QboFaultParser.field(last.json(), "QueryResponse"), entity);
            rows.addAll(page);
            if (selfPaged || !req.fetchAll() || page.size() < pageSize) {
                break;
            }
            start += page.size();
        }
        return new QboResponse(rows, last.status(), last.tid(), null, text(last.json(), "time"), calls, false);
    }

    private Reply queryCall(QboRequest req, String statement) {
        String encoded = enc(statement);
        if (encoded.length() <= MAX_GET_QUERY) {
            StringJoiner params = new StringJoiner("&");
            params.add("query=" + encoded);
            return call(req, "GET", "/query", params, null, null);
        }
        // Long statements go in the body (QBO: POST /query, Content-Type application/text).
        return call(req, "POST", "/query", new StringJoiner("&"), statement.getBytes(StandardCharsets.UTF_8),
                "application/text");
    }

    private QboResponse cdc(QboRequest req) {
        List<String> entities = req.entities().isEmpty() && req.entity() != null ? List.of(req.entity()) : req.entities();
        if (entities.isEmpty()) {
            throw new IllegalArgumentException("qbo cdc needs entities (option entities=Invoice,Payment)");
        }
        OffsetDateTime since = require(req.changedSince(), "QboChangedSince");
        StringJoiner params = new StringJoiner("&");
        params.add("entities=" + enc(String.join(",", entities)));
        params.add("changedSince=" + enc(since.format(DateTimeFormatter.ISO_OFFSET_DATE_TIME)));
        Reply r = call(req, "GET", "/cdc", params, null, null);
        Map<String, Object> result = new LinkedHashMap<>();
        entities.forEach(e -> result.put(e, new ArrayList<Map<String, Object>>()));
        boolean truncated = false;
        JsonNode cdcResponse = QboFaultParser.field(r.json(), "CDCResponse");
        for (JsonNode part : iterable(cdcResponse)) {
            for (JsonNode qr : iterable(QboFaultParser.field(part, "QueryResponse"))) {
                for (Iterator<Map.Entry<String, JsonNode>> it = qr.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> f = it.next();
                    if (!f.getValue().isArray()) {
                        continue;
                    }
                    String key = entities.stream().filter(e -> e.equalsIgnoreCase(f.getKey())).findFirst()
                            .orElse(f.getKey());
                    @SuppressWarnings("unchecked")
                    List<Map<String, Object>> list = (List<Map<String, Object>>) result
                            .computeIfAbsent(key, k -> new ArrayList<Map<String, Object>>());
                    f.getValue().forEach(o -> list.add(toMap(o)));
                    truncated |= f.getValue().size() >= CDC_CAP;
                }
            }
        }
        return new QboResponse(result, r.status(), r.tid(), null, text(r.json(), "time"), r.calls(), truncated);
    }

    private QboResponse batch(QboRequest req) {
        JsonNode in = require(req.body(), "batch items");
        ObjectNode payload;
        if (in.isArray()) {
            payload = mapper.createObjectNode();
            payload.set("BatchItemRequest", in);
        } else if (in.isObject() && in.has("BatchItemRequest")) {
            payload = (ObjectNode) in;
        } else {
            throw new IllegalArgumentException("qbo batch body must be a list of items or {\"BatchItemRequest\":[…]}");
        }
        JsonNode items = payload.get("BatchItemRequest");
        if (!items.isArray() || items.isEmpty() || items.size() > BATCH_MAX_ITEMS) {
            throw new IllegalArgumentException("qbo batch needs 1 to " + BATCH_MAX_ITEMS + " items");
        }
        for (JsonNode item : items) {
            String bId = text(item, "bId");
            if (bId == null || bId.isEmpty() || bId.length() > 10) {
                throw new IllegalArgumentException("every batch item needs a bId of 1 to 10 characters: " + bId);
            }
        }
        Reply r = call(req, "POST", "/batch", writeParams(req, null), bytes(payload), "application/json");
        Map<String, Object> result = new LinkedHashMap<>();
        for (JsonNode item : iterable(QboFaultParser.field(r.json(), "BatchItemResponse"))) {
            String bId = text(item, "bId");
            Map<String, Object> out = new LinkedHashMap<>();
            QboFaultParser.ParsedFault fault = faults.fromJson(item);
            if (fault != null) {
                QboFaultException ex = new QboFaultException(400, fault.faultType(), fault.errors(), r.tid(), null,
                        false, req.realmId(), req.requestId(), null);
                out.put("status", "fault");
                out.put("code", ex.code());
                out.put("message", ex.faultMessage());
                out.put("detail", ex.detail());
                out.put("element", ex.element());
                out.put("type", ex.faultType());
                out.put("faultClass", ex.faultClass().name());
                ex.existingId().ifPresent(id -> out.put("existingId", id));
                out.put("errors", ex.errors().stream().map(QboClient::errorMap).toList());
            } else {
                out.put("status", "ok");
                JsonNode qr = QboFaultParser.field(item, "QueryResponse");
                if (qr != null) {
                    out.put("entity", firstArrayField(qr));
                    out.put("value", rowsOf(qr, null));
                } else {
                    String name = firstObjectField(item);
                    out.put("entity", name);
                    out.put("value", name == null ? Map.of() : toMap(item.get(name)));
                }
            }
            result.put(bId, out);
        }
        return new QboResponse(result, r.status(), r.tid(), req.requestId(), text(r.json(), "time"), r.calls(), false);
    }

    private static Map<String, Object> errorMap(QboError e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("code", e.code());
        m.put("message", e.message());
        m.put("detail", e.detail());
        m.put("element", e.element());
        return m;
    }

    // ---------------------------------------------------------------- HTTP

    private record Reply(JsonNode json, int status, String tid, int calls) {
    }

    /**
     * One logical HTTP exchange with the 401-refresh and 429-pause retries. Path is relative to
     * {@code /v3/company/{realmId}}.
     */
    private Reply call(QboRequest req, String method, String path, StringJoiner params, byte[] body,
                       String contentType) {
        String realm = req.realmId();
        boolean write = req.operation().isWrite();
        QboTokenProvider tokens = req.tokenProvider() != null ? req.tokenProvider() : tokenProvider;
        if (tokens == null) {
            throw new IllegalStateException("No QboTokenProvider configured for the qbo client");
        }
        params.add("minorversion=" + (req.minorVersion() != null ? req.minorVersion() : settings.minorVersion()));
        URI uri = URI.create(baseUrl(req, tokens) + "/v3/company/" + enc(realm) + path + "?" + params);
        Duration timeout = req.requestTimeout() != null ? req.requestTimeout() : settings.requestTimeout();
        String token = tokens.accessToken(realm);
        boolean refreshed = false;
        int throttleRetries = settings.throttleRetries();
        int calls = 0;
        HttpResponse<byte[]> throttledReply = null;
        while (true) {
            HttpRequest.Builder b = HttpRequest.newBuilder(uri)
                    .timeout(timeout)
                    .header("Accept", "application/json")
                    .header("Authorization", "Bearer " + token)
                    .header("User-Agent", "qbo-sync");
            if (body != null) {
                b.header("Content-Type", contentType).method(method, HttpRequest.BodyPublishers.ofByteArray(body));
            } else {
                b.method(method, HttpRequest.BodyPublishers.noBody());
            }
            HttpResponse<byte[]> resp;
            try {
                resp = send(b.build(), realm, write, req.requestId(), req.maxPermitWait());
            } catch (QboRealmBusyException busy) {
                if (throttledReply == null) {
                    throw busy;
                }
                // QBO itself refused this call: report its 429 (an attempt), not only our own pause.
                throw faults.toException(429, throttledReply.headers(), throttledReply.body(), false, realm,
                        req.requestId());
            }
            calls++;
            int status = resp.statusCode();
            String tid = QboFaultParser.intuitTid(resp.headers());
            if (LOG.isDebugEnabled()) {
                LOG.debug("QBO {} {} realm={} -> {} intuit_tid={} requestid={}", method, path, realm, status, tid,
                        req.requestId());
            }
            if (status == 401 && !refreshed) {
                refreshed = true;
                token = tokens.refreshAfterRejection(realm, token);
                continue;
            }
            if (status == 429) {
                Optional<Duration> retryAfter = QboFaultParser.retryAfter(resp.headers());
                governor.onThrottled(realm, retryAfter);
                throttledReply = resp;
                if (throttleRetries-- > 0) {
                    continue;
                }
            }
            if (status < 200 || status >= 300) {
                QboFaultException fault = faults.toException(status, resp.headers(), resp.body(),
                        write && status >= 500, realm, req.requestId());
                LOG.debug("QBO fault {}", fault);
                throw fault;
            }
            JsonNode json;
            try {
                json = mapper.readTree(resp.body());
            } catch (IOException e) {
                json = null;
            }
            if (json == null || !json.isObject()) {
                throw new QboTransportException(status, "QBO answered " + status + " with an unreadable body",
                        write, tid, realm, req.requestId(), null);
            }
            if (req.operation() != QboOperation.BATCH && QboFaultParser.field(json, "fault") != null) {
                QboFaultParser.ParsedFault f = faults.fromJson(json);
                throw new QboFaultException(status, f.faultType(), f.errors(), tid, null, false, realm,
                        req.requestId(), null);
            }
            return new Reply(json, status, tid, calls);
        }
    }

    private HttpResponse<byte[]> send(HttpRequest request, String realm, boolean write, String requestId,
                                      Duration maxPermitWait) {
        RealmRateGovernor.Permit permit;
        try {
            permit = maxPermitWait == null ? governor.acquire(realm) : governor.acquire(realm, maxPermitWait);
        } catch (RealmRateGovernor.WouldWait e) {
            throw new QboRealmBusyException(realm, requestId, e.retryAfter());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new QboTransportException(0, "interrupted before sending", false, null, realm, requestId, e);
        }
        try (permit) {
            try {
                connections.acquire();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new QboTransportException(0, "interrupted before sending", false, null, realm, requestId, e);
            }
            try {
                return http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            } finally {
                connections.release();
            }
        } catch (HttpConnectTimeoutException | ConnectException e) {
            throw new QboTransportException(0, "could not connect to QBO", false, null, realm, requestId, e);
        } catch (HttpTimeoutException e) {
            throw new QboTransportException(0, "no answer from QBO within the request timeout", write, null, realm,
                    requestId, e);
        } catch (IOException e) {
            throw new QboTransportException(0, "I/O error talking to QBO", write, null, realm, requestId, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new QboTransportException(0, "interrupted while waiting for QBO", write, null, realm, requestId, e);
        }
    }

    private String baseUrl(QboRequest req, QboTokenProvider tokens) {
        String url = req.baseUrl();
        if (url == null && tokens instanceof QboRealmDirectory dir) {
            url = dir.apiBaseUrl(req.realmId()).orElse(null);
        }
        if (url == null) {
            url = settings.baseUrl();
        }
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    // ---------------------------------------------------------------- JSON helpers

    /**
     * Converts a body to JSON: {@link JsonNode} as is; {@code String}, {@code byte[]} or {@code InputStream} parsed;
     * {@code Map}, {@code List} or a POJO through the mapper. Null stays null.
     *
     * @throws IllegalArgumentException when a text body is not JSON
     */
    public JsonNode toJson(Object body) {
        try {
            if (body == null) {
                return null;
            } else if (body instanceof JsonNode n) {
                return n;
            } else if (body instanceof String s) {
                return s.isBlank() ? null : mapper.readTree(s);
            } else if (body instanceof byte[] b) {
                return b.length == 0 ? null : mapper.readTree(b);
            } else if (body instanceof InputStream in) {
                return mapper.readTree(in);
            }
            return mapper.valueToTree(body);
        } catch (IOException e) {
            throw new IllegalArgumentException("Body is not valid JSON: "
                    + (e instanceof com.fasterxml.jackson.core.JsonProcessingException j ? j.getOriginalMessage() : e.getMessage()), e);
        }
    }

    /** Accepts both {@code {"DisplayName":…}} and the wrapped {@code {"Customer":{…}}}. */
    private static JsonNode unwrapInput(String entity, JsonNode body) {
        if (body.isObject() && body.size() == 1) {
            Map.Entry<String, JsonNode> only = body.fields().next();
            if (only.getKey().equalsIgnoreCase(entity) && only.getValue().isObject()) {
                return only.getValue();
            }
        }
        if (!body.isObject()) {
            throw new IllegalArgumentException("qbo " + entity + " body must be a JSON object");
        }
        return body;
    }

    private ObjectNode updateBody(QboRequest req) {
        ObjectNode body = unwrapInput(req.entity(), require(req.body(), "an entity body")).deepCopy();
        if (!body.hasNonNull("Id") && req.entityId() != null) {
            body.put("Id", req.entityId());
        }
        if (!body.hasNonNull("SyncToken") && req.syncToken() != null) {
            body.put("SyncToken", req.syncToken());
        }
        require(text(body, "Id"), "Id (body or QboEntityId)");
        require(text(body, "SyncToken"), "SyncToken (body or QboSyncToken)");
        if (req.sparse()) {
            body.put("sparse", true);
        } else {
            body.remove("sparse");
        }
        return body;
    }

    private ObjectNode idAndToken(QboRequest req) {
        ObjectNode body = mapper.createObjectNode();
        String id = req.entityId();
        String token = req.syncToken();
        if (req.body() != null && req.body().isObject()) {
            JsonNode b = unwrapInput(req.entity(), req.body());
            id = id != null ? id : text(b, "Id");
            token = token != null ? token : text(b, "SyncToken");
        }
        body.put("Id", require(id, "Id (QboEntityId or body)"));
        body.put("SyncToken", require(token, "SyncToken (QboSyncToken or body)"));
        return body;
    }

    private static JsonNode unwrapOutput(JsonNode root, String entity) {
        JsonNode e = entity == null ? null : QboFaultParser.field(root, entity);
        if (e != null && e.isObject()) {
            return e;
        }
        String first = firstObjectField(root);
        return first == null ? root : root.get(first);
    }

    private static String firstObjectField(JsonNode node) {
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            if (f.getValue().isObject() && !"time".equals(f.getKey())) {
                return f.getKey();
            }
        }
        return null;
    }

    private static String firstArrayField(JsonNode node) {
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            if (f.getValue().isArray()) {
                return f.getKey();
            }
        }
        return null;
    }

    private List<Map<String, Object>> rowsOf(JsonNode queryResponse, String entity) {
        if (queryResponse == null || !queryResponse.isObject()) {
            return new ArrayList<>();
        }
        JsonNode arr = entity == null ? null : QboFaultParser.field(queryResponse, entity);
        if (arr == null || !arr.isArray()) {
            String name = firstArrayField(queryResponse);
            arr = name == null ? null : queryResponse.get(name);
        }
        List<Map<String, Object>> rows = new ArrayList<>();
        if (arr != null) {
            arr.forEach(n -> rows.add(toMap(n)));
        }
        return rows;
    }

    private Map<String, Object> toMap(JsonNode node) {
        return node == null || !node.isObject() ? new LinkedHashMap<>() : mapper.convertValue(node, MAP);
    }

    private byte[] bytes(JsonNode node) {
        try {
            return mapper.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new IllegalArgumentException("Cannot serialize body", e);
        }
    }

    private static Iterable<JsonNode> iterable(JsonNode node) {
        if (node == null || node.isNull()) {
            return List.of();
        }
        if (node.isArray()) {
            return node;
        }
        ArrayNode single = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.arrayNode();
        single.add(node);
        return single;
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node == null ? null : node.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    private StringJoiner writeParams(QboRequest req, String operation) {
        StringJoiner p = new StringJoiner("&");
        if (operation != null) {
            p.add("operation=" + operation);
        }
        if (req.requestId() != null) {
            p.add("requestid=" + enc(req.requestId()));
        }
        if (req.allowDuplicateDocNumber() && req.operation() != QboOperation.BATCH) {
            p.add("include=allowduplicatedocnum");
        }
        return p;
    }

    private static String entityPath(QboRequest req) {
        return "/" + lower(req.entity());
    }

    private static String lower(String s) {
        return s == null ? null : s.toLowerCase(Locale.ROOT);
    }

    /** Percent-encodes a query value (spaces as %20, which every server decodes). */
    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static <T> T require(T v, String what) {
        if (v == null || (v instanceof String s && s.isBlank())) {
            throw new IllegalArgumentException("qbo request is missing " + what);
        }
        return v;
    }

    private static String orNew(String requestId) {
        return requestId != null ? requestId : UUID.randomUUID().toString();
    }
}
