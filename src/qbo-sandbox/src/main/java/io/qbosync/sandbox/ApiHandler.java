package io.qbosync.sandbox;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The QBO v3 API under {@code /v3/company/{realmId}/…}: authentication (401/3200, 403/3100), fault
 * injection, then entity CRUD, void, query, CDC, batch, CompanyInfo, Preferences, invoice send and PDF.
 * Writes commit to H2 before answering and honour {@code requestid} replay. Bodies are JSON or QBO XML: the
 * request's by {@code Content-Type}, the answer's by {@code Accept} (XML only when asked for, as QBO's SDKs
 * always send an Accept header); {@link QboXml} maps XML onto the same JSON trees.
 */
final class ApiHandler {
    static final int MAX_REQUEST_ID = 50;
    static final int MAX_BATCH_REQUEST_ID = 36;

    private final SandboxEngine engine;
    private final BatchExecutor batch;
    private final CdcQuery cdc;

    ApiHandler(SandboxEngine engine) {
        this.engine = engine;
        this.batch = new BatchExecutor(engine);
        this.cdc = new CdcQuery(engine.catalog, engine.clock);
    }

    /** A prepared answer: status and JSON text. */
    private record Answer(int status, String body) {
    }

    /** Performs one write inside the realm transaction; returns the response envelope. */
    @FunctionalInterface
    private interface WriteOp {
        ObjectNode apply(WriteContext ctx, SandboxEngine.WriteTx tx);
    }

    void handle(HttpExchange ex) throws IOException, InterruptedException {
        String[] seg = ex.getRequestURI().getRawPath().substring(1).split("/");
        if (seg.length < 3 || !seg[0].equals("v3") || !seg[1].equals("company")) {
            fault(ex, Faults.fault(Faults.unsupported("Unsupported Operation")));
            return;
        }
        String realmId = seg[2];
        TokenService.AuthFailure auth = engine.tokens.authenticate(
                ex.getRequestHeaders().getFirst("Authorization"), realmId);
        if (auth != null) {
            authFault(ex, auth);
            return;
        }
        RealmState realm = engine.realm(realmId);
        if (realm == null) {
            authFault(ex, new TokenService.AuthFailure(403, null));
            return;
        }
        FaultInjector.Refusal refusal = engine.faults.admit(realmId);
        if (refusal != null) {
            throttled(ex, refusal.settings());
            return;
        }
        // The concurrency slot is freed before the answer is written: a client that has read the answer
        // and sends its next request must never find its previous request still counted as in flight.
        AtomicBoolean released = new AtomicBoolean();
        Runnable release = () -> {
            if (released.compareAndSet(false, true)) {
                engine.faults.release(realmId);
            }
        };
        ex.setAttribute(HttpIo.BEFORE_ANSWER, release);
        try {
            if (engine.faults.roll5xx(realmId)) {
                int status = engine.faults.pick5xxStatus(realmId);
                String title = status == 503 ? "503 Service Unavailable" : "500 Internal Server Error";
                HttpIo.send(ex, status, "text/html;charset=UTF-8", HttpIo.html(title,
                        "The server could not handle the request. Please try again later.")
                        .getBytes(StandardCharsets.UTF_8));
                return;
            }
            String[] rest = Arrays.copyOfRange(seg, 3, seg.length);
            route(ex, realm, rest, HttpIo.params(ex.getRequestURI().getRawQuery()));
        } catch (QboFault f) {
            fault(ex, f);
        } finally {
            release.run();
        }
    }

    private void route(HttpExchange ex, RealmState realm, String[] rest, Map<String, String> params) throws IOException {
        String method = ex.getRequestMethod();
        String first = rest.length == 0 ? "" : rest[0].toLowerCase(Locale.ROOT);
        boolean get = method.equals("GET");
        boolean post = method.equals("POST");
        if (first.equals("query") && rest.length == 1 && (get || post)) {
            String q = get ? params.get("query") : HttpIo.utf8(HttpIo.body(ex));
            query(ex, realm, q);
            return;
        }
        if (first.equals("cdc") && rest.length == 1 && get) {
            CdcQuery.Request req = cdc.parse(params.get("entities"), params.get("changedSince"));
            ArrayNode out;
            realm.lock.readLock().lock();
            try {
                out = cdc.run(realm, req);
            } finally {
                realm.lock.readLock().unlock();
            }
            ObjectNode env = Json.object();
            env.set("CDCResponse", out);
            sendEnvelope(ex, env);
            return;
        }
        if (first.equals("batch") && rest.length == 1 && post) {
            ArrayNode items = batch.validate(jsonBody(ex));
            boolean allowDup = includes(params, "allowduplicatedocnum");
            write(ex, realm, params, MAX_BATCH_REQUEST_ID, (ctx, tx) -> {
                ObjectNode env = Json.object();
                env.set("BatchItemResponse", batch.run(realm, items, allowDup, tx));
                return env;
            });
            return;
        }
        if (first.equals("companyinfo") && rest.length == 2 && get) {
            if (!rest[1].equals(realm.id())) {
                throw Faults.fault(Faults.objectNotFound("companyinfo"));
            }
            ObjectNode env = Json.object();
            env.set("CompanyInfo", engine.companyInfo(realm));
            sendEnvelope(ex, env);
            return;
        }
        if (first.equals("preferences") && rest.length == 1 && get) {
            ObjectNode env = Json.object();
            env.set("Preferences", realm.preferences());
            sendEnvelope(ex, env);
            return;
        }
        EntityRules type = engine.catalog.find(first);
        if (type == null || !type.path().equals(first)) {
            throw Faults.fault(Faults.unsupported("Unsupported Operation"));
        }
        if (rest.length == 1 && post) {
            entityPost(ex, realm, type, params);
        } else if (rest.length == 2 && get) {
            ObjectNode node;
            realm.lock.readLock().lock();
            try {
                node = engine.entities.read(realm, type, rest[1]);
            } finally {
                realm.lock.readLock().unlock();
            }
            ObjectNode env = Json.object();
            env.set(type.name(), node);
            sendEnvelope(ex, env);
        } else if (rest.length == 3 && type.name().equals("Invoice") && post && rest[2].equals("send")) {
            String id = rest[1];
            write(ex, realm, params, MAX_REQUEST_ID, (ctx, tx) -> {
                ObjectNode env = Json.object();
                env.set(type.name(), engine.entities.markSent(ctx, type, id, params.get("sendTo"), tx));
                return env;
            });
        } else if (rest.length == 3 && type.name().equals("Invoice") && get && rest[2].equals("pdf")) {
            ObjectNode node;
            realm.lock.readLock().lock();
            try {
                node = engine.entities.read(realm, type, rest[1]);
            } finally {
                realm.lock.readLock().unlock();
            }
            HttpIo.send(ex, 200, "application/pdf", InvoicePdf.render(node));
        } else {
            throw Faults.fault(Faults.unsupported("Unsupported Operation"));
        }
    }

    private void entityPost(HttpExchange ex, RealmState realm, EntityRules type, Map<String, String> params)
            throws IOException {
        JsonNode body = jsonBody(ex);
        String operation = params.getOrDefault("operation", "").toLowerCase(Locale.ROOT);
        boolean voidInclude = includes(params, "void");
        WriteOp op = switch (operation) {
            case "delete" -> (ctx, tx) -> wrap(type, engine.entities.delete(ctx, type, body, tx));
            case "void" -> (ctx, tx) -> wrap(type, engine.entities.voidTxn(ctx, type, body, tx));
            // Intuit's Java SDK voids with a bare POST /invoice?include=void (no operation parameter).
            case "update", "" -> voidInclude
                    ? (ctx, tx) -> wrap(type, engine.entities.voidTxn(ctx, type, body, tx))
                    : (ctx, tx) -> wrap(type, engine.entities.save(ctx, type, body, tx));
            default -> throw Faults.fault(Faults.unsupported("Operation " + operation + " is not supported."));
        };
        write(ex, realm, params, MAX_REQUEST_ID, op);
    }

    private static ObjectNode wrap(EntityRules type, ObjectNode node) {
        ObjectNode env = Json.object();
        env.set(type.name(), node);
        return env;
    }

    /**
     * Runs a write with {@code requestid} replay: a known id returns the logged answer without writing; a
     * new one is logged in the same H2 transaction as the write.
     */
    private void write(HttpExchange ex, RealmState realm, Map<String, String> params, int maxRequestId, WriteOp op)
            throws IOException {
        String requestId = params.get("requestid");
        if (requestId != null && requestId.isEmpty()) {
            requestId = null;
        }
        if (requestId != null && requestId.length() > maxRequestId) {
            throw Faults.fault(Faults.stringLength("requestid", maxRequestId, requestId.length()));
        }
        boolean replayOn = requestId != null && !engine.faults.effective(realm.id()).ignoreRequestId();
        boolean allowDup = includes(params, "allowduplicatedocnum");
        String rid = requestId;
        Answer answer = engine.write(realm, tx -> {
            if (replayOn) {
                SandboxStore.LoggedResponse logged = engine.loggedResponse(realm, rid);
                if (logged != null) {
                    return new Answer(logged.status(), logged.body());
                }
            }
            WriteContext ctx = new WriteContext(realm, engine.catalog, engine.clock, allowDup, false);
            ObjectNode env = op.apply(ctx, tx);
            env.put("time", engine.clock.envelopeTime());
            String text = Json.write(env);
            if (replayOn) {
                tx.logResponse(rid, 200, text);
            }
            return new Answer(200, text);
        });
        if (engine.faults.rollTimeoutAfterCommit(realm.id())) {
            throw new HttpIo.DropConnection();
        }
        if (wantsXml(ex)) {
            // The log keeps the JSON answer; a replay asked for in XML gets the same answer rendered as XML.
            HttpIo.send(ex, answer.status(), QboXml.CONTENT_TYPE,
                    QboXml.response(Json.parseObject(answer.body())).getBytes(StandardCharsets.UTF_8));
        } else {
            HttpIo.send(ex, answer.status(), HttpIo.JSON, answer.body().getBytes(StandardCharsets.UTF_8));
        }
    }

    private void query(HttpExchange ex, RealmState realm, String q) throws IOException {
        ObjectNode response;
        realm.lock.readLock().lock();
        try {
            response = engine.queries.run(realm, q);
        } finally {
            realm.lock.readLock().unlock();
        }
        ObjectNode env = Json.object();
        env.set("QueryResponse", response);
        sendEnvelope(ex, env);
    }

    private void sendEnvelope(HttpExchange ex, ObjectNode env) throws IOException {
        env.put("time", engine.clock.envelopeTime());
        answer(ex, 200, env);
    }

    /** Sends a QBO envelope as JSON, or as an {@code IntuitResponse} document when the client accepts XML. */
    private static void answer(HttpExchange ex, int status, ObjectNode env) throws IOException {
        if (wantsXml(ex)) {
            HttpIo.send(ex, status, QboXml.CONTENT_TYPE, QboXml.response(env).getBytes(StandardCharsets.UTF_8));
        } else {
            HttpIo.json(ex, status, env);
        }
    }

    /** The request body as a JSON tree, parsed as XML when {@code Content-Type} says XML. */
    private static JsonNode jsonBody(HttpExchange ex) throws IOException {
        String text = HttpIo.utf8(HttpIo.body(ex));
        if (text.isBlank()) {
            throw Faults.fault(Faults.unparsableBody());
        }
        if (isXml(ex.getRequestHeaders().getFirst("Content-Type"))) {
            try {
                return QboXml.request(text);
            } catch (QboXml.MalformedXml e) {
                // QBO parses with Xerces and reports its message as code 500, as for a body that is not UTF-8.
                throw Faults.fault(Faults.unsupported(e.getMessage()));
            }
        }
        try {
            return Json.parse(text);
        } catch (JsonProcessingException e) {
            throw Faults.fault(Faults.unparsableBody());
        }
    }

    private static boolean isXml(String mediaType) {
        if (mediaType == null) {
            return false;
        }
        String m = mediaType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        return m.equals("application/xml") || m.equals("text/xml") || m.endsWith("+xml");
    }

    /** XML when {@code Accept} names an XML type before (or without) {@code application/json}; else JSON. */
    static boolean wantsXml(HttpExchange ex) {
        String accept = ex.getRequestHeaders().getFirst("Accept");
        if (accept == null) {
            return false;
        }
        for (String part : accept.split(",")) {
            String m = part.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
            if (m.equals("application/json")) {
                return false;
            }
            if (isXml(m)) {
                return true;
            }
        }
        return false;
    }

    static boolean includes(Map<String, String> params, String value) {
        String inc = params.get("include");
        if (inc == null) {
            return false;
        }
        for (String part : inc.split(",")) {
            if (part.trim().equalsIgnoreCase(value)) {
                return true;
            }
        }
        return false;
    }

    void fault(HttpExchange ex, QboFault f) throws IOException {
        answer(ex, f.status(), f.envelope(engine.clock.envelopeTime()));
    }

    private void authFault(HttpExchange ex, TokenService.AuthFailure auth) throws IOException {
        long now = engine.clock.nowMillis();
        if (auth.status() == 401) {
            ex.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"Intuit\", error=\"invalid_token\"");
        }
        ObjectNode envelope = auth.status() == 401
                ? GatewayFaults.unauthorized(auth.detail(), now) : GatewayFaults.forbidden(now);
        if (wantsXml(ex)) {
            answer(ex, auth.status(), GatewayFaults.capitalised(envelope, engine.clock.envelopeTime()));
        } else {
            HttpIo.json(ex, auth.status(), envelope);
        }
    }

    private void throttled(HttpExchange ex, FaultSettings s) throws IOException {
        if (s.retryAfterSeconds() != null) {
            ex.getResponseHeaders().set("Retry-After", Integer.toString(s.retryAfterSeconds()));
        }
        if (s.throttleXml() || wantsXml(ex)) {
            HttpIo.send(ex, 429, "application/xml;charset=UTF-8",
                    GatewayFaults.throttledXml(engine.clock.envelopeTime()).getBytes(StandardCharsets.UTF_8));
        } else {
            HttpIo.json(ex, 429, GatewayFaults.throttled(engine.clock.nowMillis()));
        }
    }

}
