package io.qbosync.sandbox;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The unauthenticated admin API under {@code /sandbox} (bind the sandbox to 127.0.0.1): realms, seeding,
 * inspection, reset, tokens, preferences, fault injection and traffic counters. Documented in docs/sandbox.md.
 */
final class AdminHandler {
    private final SandboxEngine engine;

    AdminHandler(SandboxEngine engine) {
        this.engine = engine;
    }

    /** A client error of the admin API: {@code {"error": …}}. */
    static final class AdminError extends RuntimeException {
        final int status;

        AdminError(int status, String message) {
            super(message, null, false, false);
            this.status = status;
        }
    }

    void handle(HttpExchange ex) throws IOException {
        try {
            route(ex);
        } catch (AdminError e) {
            error(ex, e.status, e.getMessage());
        } catch (IllegalArgumentException e) {
            error(ex, 400, e.getMessage());
        } catch (SandboxEngine.SeedFault e) {
            ObjectNode o = Json.object();
            o.put("error", "seed failed at " + e.entity + "[" + e.index + "]; nothing was created");
            o.put("entity", e.entity);
            o.put("index", e.index);
            o.set("Fault", e.fault.faultNode());
            HttpIo.json(ex, 400, o);
        }
    }

    private void route(HttpExchange ex) throws IOException {
        String method = ex.getRequestMethod();
        String[] seg = ex.getRequestURI().getPath().substring(1).split("/");
        // seg[0] == "sandbox"
        if (seg.length == 2 && seg[1].equals("health") && method.equals("GET")) {
            ObjectNode o = Json.object();
            o.put("status", "UP");
            o.put("realms", engine.realms().size());
            HttpIo.json(ex, 200, o);
            return;
        }
        if (seg.length == 2 && seg[1].equals("stats")) {
            requireMethod(method, "GET");
            // Every company's counters in one reply, read one right after the other: a benchmark over many companies
            // takes them at one instant instead of one request per company under load.
            HttpIo.json(ex, 200, realmList(this::stats));
            return;
        }
        if (seg.length == 2 && seg[1].equals("faults")) {
            globalFaults(ex, method);
            return;
        }
        if (seg.length < 2 || !seg[1].equals("realms")) {
            throw new AdminError(404, "no such admin resource");
        }
        if (seg.length == 2) {
            switch (method) {
                case "POST" -> createRealm(ex);
                case "GET" -> HttpIo.json(ex, 200, realmList(this::summary));
                default -> throw new AdminError(405, "use GET or POST");
            }
            return;
        }
        RealmState realm = engine.realm(seg[2]);
        if (realm == null) {
            throw new AdminError(404, "no realm " + seg[2]);
        }
        String sub = seg.length > 3 ? seg[3] : "";
        switch (sub) {
            case "" -> {
                if (method.equals("GET")) {
                    HttpIo.json(ex, 200, summary(realm));
                } else if (method.equals("DELETE")) {
                    engine.deleteRealm(realm);
                    HttpIo.send(ex, 204, null, null);
                } else {
                    throw new AdminError(405, "use GET or DELETE");
                }
            }
            case "seed" -> {
                requireMethod(method, "POST");
                JsonNode body = body(ex);
                if (!(body instanceof ObjectNode doc)) {
                    throw new AdminError(400, "seed body must be a JSON object");
                }
                boolean allowDup = ApiHandler.includes(HttpIo.params(ex.getRequestURI().getRawQuery()),
                        "allowduplicatedocnum");
                Map<String, List<String>> created = engine.seed(realm, doc, allowDup);
                ObjectNode o = Json.object();
                o.put("realmId", realm.id());
                ObjectNode c = o.putObject("created");
                created.forEach((type, ids) -> {
                    ArrayNode a = c.putArray(type);
                    ids.forEach(a::add);
                });
                HttpIo.json(ex, 200, o);
            }
            case "entities" -> {
                requireMethod(method, "GET");
                if (seg.length != 5) {
                    throw new AdminError(404, "use /sandbox/realms/{id}/entities/{Entity}");
                }
                EntityRules type = engine.catalog.find(seg[4]);
                if (type == null) {
                    throw new AdminError(404, "unknown entity " + seg[4]);
                }
                ObjectNode o = Json.object();
                ArrayNode rows = o.putArray(type.name());
                realm.lock.readLock().lock();
                try {
                    for (Stored s : realm.all(type.name())) {
                        ObjectNode n = type.render(realm, s.node());
                        if (s.deleted()) {
                            n = n.deepCopy();
                            n.put("status", "Deleted");
                        }
                        rows.add(n);
                    }
                } finally {
                    realm.lock.readLock().unlock();
                }
                o.put("count", rows.size());
                HttpIo.json(ex, 200, o);
            }
            case "reset" -> {
                requireMethod(method, "POST");
                JsonNode body = optionalBody(ex);
                engine.resetRealm(realm, Json.bool(body, "defaultAccounts", true));
                HttpIo.json(ex, 200, summary(realm));
            }
            case "tokens" -> {
                requireMethod(method, "POST");
                TokenService.Issued issued = engine.tokens.issue(realm.id());
                ObjectNode o = Json.object();
                o.put("realmId", realm.id());
                o.put("clientId", realm.clientId());
                o.put("accessToken", issued.accessToken());
                o.put("refreshToken", issued.refreshToken());
                o.put("expiresIn", issued.expiresIn());
                HttpIo.json(ex, 201, o);
            }
            case "preferences" -> {
                if (method.equals("PUT")) {
                    JsonNode body = body(ex);
                    if (!(body instanceof ObjectNode patch)) {
                        throw new AdminError(400, "preferences body must be a JSON object");
                    }
                    engine.mergePreferences(realm, patch);
                } else {
                    requireMethod(method, "GET");
                }
                HttpIo.json(ex, 200, realm.preferences());
            }
            case "faults" -> realmFaults(ex, method, realm);
            case "stats" -> {
                requireMethod(method, "GET");
                HttpIo.json(ex, 200, stats(realm));
            }
            default -> throw new AdminError(404, "no such admin resource");
        }
    }

    /** {@code {"realms": [...]}}: one entry per realm, oldest realm first. */
    private ObjectNode realmList(Function<RealmState, ObjectNode> entry) {
        ObjectNode o = Json.object();
        ArrayNode list = o.putArray("realms");
        engine.realms().stream().sorted(Comparator.comparingLong(RealmState::createdMs))
                .forEach(r -> list.add(entry.apply(r)));
        return o;
    }

    private ObjectNode stats(RealmState realm) {
        FaultInjector.Traffic t = engine.faults.traffic(realm.id());
        ObjectNode o = Json.object();
        o.put("realmId", realm.id());
        o.put("accepted", t.accepted());
        o.put("throttled", t.throttled());
        o.put("inFlight", t.inFlight());
        return o;
    }

    private void createRealm(HttpExchange ex) throws IOException {
        JsonNode body = optionalBody(ex);
        SandboxEngine.CreatedRealm c = engine.createRealm(Json.text(body, "name"), Json.text(body, "clientId"),
                Json.text(body, "clientSecret"), Json.bool(body, "defaultAccounts", true));
        ObjectNode o = Json.object();
        o.put("realmId", c.realm().id());
        o.put("name", c.realm().name());
        o.put("accessToken", c.tokens().accessToken());
        o.put("refreshToken", c.tokens().refreshToken());
        o.put("clientId", c.clientId());
        if (c.clientSecret() == null) {
            o.putNull("clientSecret");
        } else {
            o.put("clientSecret", c.clientSecret());
        }
        o.put("expiresIn", c.tokens().expiresIn());
        HttpIo.json(ex, 201, o);
    }

    private void realmFaults(HttpExchange ex, String method, RealmState realm) throws IOException {
        int revoked = 0;
        switch (method) {
            case "GET" -> {
            }
            case "PUT" -> {
                ObjectNode patch = patchBody(ex);
                if (Json.bool(patch, "revokeTokens", false)) {
                    revoked = engine.tokens.revokeRealm(realm.id());
                }
                engine.faults.setOwn(realm.id(), engine.faults.effective(realm.id()).merge(patch));
            }
            case "DELETE" -> engine.faults.setOwn(realm.id(), null);
            default -> throw new AdminError(405, "use GET, PUT or DELETE");
        }
        ObjectNode o = Json.object();
        o.put("realmId", realm.id());
        o.put("inherited", engine.faults.own(realm.id()) == null);
        o.set("faults", engine.faults.effective(realm.id()).toJson());
        if (revoked > 0) {
            o.put("revokedTokens", revoked);
        }
        HttpIo.json(ex, 200, o);
    }

    private void globalFaults(HttpExchange ex, String method) throws IOException {
        int revoked = 0;
        switch (method) {
            case "GET" -> {
            }
            case "PUT" -> {
                ObjectNode patch = patchBody(ex);
                if (Json.bool(patch, "revokeTokens", false)) {
                    for (RealmState r : engine.realms()) {
                        if (engine.faults.own(r.id()) == null) {
                            revoked += engine.tokens.revokeRealm(r.id());
                        }
                    }
                }
                engine.faults.setGlobal(engine.faults.global().merge(patch));
            }
            case "DELETE" -> engine.faults.setGlobal(FaultSettings.NONE);
            default -> throw new AdminError(405, "use GET, PUT or DELETE");
        }
        ObjectNode o = Json.object();
        o.set("faults", engine.faults.global().toJson());
        if (revoked > 0) {
            o.put("revokedTokens", revoked);
        }
        HttpIo.json(ex, 200, o);
    }

    private ObjectNode summary(RealmState r) {
        ObjectNode o = Json.object();
        o.put("realmId", r.id());
        o.put("name", r.name());
        o.put("clientId", r.clientId());
        o.put("createdTime", engine.clock.metaTime(r.createdMs()));
        ObjectNode counts = o.putObject("counts");
        r.lock.readLock().lock();
        try {
            for (EntityRules t : engine.catalog.all()) {
                counts.put(t.name(), r.counts().getOrDefault(t.name(), 0));
            }
        } finally {
            r.lock.readLock().unlock();
        }
        o.put("faultsInherited", engine.faults.own(r.id()) == null);
        return o;
    }

    private static void requireMethod(String method, String wanted) {
        if (!method.equals(wanted)) {
            throw new AdminError(405, "use " + wanted);
        }
    }

    private static ObjectNode patchBody(HttpExchange ex) throws IOException {
        JsonNode body = body(ex);
        if (!(body instanceof ObjectNode o)) {
            throw new AdminError(400, "body must be a JSON object");
        }
        return o;
    }

    private static JsonNode body(HttpExchange ex) throws IOException {
        String text = new String(HttpIo.body(ex), StandardCharsets.UTF_8);
        try {
            return Json.parse(text.isBlank() ? "null" : text);
        } catch (JsonProcessingException e) {
            throw new AdminError(400, "body is not JSON: " + e.getOriginalMessage());
        }
    }

    private static JsonNode optionalBody(HttpExchange ex) throws IOException {
        JsonNode b = body(ex);
        if (b != null && !b.isNull() && !b.isObject()) {
            throw new AdminError(400, "body must be a JSON object");
        }
        return b == null || b.isNull() ? Json.object() : b;
    }

    private static void error(HttpExchange ex, int status, String message) throws IOException {
        ObjectNode o = Json.object();
        o.put("error", message);
        HttpIo.json(ex, status, o);
    }
}
