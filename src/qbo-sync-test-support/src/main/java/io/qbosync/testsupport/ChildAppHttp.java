package io.qbosync.testsupport;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * For tests that run the app as a child JVM (crash, fuzz baseline): free ports to start it on, and JSON reads that
 * report a not-yet-started or restarting app as an {@link IOException} for the caller's polling loop to retry.
 */
public final class ChildAppHttp {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ChildAppHttp() {
    }

    /** A loopback TCP port nothing listens on right now. */
    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /**
     * GETs {@code url} (with {@code auth} as the Authorization header unless null) and parses the JSON answer.
     *
     * @throws IOException when the app does not answer, or answers other than 200
     */
    public static JsonNode getJson(HttpClient http, String url, String auth) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).GET();
        if (auth != null) {
            b.header("Authorization", auth);
        }
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IOException("GET " + url + " -> " + r.statusCode());
        }
        return JSON.readTree(r.body());
    }
}
