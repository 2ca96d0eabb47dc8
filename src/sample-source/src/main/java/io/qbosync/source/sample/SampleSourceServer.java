package io.qbosync.source.sample;


import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.qbosync.source.feed.SourceJson;
import io.qbosync.source.feed.SourceKind;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The bundled sample source: an association manager's API (contacts, companies, invoices, payments) over the
 * JDK's HTTP server, with a change feed, QBO write-back endpoints and an admin API for tests and demos.
 * docs/sample-source.md describes every endpoint.
 *
 * <p>Data = {@link SampleDataGenerator} output (same seed, same records) plus the journal in the data
 * directory, which holds every runtime change and write-back and is replayed on start.
 */
public final class SampleSourceServer implements AutoCloseable {

    static {
        // The JDK server writes headers and body apart: without TCP_NODELAY, Nagle and delayed ACKs add ~40 ms per answer.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }
    private static final Logger LOG = LoggerFactory.getLogger(SampleSourceServer.class);
    public static final int DEFAULT_LIMIT = 500;
    public static final int MAX_LIMIT = 5000;
    private static final int MAX_BODY = 10 * 1024 * 1024;
    private static final Pattern RECORD = Pattern.compile("/api/(contacts|companies|invoices|payments)/([^/]+)");
    private static final Pattern STATUS = Pattern.compile("/api/invoices/([^/]+)/qbo-status");
    private static final Pattern PAYMENTS = Pattern.compile("/api/invoices/([^/]+)/payments");
    private static final List<String> QBO_STATUSES = List.of("open", "paid", "voided");

    private final SampleSourceSettings settings;
    private final SampleStore store;
    private final HttpServer http;
    private final ExecutorService executor;
    private final AtomicBoolean closed = new AtomicBoolean();

    private SampleSourceServer(SampleSourceSettings settings, SampleStore store, HttpServer http, ExecutorService executor) {
        this.settings = settings;
        this.store = store;
        this.http = http;
        this.executor = executor;
    }

    /** Generates the data, replays the journal and starts listening; takes any patched record. */
    public static SampleSourceServer start(SampleSourceSettings settings) {
        return start(settings, RecordCheck.NONE);
    }

    /** As {@link #start(SampleSourceSettings)}, refusing patches that {@code check} finds problems in. */
    public static SampleSourceServer start(SampleSourceSettings settings, RecordCheck check) {
        SampleDataSet data = new SampleDataGenerator(settings.seed(), settings.records(), settings.chapters()).generate();
        SampleStore store = new SampleStore(data, Clock.systemUTC(), check);
        if (settings.malformed() > 0) {
            // Generated like the data (same seed, not journalled), before the journal is replayed on top.
            store.addMalformed(new MalformedCorpus(settings.seed(), settings.malformed()).records());
        }
        checkMeta(settings);
        store.attach(SampleJournal.open(settings.dataDir()));
        AtomicInteger threads = new AtomicInteger();
        ExecutorService executor = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "sample-source-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        try {
            HttpServer http = HttpServer.create(new InetSocketAddress(settings.host(), settings.port()), 50);
            http.setExecutor(executor);
            SampleSourceServer server = new SampleSourceServer(settings, store, http, executor);
            http.createContext("/", server::handle);
            http.start();
            LOG.info("Sample source listening on {} ({} records{}, seed {}, data in {})", server.baseUrl(), data.size(),
                    settings.malformed() > 0 ? " + " + settings.malformed() + " malformed" : "", settings.seed(), settings.dataDir());
            return server;
        } catch (IOException e) {
            executor.shutdownNow();
            store.close();
            throw new UncheckedIOException("cannot bind the sample source to " + settings.host() + ":" + settings.port(), e);
        }
    }

    /** The bound port (the real one when 0 was asked). */
    public int port() {
        return http.getAddress().getPort();
    }

    /** {@code http://host:port}, without a trailing slash. */
    public String baseUrl() {
        String host = settings.host().contains(":") ? "[" + settings.host() + "]" : settings.host();
        return "http://" + host + ":" + port();
    }

    public SampleSourceSettings settings() {
        return settings;
    }

    /** Stops listening and closes the journal; idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        http.stop(0);
        executor.shutdown();
        try {
            if (!executor.awaitTermination(5, TimeUnit.SECONDS)) {
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        store.close();
    }

    // ---- routing ---------------------------------------------------------------------------------------------

    private void handle(HttpExchange ex) {
        try (ex) {
            try {
                route(ex);
            } catch (SampleRequestException e) {
                ObjectNode body = SourceJson.mapper().createObjectNode();
                body.put("error", e.errors().get(0));
                ArrayNode errors = body.putArray("errors");
                e.errors().forEach(errors::add);
                send(ex, e.status(), body);
            } catch (RuntimeException e) {
                LOG.error("Sample source failed on {} {}", ex.getRequestMethod(), ex.getRequestURI(), e);
                send(ex, 500, SourceJson.mapper().createObjectNode().put("error", "internal error: " + e.getMessage()));
            }
        } catch (IOException e) {
            LOG.debug("Sample source could not answer {}: {}", ex.getRequestURI(), e.getMessage());
        }
    }

    private void route(HttpExchange ex) throws IOException {
        String method = ex.getRequestMethod();
        String path = ex.getRequestURI().getRawPath();
        Matcher m;
        if (path.equals("/api/changes")) {
            requireMethod(method, "GET");
            changes(ex);
        } else if ((m = STATUS.matcher(path)).matches()) {
            requireMethod(method, "POST");
            qboStatus(ex, decode(m.group(1)));
        } else if ((m = PAYMENTS.matcher(path)).matches()) {
            requireMethod(method, "POST");
            qboPayment(ex, decode(m.group(1)));
        } else if ((m = RECORD.matcher(path)).matches()) {
            requireMethod(method, "GET");
            SourceKind kind = SourceKind.fromWire(m.group(1));
            String id = decode(m.group(2));
            byte[] json = store.get(kind, id);
            if (json == null) {
                throw new SampleRequestException(404, List.of(kind.wire() + " " + id + " does not exist"));
            }
            sendBytes(ex, 200, json);
        } else if (path.equals("/api/write-backs")) {
            requireMethod(method, "GET");
            ObjectNode body = SourceJson.mapper().createObjectNode();
            body.set("writeBacks", store.writeBacks());
            send(ex, 200, body);
        } else if (path.equals("/sample/records")) {
            requireMethod(method, "POST");
            ObjectNode body = SourceJson.mapper().createObjectNode();
            body.set("stored", store.putRecords(readJson(ex)));
            send(ex, 200, body);
        } else if (path.equals("/sample/malformed")) {
            requireMethod(method, "POST");
            malformed(ex);
        } else if (path.equals("/sample/stats")) {
            requireMethod(method, "GET");
            send(ex, 200, store.stats());
        } else {
            throw new SampleRequestException(404, List.of("no such endpoint: " + method + " " + path));
        }
    }

    private void changes(HttpExchange ex) throws IOException {
        Map<String, String> q = query(ex.getRequestURI());
        String since = q.getOrDefault("since", "");
        int limit = DEFAULT_LIMIT;
        if (q.containsKey("limit")) {
            try {
                limit = Integer.parseInt(q.get("limit"));
            } catch (NumberFormatException e) {
                throw new SampleRequestException(400, List.of("limit \"" + q.get("limit") + "\" is not a whole number"));
            }
            if (limit < 1) {
                throw new SampleRequestException(400, List.of("limit must be ≥ 1, got " + limit));
            }
            limit = Math.min(limit, MAX_LIMIT);
        }
        FeedKey key = null;
        if (!since.isEmpty()) {
            try {
                key = FeedKey.fromCursor(since);
            } catch (IllegalArgumentException e) {
                throw new SampleRequestException(400, List.of(e.getMessage()));
            }
        }
        sendBytes(ex, 200, store.changesPage(key, since, limit));
    }

    private void malformed(HttpExchange ex) throws IOException {
        Map<String, String> q = query(ex.getRequestURI());
        ObjectNode body = SourceJson.mapper().createObjectNode();
        if (q.containsKey("kind")) {
            SourceKind kind;
            try {
                kind = SourceKind.fromWire(q.get("kind"));
            } catch (IllegalArgumentException e) {
                throw new SampleRequestException(400, List.of(e.getMessage()));
            }
            body.putArray("stored").add(store.putMalformedBytes(kind, readBody(ex)));
        } else {
            body.set("stored", store.putMalformed(readJson(ex)));
        }
        send(ex, 200, body);
    }

    private void qboStatus(HttpExchange ex, String invoiceId) throws IOException {
        JsonNode body = readJson(ex);
        List<String> errors = new ArrayList<>();
        String status = text(body, "status", true, 10, errors);
        if (status != null && !QBO_STATUSES.contains(status)) {
            errors.add("status \"" + status + "\" is not one of open, paid, voided");
        }
        BigDecimal balance = money(body, "balance", errors);
        if (balance != null && balance.signum() < 0) {
            errors.add("balance must be ≥ 0 (got " + balance.toPlainString() + ")");
        }
        String qboId = text(body, "qboId", false, 50, errors);
        String docNumber = text(body, "docNumber", false, 21, errors);
        if (!errors.isEmpty()) {
            throw new SampleRequestException(400, errors);
        }
        send(ex, 200, store.writeStatus(invoiceId, status, balance, qboId, docNumber).qbo());
    }

    private void qboPayment(HttpExchange ex, String invoiceId) throws IOException {
        JsonNode body = readJson(ex);
        List<String> errors = new ArrayList<>();
        String paymentId = text(body, "qboPaymentId", true, 50, errors);
        BigDecimal amount = money(body, "amount", errors);
        if (amount != null && amount.signum() <= 0) {
            errors.add("amount must be > 0 (got " + amount.toPlainString() + ")");
        }
        String date = text(body, "date", true, 10, errors);
        if (date != null) {
            try {
                LocalDate.parse(date);
            } catch (DateTimeParseException e) {
                errors.add("date \"" + date + "\" is not a date (YYYY-MM-DD)");
            }
        }
        if (!errors.isEmpty()) {
            throw new SampleRequestException(400, errors);
        }
        SampleStore.WriteResult r = store.writePayment(invoiceId, paymentId, amount, date);
        send(ex, r.created() ? 201 : 200, r.qbo());
    }

    // ---- helpers -----------------------------------------------------------------------------------------------

    private static String text(JsonNode body, String field, boolean required, int max, List<String> errors) {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) {
            if (required) {
                errors.add(field + " is missing");
            }
            return null;
        }
        if (!n.isTextual() || n.asText().isBlank()) {
            errors.add(field + " must be a non-blank string");
            return null;
        }
        if (n.asText().length() > max) {
            errors.add(field + " is longer than " + max + " characters");
            return null;
        }
        return n.asText();
    }

    private static BigDecimal money(JsonNode body, String field, List<String> errors) {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) {
            errors.add(field + " is missing");
            return null;
        }
        if (!n.isNumber() || ((n.isDouble() || n.isFloat()) && !Double.isFinite(n.doubleValue()))) {
            errors.add(field + " must be a number");
            return null;
        }
        BigDecimal v = n.decimalValue();
        if (Math.max(0, v.stripTrailingZeros().scale()) > 2) {
            errors.add(field + " " + v.toPlainString() + " has more than 2 decimals");
            return null;
        }
        return v;
    }

    private static void requireMethod(String actual, String expected) {
        if (!expected.equals(actual)) {
            throw new SampleRequestException(405, List.of("use " + expected + " here, not " + actual));
        }
    }

    private static JsonNode readJson(HttpExchange ex) throws IOException {
        byte[] body = readBody(ex);
        try {
            JsonNode n = SourceJson.mapper().readTree(body);
            if (n == null || !n.isObject()) {
                throw new SampleRequestException(400, List.of("the body must be a JSON object"));
            }
            return n;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new SampleRequestException(400, List.of("the body is not valid JSON: " + e.getOriginalMessage()));
        }
    }

    private static byte[] readBody(HttpExchange ex) throws IOException {
        try (InputStream in = ex.getRequestBody()) {
            byte[] body = in.readNBytes(MAX_BODY + 1);
            if (body.length > MAX_BODY) {
                throw new SampleRequestException(413, List.of("the body is larger than " + MAX_BODY + " bytes"));
            }
            return body;
        }
    }

    private static Map<String, String> query(URI uri) {
        Map<String, String> map = new HashMap<>();
        String raw = uri.getRawQuery();
        if (raw == null || raw.isEmpty()) {
            return map;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String k = decode(eq < 0 ? pair : pair.substring(0, eq));
            String v = eq < 0 ? "" : decode(pair.substring(eq + 1));
            map.putIfAbsent(k, v);
        }
        return map;
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    private static void send(HttpExchange ex, int status, JsonNode body) throws IOException {
        sendBytes(ex, status, SourceJson.mapper().writeValueAsBytes(body));
    }

    private static void sendBytes(HttpExchange ex, int status, byte[] body) throws IOException {
        ex.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        ex.getResponseBody().write(body);
    }

    // ---- data directory meta and standalone start ---------------------------------------------------------------

    /** Warns when the journal was written for another seed or size: replaying it onto other data is confusing. */
    private static void checkMeta(SampleSourceSettings settings) {
        Path meta = settings.dataDir().resolve("meta.json");
        ObjectNode now = SourceJson.mapper().createObjectNode().put("seed", settings.seed()).put("records", settings.records());
        if (settings.malformed() > 0) {
            now.put("malformed", settings.malformed());
        }
        try {
            Files.createDirectories(settings.dataDir());
            if (Files.exists(meta)) {
                JsonNode before = SourceJson.mapper().readTree(meta.toFile());
                if (!now.equals(before)) {
                    LOG.warn("Sample source data dir {} was written for {} but now runs with {}; its journal is replayed anyway",
                            settings.dataDir(), before, now);
                }
            } else {
                Files.write(meta, SourceJson.mapper().writeValueAsBytes(now));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot use sample source data dir " + settings.dataDir(), e);
        }
    }

    /**
     * Standalone start: {@code --host=127.0.0.1 --port=8090 --data-dir=./data/sample-source --seed=42 --records=0
     * --malformed=0}.
     * Runs until the JVM is stopped.
     */
    public static void main(String[] args) throws InterruptedException {
        Map<String, String> opts = new HashMap<>();
        for (String a : args) {
            if (!a.startsWith("--") || !a.contains("=")) {
                System.err.println("usage: SampleSourceServer [--host=H] [--port=P] [--data-dir=D] [--seed=S] [--records=N] [--malformed=M] [--chapters=C]");
                System.exit(2);
            }
            opts.put(a.substring(2, a.indexOf('=')).toLowerCase(Locale.ROOT), a.substring(a.indexOf('=') + 1));
        }
        SampleSourceSettings settings = new SampleSourceSettings(
                opts.getOrDefault("host", SampleSourceSettings.DEFAULT_HOST),
                Integer.parseInt(opts.getOrDefault("port", String.valueOf(SampleSourceSettings.DEFAULT_PORT))),
                Path.of(opts.getOrDefault("data-dir", "./data/sample-source")),
                Long.parseLong(opts.getOrDefault("seed", String.valueOf(SampleSourceSettings.DEFAULT_SEED))),
                Integer.parseInt(opts.getOrDefault("records", "0")),
                Integer.parseInt(opts.getOrDefault("malformed", "0")),
                Integer.parseInt(opts.getOrDefault("chapters", "0")));
        SampleSourceServer server = start(settings);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "sample-source-shutdown"));
        System.out.println("Sample source at " + server.baseUrl());
        stopped.await();
    }
}
