package io.qbosync.config.security;

import java.net.URI;
import java.util.Locale;

import jakarta.servlet.http.HttpServletRequest;

/** Whether a browser's {@code Origin} header names the origin the request was sent to. */
public final class SameOrigin {

    private SameOrigin() {
    }

    /**
     * Scheme, host and port of {@code origin} are those of the request as the server sees it (after forwarded
     * headers, when {@code server.forward-headers-strategy} trusts them). {@code null} (sandboxed frames,
     * {@code file:} pages) and anything unparsable are not the same origin.
     */
    public static boolean matches(String origin, HttpServletRequest request) {
        URI uri;
        try {
            uri = URI.create(origin.trim());
        } catch (IllegalArgumentException e) {
            return false;
        }
        if (uri.getScheme() == null || uri.getHost() == null) {
            return false;
        }
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        int port = uri.getPort() != -1 ? uri.getPort() : "https".equals(scheme) ? 443 : "http".equals(scheme) ? 80 : -1;
        return scheme.equalsIgnoreCase(request.getScheme())
                && host(uri.getHost()).equalsIgnoreCase(host(request.getServerName()))
                && port == request.getServerPort();
    }

    private static String host(String host) {
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }
}
