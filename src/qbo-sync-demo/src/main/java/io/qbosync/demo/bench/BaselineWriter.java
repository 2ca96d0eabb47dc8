package io.qbosync.demo.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The benchmark's baseline (bench/run.sh): N customer creates sent straight to a QBO sandbox by {@code threads}
 * plain HTTP clients — no queue, no store, no matching. What the pipeline achieves is quoted as a ratio of this.
 * Prints {@code writes=… seconds=… writes_per_s=…} as its last line.
 */
public final class BaselineWriter {

    public static void main(String[] args) throws Exception {
        String sandbox = args[0];
        int writes = Integer.parseInt(args[1]);
        int threads = Integer.parseInt(args[2]);
        ObjectMapper json = new ObjectMapper();
        HttpClient http = HttpClient.newHttpClient();
        JsonNode realm = json.readTree(http.send(HttpRequest.newBuilder(URI.create(sandbox + "/sandbox/realms"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"bench-baseline\"}")).build(),
                HttpResponse.BodyHandlers.ofString()).body());
        String base = sandbox + "/v3/company/" + realm.get("realmId").asText() + "/customer?minorversion=75&requestid=";
        String bearer = "Bearer " + realm.get("accessToken").asText();

        AtomicInteger next = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        long start = System.nanoTime();
        for (int t = 0; t < threads; t++) {
            pool.submit(() -> {
                for (int i = next.getAndIncrement(); i < writes; i = next.getAndIncrement()) {
                    String body = "{\"DisplayName\":\"Baseline Customer " + i + "\"}";
                    try {
                        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "bl-" + i))
                                .header("Authorization", bearer).header("Accept", "application/json")
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
                        if (r.statusCode() != 200) {
                            failed.incrementAndGet();
                        }
                    } catch (Exception e) {
                        failed.incrementAndGet();
                    }
                }
                return null;
            });
        }
        pool.shutdown();
        pool.awaitTermination(1, TimeUnit.HOURS);
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("writes=%d failed=%d seconds=%.2f writes_per_s=%.0f%n", writes, failed.get(), seconds,
                writes / seconds);
    }
}
