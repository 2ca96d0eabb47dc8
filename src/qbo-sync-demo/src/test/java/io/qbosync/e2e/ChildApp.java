package io.qbosync.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import io.qbosync.QboSyncApplication;
import io.qbosync.testsupport.ChildAppHttp;

/**
 * The app as a child JVM on its own data directory and ports, for tests whose kill must be a real {@code kill -9}
 * (crash, determinism): start, wait for its sandbox company, for a count of QBO entities, or for the sync to settle.
 */
final class ChildApp {

    final Path data;
    final Map<String, Integer> ports;
    final String sandbox;
    final String sample;
    private final String auth;
    private final HttpClient http = HttpClient.newHttpClient();
    private Process process;

    /** Fresh ports for the app, management, the bundled sandbox and the sample source. */
    ChildApp(Path data, String auth) throws IOException {
        this.data = data;
        this.auth = auth;
        this.ports = Map.of("server.port", ChildAppHttp.freePort(), "management.server.port", ChildAppHttp.freePort(),
                "qbo.sandbox.port", ChildAppHttp.freePort(), "source.sample.port", ChildAppHttp.freePort());
        this.sandbox = "http://127.0.0.1:" + ports.get("qbo.sandbox.port");
        this.sample = "http://127.0.0.1:" + ports.get("source.sample.port");
    }

    /**
     * An app that uses a sandbox and a sample source running apart from it (shared by several apps, or outliving a
     * kill): fresh ports for the app and management only; the caller passes the URLs in its arguments.
     */
    ChildApp(Path data, String auth, String sandboxUrl, String sampleUrl) throws IOException {
        this.data = data;
        this.auth = auth;
        this.ports = Map.of("server.port", ChildAppHttp.freePort(), "management.server.port", ChildAppHttp.freePort());
        this.sandbox = sandboxUrl;
        this.sample = sampleUrl;
    }

    /** Starts run {@code run} (its log goes to {@code app-run-<run>.log} in the data directory). */
    void start(int run, List<String> args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx768m", "-cp", System.getProperty("java.class.path"), QboSyncApplication.class.getName(),
                "--qbosync.data-dir=" + data));
        cmd.addAll(args);
        ports.forEach((k, v) -> cmd.add("--" + k + "=" + v));
        process = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(data.resolve("app-run-" + run + ".log").toFile()).start();
    }

    void kill() throws InterruptedException {
        if (process != null) {
            process.destroyForcibly().waitFor();
        }
    }

    void stop() throws InterruptedException {
        if (process != null) {
            process.destroy();
            process.waitFor();
        }
    }

    String awaitRealm(Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            assertAlive();
            try {
                JsonNode realms = get(sandbox + "/sandbox/realms", null);
                JsonNode list = realms.isArray() ? realms : realms.path("realms");
                if (list.size() > 0) {
                    return list.get(0).path("realmId").asText();
                }
            } catch (IOException notUpYet) {
                // the app (and its sandbox) is still starting
            }
            Thread.sleep(250);
        }
        throw new AssertionError("sandbox realm never appeared; log in " + data);
    }

    void awaitCount(String realmId, String entity, int atLeast, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (count(realmId, entity, false) >= atLeast) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError(entity + " count never reached " + atLeast + "; log in " + data);
    }

    int count(String realmId, String entity, boolean strict) {
        try {
            return new SandboxInspector(sandbox).entities(realmId, entity).size();
        } catch (RuntimeException e) {
            if (strict) {
                throw e;
            }
            return 0;
        }
    }

    /** Waits until every source invoice and payment is registered and no record is PENDING; returns the status. */
    JsonNode awaitSettled(Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            assertAlive();
            try {
                JsonNode stats = get(sample + "/sample/stats", null);
                last = get("http://127.0.0.1:" + ports.get("server.port") + "/api/sync/status", auth);
                int registered = total(last, "INVOICE") + total(last, "PAYMENT");
                int pending = statusCount(last, "CUSTOMER", "PENDING") + statusCount(last, "INVOICE", "PENDING")
                        + statusCount(last, "PAYMENT", "PENDING");
                if (registered >= stats.get("invoices").asInt() + stats.get("payments").asInt() && pending == 0) {
                    return last;
                }
            } catch (IOException notUpYet) {
                // starting or restarting
            }
            Thread.sleep(500);
        }
        throw new AssertionError("did not settle; last status " + last + "; log in " + data);
    }

    /** Lines of run {@code run}'s log that contain {@code text}. */
    long logLines(int run, String text) {
        try (var lines = java.nio.file.Files.lines(data.resolve("app-run-" + run + ".log"))) {
            return lines.filter(l -> l.contains(text)).count();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    boolean alive() {
        return process != null && process.isAlive();
    }

    private void assertAlive() {
        assertThat(process.isAlive()).as("app alive; log in %s", data).isTrue();
    }

    static int total(JsonNode status, String type) {
        int n = 0;
        for (JsonNode v : status.path(type)) {
            n += v.asInt();
        }
        return n;
    }

    static int statusCount(JsonNode status, String type, String state) {
        return status.path(type).path(state).asInt(0);
    }

    private JsonNode get(String url, String auth) throws IOException, InterruptedException {
        return ChildAppHttp.getJson(http, url, auth);
    }
}
