package io.qbosync.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import java.util.zip.InflaterInputStream;
import java.util.zip.ZipException;

/**
 * Small HTTP helpers: every answer carries an {@code intuit_tid}; bodies are UTF-8; request bodies may be
 * gzip- or deflate-compressed and answers are gzipped for clients that accept it (Intuit's SDKs do both).
 */
final class HttpIo {
    static final String JSON = "application/json;charset=UTF-8";

    /** Thrown to answer by closing the connection without any response (simulated timeout). */
    static final class DropConnection extends RuntimeException {
        DropConnection() {
            super("drop connection", null, false, false);
        }
    }

    private HttpIo() {
    }

    /** An Intuit-style transaction id, e.g. {@code 1-6650e2a1-9f0c3d2e1b4a5c6d7e8f9a0b}. */
    static String tid() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        return "1-" + Long.toHexString(System.currentTimeMillis() / 1000) + "-"
                + HexFormat.of().toHexDigits(r.nextLong()) + HexFormat.of().toHexDigits(r.nextInt());
    }

    /** Exchange attribute holding an idempotent {@link Runnable} run just before the answer leaves. */
    static final String BEFORE_ANSWER = "qbo.sandbox.beforeAnswer";

    static void send(HttpExchange ex, int status, String contentType, byte[] body) throws IOException {
        if (ex.getAttribute(BEFORE_ANSWER) instanceof Runnable hook) {
            hook.run();
        }
        ex.getResponseHeaders().set("intuit_tid", tid());
        if (contentType != null) {
            ex.getResponseHeaders().set("Content-Type", contentType);
        }
        boolean noBody = body == null || body.length == 0 || status == 204 || "HEAD".equals(ex.getRequestMethod());
        if (!noBody && acceptsGzip(ex.getRequestHeaders().getFirst("Accept-Encoding"))) {
            body = gzip(body);
            ex.getResponseHeaders().set("Content-Encoding", "gzip");
        }
        ex.getResponseHeaders().add("Vary", "Accept-Encoding");
        ex.sendResponseHeaders(status, noBody ? -1 : body.length);
        if (!noBody) {
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        }
    }

    static void json(HttpExchange ex, int status, JsonNode node) throws IOException {
        send(ex, status, JSON, Json.bytes(node));
    }

    /** The request body, decompressed according to {@code Content-Encoding}. */
    static byte[] body(HttpExchange ex) throws IOException {
        byte[] raw = ex.getRequestBody().readAllBytes();
        String encoding = ex.getRequestHeaders().getFirst("Content-Encoding");
        return decode(raw, encoding == null ? "" : encoding.trim().toLowerCase(Locale.ROOT));
    }

    static byte[] decode(byte[] raw, String encoding) {
        if (encoding.isEmpty() || encoding.equals("identity")) {
            return raw;
        }
        try {
            return switch (encoding) {
                case "gzip", "x-gzip" -> readFully(new GZIPInputStream(new ByteArrayInputStream(raw)));
                // HTTP "deflate" is the zlib format (RFC 9110), which is what java.util.zip.Deflater writes by default.
                case "deflate" -> readFully(new InflaterInputStream(new ByteArrayInputStream(raw)));
                default -> throw Faults.fault(Faults.unsupported("Unsupported Content-Encoding: " + encoding));
            };
        } catch (ZipException | EOFException e) {
            throw Faults.fault(Faults.unsupported("Request body is not valid " + encoding + " data: " + e.getMessage()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] readFully(InputStream in) throws IOException {
        try (in) {
            return in.readAllBytes();
        }
    }

    /** True when {@code Accept-Encoding} lists gzip (or {@code *}) without {@code q=0}. */
    static boolean acceptsGzip(String acceptEncoding) {
        if (acceptEncoding == null) {
            return false;
        }
        for (String part : acceptEncoding.split(",")) {
            String[] fields = part.trim().toLowerCase(Locale.ROOT).split(";");
            String coding = fields[0].trim();
            if (!coding.equals("gzip") && !coding.equals("x-gzip") && !coding.equals("*")) {
                continue;
            }
            boolean refused = false;
            for (int i = 1; i < fields.length; i++) {
                String param = fields[i].replace(" ", "");
                if (param.startsWith("q=")) {
                    try {
                        refused = Double.parseDouble(param.substring(2)) == 0;
                    } catch (NumberFormatException e) {
                        refused = true;
                    }
                }
            }
            if (!refused) {
                return true;
            }
        }
        return false;
    }

    static byte[] gzip(byte[] plain) {
        ByteArrayOutputStream buf = new ByteArrayOutputStream(Math.max(64, plain.length / 3));
        try (GZIPOutputStream out = new GZIPOutputStream(buf)) {
            out.write(plain);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return buf.toByteArray();
    }

    /** Strict UTF-8 decoding; QBO answers a non-UTF-8 body with 400/500. */
    static String utf8(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw Faults.fault(Faults.unsupported("Invalid byte 1 of 1-byte UTF-8 sequence."));
        }
    }

    /** Decoded query or form parameters (first value wins). */
    static Map<String, String> params(String raw) {
        Map<String, String> out = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return out;
        }
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String k = decode(eq < 0 ? pair : pair.substring(0, eq));
            String v = eq < 0 ? "" : decode(pair.substring(eq + 1));
            out.putIfAbsent(k, v);
        }
        return out;
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return s;
        }
    }

    static String html(String title, String message) {
        return "<!DOCTYPE html><html><head><title>" + title + "</title></head><body><h1>" + title + "</h1><p>"
                + message + "</p></body></html>";
    }
}
