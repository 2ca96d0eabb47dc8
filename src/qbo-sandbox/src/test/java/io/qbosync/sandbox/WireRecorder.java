package io.qbosync.sandbox;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A recording HTTP forward proxy in front of the sandbox: it passes bytes through unchanged (bodies stay
 * compressed) and keeps the headers of every exchange, so tests can see what a third-party client really sent.
 */
final class WireRecorder implements AutoCloseable {
    /** One forwarded exchange; header names are lower case. */
    record Exchange(String method, String path, Map<String, List<String>> request, int status,
                    Map<String, List<String>> response) {
        String requestHeader(String name) {
            List<String> v = request.get(name);
            return v == null || v.isEmpty() ? null : v.get(0);
        }

        String responseHeader(String name) {
            List<String> v = response.get(name);
            return v == null || v.isEmpty() ? null : v.get(0);
        }
    }

    /** Headers java.net.http sets itself (or refuses), plus hop-by-hop proxy headers. */
    private static final Set<String> NOT_FORWARDED = Set.of("host", "content-length", "connection", "expect",
            "upgrade", "proxy-connection", "keep-alive", "te", "transfer-encoding");

    private final HttpServer server;
    private final HttpClient http = HttpClient.newHttpClient();
    private final String target;
    final List<Exchange> exchanges = new CopyOnWriteArrayList<>();

    WireRecorder(String targetBase) throws IOException {
        this.target = targetBase;
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::forward);
        server.start();
    }

    int port() {
        return server.getAddress().getPort();
    }

    private void forward(HttpExchange ex) throws IOException {
        try (ex) {
            URI uri = ex.getRequestURI();
            String pathAndQuery = uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
            byte[] body = ex.getRequestBody().readAllBytes();
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(target + pathAndQuery))
                    .method(ex.getRequestMethod(), body.length == 0 ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofByteArray(body));
            ex.getRequestHeaders().forEach((name, values) -> {
                if (!NOT_FORWARDED.contains(name.toLowerCase())) {
                    values.forEach(v -> b.header(name, v));
                }
            });
            HttpResponse<byte[]> r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
            exchanges.add(new Exchange(ex.getRequestMethod(), uri.getRawPath(), lower(ex.getRequestHeaders()),
                    r.statusCode(), lower(r.headers())));
            r.headers().map().forEach((name, values) -> {
                if (!NOT_FORWARDED.contains(name.toLowerCase()) && !name.startsWith(":")) {
                    values.forEach(v -> ex.getResponseHeaders().add(name, v));
                }
            });
            byte[] out = r.body();
            ex.sendResponseHeaders(r.statusCode(), out.length == 0 ? -1 : out.length);
            if (out.length > 0) {
                try (OutputStream os = ex.getResponseBody()) {
                    os.write(out);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Map<String, List<String>> lower(Map<String, List<String>> headers) {
        Map<String, List<String>> out = new TreeMap<>();
        headers.forEach((k, v) -> out.put(k.toLowerCase(), List.copyOf(v)));
        return out;
    }

    private static Map<String, List<String>> lower(HttpHeaders headers) {
        return lower(headers.map());
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
