package io.qbosync.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

/**
 * Intuit's OAuth endpoints on the sandbox host: the consent page {@code GET /connect/oauth2} (auto-approves
 * and redirects with {@code code}, {@code state}, {@code realmId}), the token endpoint
 * {@code POST /oauth2/v1/tokens/bearer} and {@code POST /v2/oauth2/tokens/revoke}.
 */
final class OAuthHandler {
    static final String SCOPE = "com.intuit.quickbooks.accounting";

    private final SandboxEngine engine;

    OAuthHandler(SandboxEngine engine) {
        this.engine = engine;
    }

    void authorize(HttpExchange ex) throws IOException {
        if (!ex.getRequestMethod().equals("GET")) {
            page(ex, 405, "Method not allowed", "Use GET.");
            return;
        }
        Map<String, String> p = HttpIo.params(ex.getRequestURI().getRawQuery());
        String clientId = p.get("client_id");
        String redirect = p.get("redirect_uri");
        if (clientId == null || !engine.tokens.knowsClient(clientId)) {
            page(ex, 400, "invalid_client", "Unknown client_id.");
            return;
        }
        URI target;
        try {
            target = redirect == null ? null : URI.create(redirect);
        } catch (IllegalArgumentException e) {
            target = null;
        }
        if (target == null || !target.isAbsolute() || target.getHost() == null) {
            page(ex, 400, "invalid_request", "redirect_uri must be an absolute URL.");
            return;
        }
        String state = p.get("state");
        if (!"code".equals(p.get("response_type"))) {
            redirect(ex, redirect, "error=unsupported_response_type" + stateParam(state));
            return;
        }
        String scope = p.getOrDefault("scope", "");
        if (!(" " + scope + " ").contains(" " + SCOPE + " ")) {
            redirect(ex, redirect, "error=invalid_scope" + stateParam(state));
            return;
        }
        RealmState realm = pickRealm(clientId, p.get("realmId"));
        if (realm == null) {
            page(ex, 400, "no company", "This client has no sandbox company; create one with POST /sandbox/realms.");
            return;
        }
        String code = engine.tokens.createCode(realm.id(), redirect);
        redirect(ex, redirect, "code=" + enc(code) + stateParam(state) + "&realmId=" + realm.id());
    }

    private RealmState pickRealm(String clientId, String wanted) {
        RealmState best = null;
        for (RealmState r : engine.realms()) {
            if (!clientId.equals(r.clientId())) {
                continue;
            }
            if (wanted != null && wanted.equals(r.id())) {
                return r;
            }
            if (wanted == null && (best == null || r.createdMs() >= best.createdMs())) {
                best = r;
            }
        }
        return best;
    }

    void token(HttpExchange ex) throws IOException {
        if (!ex.getRequestMethod().equals("POST")) {
            error(ex, 405, "invalid_request");
            return;
        }
        Map<String, String> form = HttpIo.params(new String(HttpIo.body(ex), StandardCharsets.UTF_8));
        String[] client = clientCredentials(ex, form);
        boolean hard = "true".equalsIgnoreCase(ex.getRequestHeaders().getFirst("x-include-refresh-token-hard-expires-in"));
        try {
            String grant = form.get("grant_type");
            TokenService.Issued issued;
            if ("refresh_token".equals(grant)) {
                issued = engine.tokens.refresh(client[0], client[1], form.get("refresh_token"));
            } else if ("authorization_code".equals(grant)) {
                issued = engine.tokens.exchangeCode(client[0], client[1], form.get("code"), form.get("redirect_uri"));
            } else {
                if (!engine.tokens.verifyClient(client[0], client[1])) {
                    throw new TokenService.OAuthError(401, "invalid_client");
                }
                throw new TokenService.OAuthError(400, "unsupported_grant_type");
            }
            ex.getResponseHeaders().set("Cache-Control", "no-store");
            HttpIo.json(ex, 200, issued.tokenResponse(hard));
        } catch (TokenService.OAuthError e) {
            error(ex, e.status, e.error);
        }
    }

    void revoke(HttpExchange ex) throws IOException {
        if (!ex.getRequestMethod().equals("POST")) {
            error(ex, 405, "invalid_request");
            return;
        }
        String body = new String(HttpIo.body(ex), StandardCharsets.UTF_8);
        Map<String, String> form = HttpIo.params(body);
        String token = null;
        String trimmed = body.trim();
        if (trimmed.startsWith("{")) {
            try {
                JsonNode json = Json.parse(trimmed);
                token = Json.text(json, "token");
            } catch (IOException e) {
                error(ex, 400, "invalid_request");
                return;
            }
        } else {
            token = form.get("token");
        }
        String[] client = clientCredentials(ex, form);
        try {
            if (token == null || token.isBlank()) {
                if (!engine.tokens.verifyClient(client[0], client[1])) {
                    throw new TokenService.OAuthError(401, "invalid_client");
                }
                throw new TokenService.OAuthError(400, "invalid_request");
            }
            engine.tokens.revoke(client[0], client[1], token);
            HttpIo.send(ex, 200, null, null);
        } catch (TokenService.OAuthError e) {
            error(ex, e.status, e.error);
        }
    }

    /** Basic client_id:client_secret, or the form fields as a fallback. */
    private static String[] clientCredentials(HttpExchange ex, Map<String, String> form) {
        String auth = ex.getRequestHeaders().getFirst("Authorization");
        if (auth != null && auth.regionMatches(true, 0, "Basic ", 0, 6)) {
            try {
                String decoded = new String(Base64.getDecoder().decode(auth.substring(6).trim()), StandardCharsets.UTF_8);
                int colon = decoded.indexOf(':');
                if (colon > 0) {
                    return new String[] {decoded.substring(0, colon), decoded.substring(colon + 1)};
                }
            } catch (IllegalArgumentException e) {
                return new String[] {null, null};
            }
            return new String[] {null, null};
        }
        return new String[] {form.get("client_id"), form.get("client_secret")};
    }

    private void error(HttpExchange ex, int status, String error) throws IOException {
        ObjectNode o = Json.object();
        o.put("error", error);
        if (status == 401) {
            ex.getResponseHeaders().set("WWW-Authenticate", "Basic realm=\"Intuit\"");
        }
        HttpIo.json(ex, status, o);
    }

    private static void redirect(HttpExchange ex, String base, String query) throws IOException {
        ex.getResponseHeaders().set("Location", base + (base.contains("?") ? "&" : "?") + query);
        HttpIo.send(ex, 302, null, null);
    }

    private static void page(HttpExchange ex, int status, String title, String message) throws IOException {
        HttpIo.send(ex, status, "text/html;charset=UTF-8", HttpIo.html(title, message).getBytes(StandardCharsets.UTF_8));
    }

    private static String stateParam(String state) {
        return state == null ? "" : "&state=" + enc(state);
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
