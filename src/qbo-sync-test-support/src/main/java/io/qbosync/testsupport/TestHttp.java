package io.qbosync.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.HttpCookie;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A small real-HTTP client for tests: never follows redirects (tests look at them), keeps cookies like a browser
 * when asked to, and sends HTTP Basic credentials when given them.
 */
public final class TestHttp {

    private final HttpClient client;
    private final CookieManager cookies;

    private TestHttp(CookieManager cookies) {
        this.cookies = cookies;
        HttpClient.Builder builder = HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(10));
        if (cookies != null) {
            builder.cookieHandler(cookies);
        }
        this.client = builder.build();
    }

    /** A client like a script: no cookies kept between requests. */
    public static TestHttp stateless() {
        return new TestHttp(null);
    }

    /** A client like a browser: keeps the cookies the server sets (session, XSRF-TOKEN). */
    public static TestHttp withCookies() {
        return new TestHttp(new CookieManager(null, CookiePolicy.ACCEPT_ALL));
    }

    /** The value of an {@code Authorization} header for HTTP Basic. */
    public static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    /** Starts a request to {@code url}. */
    public Request request(String url) {
        return new Request(URI.create(url));
    }

    /** A cookie this client holds for {@code url}'s host, if any. */
    public Optional<String> cookie(String url, String name) {
        if (cookies == null) {
            return Optional.empty();
        }
        return cookies.getCookieStore().get(URI.create(url)).stream()
                .filter(c -> c.getName().equals(name))
                .map(HttpCookie::getValue)
                .findFirst();
    }

    /**
     * Logs in through Spring Security's form at {@code loginUrl} as a browser does: fetch the page (which sets the
     * XSRF-TOKEN cookie), post the form with the token, and expect the redirect of a successful login.
     */
    public void formLogin(String loginUrl, String user, String password) {
        assertThat(request(loginUrl).accept("text/html").get().status()).isEqualTo(200);
        Response response = request(loginUrl)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("X-XSRF-TOKEN", cookie(loginUrl, "XSRF-TOKEN").orElseThrow())
                .post("username=" + user + "&password=" + password);
        assertThat(response.status()).isEqualTo(302);
        assertThat(response.header("Location")).hasValueSatisfying(l -> assertThat(l).doesNotContain("error"));
    }

    /** One request; headers accumulate, then {@link #get()}, {@link #post(String)} or {@link #send(String, String)}. */
    public final class Request {
        private final URI uri;
        private final Map<String, String> headers = new LinkedHashMap<>();

        private Request(URI uri) {
            this.uri = uri;
        }

        public Request header(String name, String value) {
            headers.put(name, value);
            return this;
        }

        public Request basicAuth(String user, String password) {
            return header("Authorization", basic(user, password));
        }

        public Request accept(String mediaType) {
            return header("Accept", mediaType);
        }

        public Response get() {
            return send("GET", null);
        }

        public Response post(String body) {
            return send("POST", body);
        }

        public Response send(String method, String body) {
            HttpRequest.Builder builder = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30));
            headers.forEach(builder::header);
            builder.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
            try {
                HttpResponse<String> response = client.send(builder.build(), HttpResponse.BodyHandlers.ofString());
                return new Response(response.statusCode(), response.body(), response.headers().map());
            } catch (IOException e) {
                throw new AssertionError(method + " " + uri + " failed: " + e, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(method + " " + uri + " interrupted", e);
            }
        }
    }

    /** Status, body and headers of a response. */
    public record Response(int status, String body, Map<String, java.util.List<String>> headers) {

        /** First value of a header, case-insensitive; empty when absent. */
        public Optional<String> header(String name) {
            return headers.entrySet().stream()
                    .filter(e -> e.getKey().equalsIgnoreCase(name))
                    .flatMap(e -> e.getValue().stream())
                    .findFirst();
        }

        @Override
        public String toString() {
            String shortBody = body == null ? "" : body.length() > 300 ? body.substring(0, 300) + "..." : body;
            return "HTTP " + status + " " + shortBody;
        }
    }
}
