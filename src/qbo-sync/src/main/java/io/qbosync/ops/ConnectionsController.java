package io.qbosync.ops;

import java.security.Principal;
import java.util.List;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import io.qbosync.component.qbo.client.OAuthTokenManager;
import io.qbosync.component.qbo.client.QboConnectionSummary;
import io.qbosync.connect.TokenKeyRotation;
import io.qbosync.store.QboConnectionRepository.Reencryption;

/**
 * {@code GET /api/connections}: each QBO company this node syncs, its connection status and token expiries, and
 * whether a person must act (reconnect, or renew a refresh token that expires within
 * {@code qbo.oauth.expiry-warning-days}). Never a token or secret.
 *
 * <p>{@code POST /api/connections/re-encrypt} (ADMIN): re-encrypts every stored secret with the current
 * {@code qbosync.crypto.key} after a rotation (start-up does the same).
 */
@RestController
@RequestMapping("/api")
public class ConnectionsController {

    private final OAuthTokenManager tokens;
    private final TokenKeyRotation rotation;

    public ConnectionsController(OAuthTokenManager tokens, TokenKeyRotation rotation) {
        this.tokens = tokens;
        this.rotation = rotation;
    }

    /** A connection and whether it needs a person. */
    public record ConnectionView(QboConnectionSummary connection, boolean needsAttention) {
    }

    @GetMapping("/connections")
    public List<ConnectionView> list() {
        return tokens.connections().stream().map(c -> new ConnectionView(c, tokens.needsAttention(c))).toList();
    }

    /** ADMIN only (SecurityConfig): key handling is an administrator's act, not an operator's record action. */
    @PostMapping("/connections/re-encrypt")
    public Reencryption reencrypt(Principal user) {
        return rotation.reencrypt(user.getName());
    }
}
