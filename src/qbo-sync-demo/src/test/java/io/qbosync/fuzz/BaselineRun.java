package io.qbosync.fuzz;

import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;

import io.qbosync.QboSyncApplication;
import io.qbosync.testsupport.ChildAppHttp;
import io.qbosync.testsupport.TestHttp;

/**
 * The reference run for the fuzz check: the whole app on embedded defaults with the good records only, as a child
 * JVM (one app per JVM: two embedded brokers and sandboxes in one test JVM would share more than they should).
 * Reports what QBO ended up holding and the store's counts, then stops the app.
 */
final class BaselineRun {

    private static final String AUTH = TestHttp.basic("admin", "admin");

    /** What a run without bad records ends with. */
    record Outcome(Map<String, Integer> qboCounts, Map<String, Long> storeCounts) {
    }

    private BaselineRun() {
    }

    static Outcome run(Path dataDir, Duration timeout) throws Exception {
        int appPort = ChildAppHttp.freePort();
        int sandboxPort = ChildAppHttp.freePort();
        int sourcePort = ChildAppHttp.freePort();
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx768m", "-cp", System.getProperty("java.class.path"), QboSyncApplication.class.getName(),
                "--qbosync.data-dir=" + dataDir, "--server.port=" + appPort, "--management.server.port=" + ChildAppHttp.freePort(),
                "--qbo.sandbox.port=" + sandboxPort, "--source.sample.port=" + sourcePort,
                // The API user, whether the app's own security config or Boot's default one is in charge.
                "--spring.security.user.name=admin", "--spring.security.user.password=admin"));
        FuzzProperties.EMBEDDED_DEFAULTS.forEach((k, v) -> cmd.add("--" + k + "=" + v));
        ProcessBuilder builder = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dataDir.resolve("baseline-app.log").toFile());
        builder.environment().put("QBOSYNC_ADMIN_PASSWORD", "admin");
        Process app = builder.start();
        try {
            HttpClient http = HttpClient.newHttpClient();
            long deadline = System.nanoTime() + timeout.toNanos();
            JsonNode status = null;
            Exception lastError = null;
            while (System.nanoTime() < deadline) {
                if (!app.isAlive()) {
                    throw new AssertionError("baseline app exited; log in " + dataDir.resolve("baseline-app.log"));
                }
                try {
                    JsonNode stats = get(http, "http://127.0.0.1:" + sourcePort + "/sample/stats", null);
                    status = get(http, "http://127.0.0.1:" + appPort + "/api/sync/status", AUTH);
                    long registered = total(status, "INVOICE") + total(status, "PAYMENT");
                    long pending = status.path("CUSTOMER").path("PENDING").asLong() + status.path("INVOICE").path("PENDING").asLong()
                            + status.path("PAYMENT").path("PENDING").asLong();
                    if (registered >= stats.get("invoices").asLong() + stats.get("payments").asLong() && pending == 0) {
                        return new Outcome(qboCounts(http, "http://127.0.0.1:" + sandboxPort), storeCounts(status));
                    }
                } catch (IOException notUpYet) {
                    lastError = notUpYet; // still starting
                }
                Thread.sleep(500);
            }
            throw new AssertionError("baseline run did not settle within " + timeout + "; last status " + status
                    + ", last error " + lastError + "; log in " + dataDir.resolve("baseline-app.log"));
        } finally {
            app.destroy();
            if (!app.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
                app.destroyForcibly().waitFor();
            }
        }
    }

    /** Counts per "ENTITY/STATUS" from {@code GET /api/sync/status}. */
    static Map<String, Long> storeCounts(JsonNode status) {
        Map<String, Long> out = new TreeMap<>();
        status.fields().forEachRemaining(type -> type.getValue().fields()
                .forEachRemaining(s -> out.put(type.getKey() + "/" + s.getKey(), s.getValue().asLong())));
        return out;
    }

    private static Map<String, Integer> qboCounts(HttpClient http, String sandbox) throws Exception {
        JsonNode realms = get(http, sandbox + "/sandbox/realms", null);
        JsonNode list = realms.isArray() ? realms : realms.path("realms");
        String realmId = list.get(0).path("realmId").asText();
        Map<String, Integer> counts = new TreeMap<>();
        for (String entity : FuzzProperties.QBO_ENTITIES) {
            JsonNode body = get(http, sandbox + "/sandbox/realms/" + realmId + "/entities/" + entity, null);
            JsonNode items = body.isArray() ? body : body.has(entity) ? body.get(entity) : body.path("entities");
            counts.put(entity, items.size());
        }
        return counts;
    }

    private static long total(JsonNode status, String type) {
        long n = 0;
        for (JsonNode v : status.path(type)) {
            n += v.asLong();
        }
        return n;
    }

    private static JsonNode get(HttpClient http, String url, String auth) throws IOException, InterruptedException {
        return ChildAppHttp.getJson(http, url, auth);
    }
}
