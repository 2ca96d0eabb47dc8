package io.qbosync.sandbox;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;

/** Routes every request: {@code /v3} API, OAuth endpoints, {@code /sandbox} admin; anything else is 400/500. */
final class SandboxHttpHandler implements HttpHandler {
    private static final Logger LOG = LoggerFactory.getLogger(SandboxHttpHandler.class);

    private final ApiHandler api;
    private final OAuthHandler oauth;
    private final AdminHandler admin;

    SandboxHttpHandler(SandboxEngine engine) {
        this.api = new ApiHandler(engine);
        this.oauth = new OAuthHandler(engine);
        this.admin = new AdminHandler(engine);
    }

    @Override
    public void handle(HttpExchange ex) {
        try {
            String path = ex.getRequestURI().getRawPath();
            if (path.startsWith("/v3/")) {
                api.handle(ex);
            } else if (path.equals("/oauth2/v1/tokens/bearer")) {
                oauth.token(ex);
            } else if (path.equals("/v2/oauth2/tokens/revoke")) {
                oauth.revoke(ex);
            } else if (path.equals("/connect/oauth2")) {
                oauth.authorize(ex);
            } else if (path.equals("/sandbox") || path.startsWith("/sandbox/")) {
                admin.handle(ex);
            } else {
                api.fault(ex, Faults.fault(Faults.unsupported("Unsupported Operation")));
            }
        } catch (HttpIo.DropConnection drop) {
            // Closing before any header is sent makes the JDK server drop the connection: a timeout to the client.
            LOG.debug("fault injection: dropping the answer to {} {}", ex.getRequestMethod(), ex.getRequestURI().getPath());
        } catch (QboFault f) {
            tryFault(ex, f);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            tryFault(ex, Faults.systemFailure("interrupted"));
        } catch (IOException e) {
            LOG.debug("client connection failed: {}", e.toString());
        } catch (RuntimeException e) {
            LOG.error("sandbox failed on {} {}", ex.getRequestMethod(), ex.getRequestURI().getPath(), e);
            tryFault(ex, Faults.systemFailure(e.getClass().getSimpleName()));
        } finally {
            ex.close();
        }
    }

    private void tryFault(HttpExchange ex, QboFault f) {
        try {
            api.fault(ex, f);
        } catch (IOException | RuntimeException e) {
            LOG.debug("could not send fault: {}", e.toString());
        }
    }
}
