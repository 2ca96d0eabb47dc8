package io.qbosync.ops;

import java.util.List;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import io.qbosync.component.qbo.client.OAuthTokenManager;
import io.qbosync.component.qbo.client.QboConnectionSummary;

/**
 * {@code GET /api/connections}: each QBO company this node syncs, its connection status and token expiries, and
 * whether a person must act (reconnect, or renew a refresh token that expires within
 * {@code qbo.oauth.expiry-warning-days}). Never a token or secret.
 */
@RestController
@RequestMapping("/api")
public class ConnectionsController {

    private final OAuthTokenManager tokens;

    public ConnectionsController(OAuthTokenManager tokens) {
        this.tokens = tokens;
    }

    /** A connection and whether it needs a person. */
    public record ConnectionView(QboConnectionSummary connection, boolean needsAttention) {
    }

    @GetMapping("/connections")
    public List<ConnectionView> list() {
        return tokens.connections().stream().map(c -> new ConnectionView(c, tokens.needsAttention(c))).toList();
    }
}
