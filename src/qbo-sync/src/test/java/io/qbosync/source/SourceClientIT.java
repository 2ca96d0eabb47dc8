package io.qbosync.source;

import io.qbosync.source.feed.SourceKind;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The client against a source that misbehaves at page level (the sample source never does): a tiny HTTP
 * server answering whatever body the test sets.
 */
class SourceClientIT {
    private HttpServer server;
    private final AtomicReference<byte[]> body = new AtomicReference<>();
    private final AtomicReference<Integer> status = new AtomicReference<>(200);
    private final AtomicReference<String> lastQuery = new AtomicReference<>();
    private SourceClient client;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", ex -> {
            lastQuery.set(ex.getRequestURI().getRawQuery());
            byte[] b = body.get();
            ex.sendResponseHeaders(status.get(), b.length);
            ex.getResponseBody().write(b);
            ex.close();
        });
        server.start();
        client = new SourceClient("http://127.0.0.1:" + server.getAddress().getPort() + "/");
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private void answer(int code, String text) {
        status.set(code);
        body.set(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void pageLevelBreakageFailsTheCallInsteadOfLosingRecords() {
        answer(200, "<html>maintenance</html>");
        assertThatThrownBy(() -> client.fetchChanges(null, 10)).isInstanceOf(SourceClientException.class).hasMessageContaining("is not JSON");

        answer(200, "{\"contacts\":\"oops\",\"nextCursor\":\"c1\",\"hasMore\":false}");
        assertThatThrownBy(() -> client.fetchChanges(null, 10)).hasMessageContaining("\"contacts\" is not an array");

        answer(200, "{\"contacts\":[{\"id\":\"C-1\"}],\"hasMore\":false}");
        assertThatThrownBy(() -> client.fetchChanges(null, 10)).hasMessageContaining("has no nextCursor");

        answer(503, "{\"error\":\"down for maintenance\"}");
        assertThatThrownBy(() -> client.fetchChanges(null, 10)).isInstanceOfSatisfying(SourceClientException.class, e -> {
            assertThat(e.status()).isEqualTo(503);
            assertThat(e.getMessage()).isEqualTo("GET /api/changes answered 503: down for maintenance");
        });

        assertThatThrownBy(() -> client.fetchChanges(null, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void missingArraysAreEmptyAndTheCursorIsSentEncoded() {
        answer(200, "{\"payments\":[{\"id\":\"P-1\"}],\"nextCursor\":\"next+/=\",\"hasMore\":true}");
        SourceBatch batch = client.fetchChanges("a+b/c=", 25);
        assertThat(lastQuery.get()).isEqualTo("since=a%2Bb%2Fc%3D&limit=25");
        assertThat(batch.items()).singleElement().satisfies(i -> {
            assertThat(i.kind()).isEqualTo(SourceKind.PAYMENT);
            assertThat(i.sourceId()).isEqualTo("P-1");
            assertThat(i.errors()).contains("payment P-1: invoiceId is missing", "payment P-1: amount is missing");
        });
        assertThat(batch.nextCursor()).isEqualTo("next+/=");
        assertThat(batch.hasMore()).isTrue();

        answer(200, "{\"contacts\":[],\"nextCursor\":null,\"hasMore\":false}");
        assertThat(client.fetchChanges("", 5).nextCursor()).isNull();
        assertThat(client.fetchChanges("keep-me", 5).nextCursor()).isEqualTo("keep-me");
    }

    @Test
    void nanAndBadBytesStayInsideTheirRecord() {
        byte[] page = ("{\"payments\":[{\"id\":\"P-1\",\"invoiceId\":\"I-1\",\"amount\":NaN,\"paidOn\":\"2025-07-10\",\"updatedAt\":\"2025-07-10T10:00:00Z\"},"
                + "{\"id\":\"P-2\",\"invoiceId\":\"I-\u00ff\",\"amount\":5,\"paidOn\":\"2025-07-10\",\"updatedAt\":\"2025-07-10T10:00:00Z\"},"
                + "{\"id\":\"P-3\",\"invoiceId\":\"I-3\",\"amount\":5.25,\"paidOn\":\"2025-07-10\",\"updatedAt\":\"2025-07-10T10:00:00Z\"}],"
                + "\"nextCursor\":\"c\",\"hasMore\":false}").getBytes(StandardCharsets.ISO_8859_1); // \u00ff alone is not UTF-8
        status.set(200);
        body.set(page);
        SourceBatch batch = client.fetchChanges(null, 10);
        assertThat(batch.items()).hasSize(3);
        assertThat(batch.items().get(0).errors()).containsExactly("payment P-1: amount: expected a finite number, got NaN");
        assertThat(batch.items().get(1).errors())
                .containsExactly("payment P-2: invoiceId contains invalid UTF-8 (replacement character U+FFFD at position 2)");
        assertThat(batch.validItems()).singleElement().satisfies(i -> assertThat(i.sourceId()).isEqualTo("P-3"));
    }
}
