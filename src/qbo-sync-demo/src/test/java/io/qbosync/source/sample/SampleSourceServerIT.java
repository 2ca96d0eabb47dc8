package io.qbosync.source.sample;

import io.qbosync.source.sample.SampleAdminException;
import io.qbosync.demo.PipelineRecordCheck;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.qbosync.source.QboPaymentWriteBack;
import io.qbosync.source.QboStatusWriteBack;
import io.qbosync.source.SourceBatch;
import io.qbosync.source.SourceClient;
import io.qbosync.source.SourceClientException;
import io.qbosync.source.feed.SourceContact;
import io.qbosync.source.feed.SourceInvoice;
import io.qbosync.source.SourceItem;
import io.qbosync.source.feed.SourceJson;
import io.qbosync.source.feed.SourceKind;
import io.qbosync.source.feed.SourcePayment;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The sample source over real HTTP, read through the real {@link SourceClient}. */
class SampleSourceServerIT {
    @TempDir
    Path dir;

    private SampleSourceServer server;
    private SourceClient client;
    private SampleSourceAdmin admin;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() {
        server = SampleSourceServer.start(SampleSourceSettings.forTest(dir.resolve("data")), new PipelineRecordCheck());
        client = new SourceClient(server.baseUrl());
        admin = new SampleSourceAdmin(server.baseUrl());
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private void restart() {
        server.close();
        server = SampleSourceServer.start(SampleSourceSettings.forTest(dir.resolve("data")), new PipelineRecordCheck());
        client = new SourceClient(server.baseUrl());
        admin = new SampleSourceAdmin(server.baseUrl());
    }

    @Test
    void pagingWithCursorsCoversEveryRecordExactlyOnceInFeedOrder() {
        List<List<SourceItem>> pages = new ArrayList<>();
        String cursor = null;
        SourceBatch batch;
        do {
            batch = client.fetchChanges(cursor, 37);
            assertThat(batch.items()).hasSizeLessThanOrEqualTo(37);
            pages.add(batch.items());
            cursor = batch.nextCursor();
        } while (batch.hasMore());

        List<SourceItem> all = pages.stream().flatMap(List::stream).toList();
        SampleDataSet expected = new SampleDataGenerator(42, 0).generate();
        assertThat(all).hasSize(expected.size()).allMatch(SourceItem::valid);
        Set<String> seen = new HashSet<>();
        all.forEach(i -> assertThat(seen.add(i.kind() + "/" + i.sourceId())).as("once: " + i.sourceId()).isTrue());
        assertThat(records(all, SourceContact.class)).containsExactlyInAnyOrderElementsOf(expected.contacts());
        assertThat(records(all, SourceInvoice.class)).containsExactlyInAnyOrderElementsOf(expected.invoices());
        assertThat(records(all, SourcePayment.class)).containsExactlyInAnyOrderElementsOf(expected.payments());

        // Feed order (updatedAt, kind, id): every page lies wholly after the one before it.
        Comparator<SourceItem> feedOrder = Comparator.comparing((SourceItem i) -> Instant.parse(i.raw().get("updatedAt").asText()))
                .thenComparing(SourceItem::kind).thenComparing(SourceItem::sourceId);
        for (int p = 1; p < pages.size(); p++) {
            SourceItem lastOfPrevious = pages.get(p - 1).stream().max(feedOrder).orElseThrow();
            SourceItem firstOfThis = pages.get(p).stream().min(feedOrder).orElseThrow();
            assertThat(feedOrder.compare(lastOfPrevious, firstOfThis)).isNegative();
        }
        // A party is handed over no later than the invoices billing it, an invoice no later than its payments.
        Set<String> delivered = new HashSet<>();
        for (SourceItem i : all) {
            if (i.record() instanceof SourceInvoice inv) {
                assertThat(delivered).contains(inv.billToType() + "/" + inv.billToId());
            } else if (i.record() instanceof SourcePayment pay) {
                assertThat(delivered).contains("invoice/" + pay.invoiceId());
            }
            delivered.add(i.kind().wire() + "/" + i.sourceId());
        }

        SourceBatch after = client.fetchChanges(cursor, 10);
        assertThat(after.items()).isEmpty();
        assertThat(after.hasMore()).isFalse();
        assertThat(after.nextCursor()).isEqualTo(cursor);
    }

    @Test
    void limitsAreCappedAndDefaulted() throws Exception {
        assertThat(client.fetchChanges(null, 100_000).items()).hasSize(470);
        JsonNode page = getJson("/api/changes");
        int n = page.get("contacts").size() + page.get("companies").size() + page.get("invoices").size() + page.get("payments").size();
        assertThat(n).isEqualTo(SampleSourceServer.DEFAULT_LIMIT > 470 ? 470 : SampleSourceServer.DEFAULT_LIMIT);
        assertThat(page.get("hasMore").asBoolean()).isFalse();
        assertThat(status("/api/changes?limit=abc")).isEqualTo(400);
        assertThat(status("/api/changes?limit=0")).isEqualTo(400);
        assertThatThrownBy(() -> client.fetchChanges("bm90LWEtY3Vyc29y", 10))
                .isInstanceOfSatisfying(SourceClientException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.getMessage()).contains("was not issued by this source");
                });
    }

    @Test
    void sameSeedServesTheSameBytesOtherSeedDoesNot() throws Exception {
        try (SampleSourceServer twin = SampleSourceServer.start(SampleSourceSettings.forTest(dir.resolve("twin")), new PipelineRecordCheck());
             SampleSourceServer other = SampleSourceServer.start(SampleSourceSettings.forTest(dir.resolve("other")).withSeed(7), new PipelineRecordCheck())) {
            String path = "/api/changes?limit=5000";
            assertThat(get(twin.baseUrl() + path)).isEqualTo(get(server.baseUrl() + path));
            assertThat(get(other.baseUrl() + path)).isNotEqualTo(get(server.baseUrl() + path));
        }
    }

    @Test
    void singleRecordsAreServedById() throws Exception {
        SourceItem contact = client.fetchRecord(SourceKind.CONTACT, SampleCases.APOSTROPHE_CONTACT_ID);
        assertThat(contact.recordAs(SourceContact.class).lastName()).isEqualTo("O'Brien");
        assertThat(client.fetchRecord(SourceKind.COMPANY, SampleCases.APOSTROPHE_COMPANY_ID).valid()).isTrue();
        assertThat(client.fetchRecord(SourceKind.INVOICE, SampleCases.DUPLICATE_NUMBER_INVOICE_ID)
                .recordAs(SourceInvoice.class).number()).isEqualTo(SampleCases.DUPLICATE_DOC_NUMBER);
        assertThat(client.fetchRecord(SourceKind.PAYMENT, SampleCases.FULL_PAYMENT_ID).valid()).isTrue();
        assertThat(client.fetchRecord(SourceKind.CONTACT, "C-9999")).isNull();
        assertThat(status("/api/nothing")).isEqualTo(404);
        assertThat(http.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/api/changes"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(405);
    }

    @Test
    void writeBacksAreIdempotentValidatedAndSurviveARestart() {
        String id = SampleCases.APOSTROPHE_INVOICE_ID;
        JsonNode qbo = client.writeInvoiceStatus(id, new QboStatusWriteBack("paid", new BigDecimal("0.00"), "130", "GU-10001"));
        assertThat(qbo.get("status").asText()).isEqualTo("paid");
        client.writeInvoicePayment(id, new QboPaymentWriteBack("77", new BigDecimal("400.00"), "2025-07-10"));
        client.writeInvoicePayment(id, new QboPaymentWriteBack("77", new BigDecimal("400.00"), "2025-07-10"));
        JsonNode after = client.writeInvoicePayment(id, new QboPaymentWriteBack("78", new BigDecimal("50.00"), "2025-07-11"));
        assertThat(after.get("payments")).hasSize(2);
        assertThat(client.writeBacks()).hasSize(3);

        assertThatThrownBy(() -> client.writeInvoiceStatus(id, new QboStatusWriteBack("closed", new BigDecimal("-1"), null, null)))
                .isInstanceOfSatisfying(SourceClientException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.getMessage()).contains("status \"closed\" is not one of open, paid, voided")
                            .contains("balance must be ≥ 0 (got -1)");
                });
        assertThatThrownBy(() -> client.writeInvoicePayment(id, new QboPaymentWriteBack("79", new BigDecimal("5.001"), "2025-13-01")))
                .isInstanceOfSatisfying(SourceClientException.class, e -> assertThat(e.getMessage())
                        .contains("amount 5.001 has more than 2 decimals").contains("date \"2025-13-01\" is not a date"));
        assertThatThrownBy(() -> client.writeInvoicePayment("I-9999", new QboPaymentWriteBack("80", BigDecimal.TEN, "2025-07-11")))
                .isInstanceOfSatisfying(SourceClientException.class, e -> assertThat(e.status()).isEqualTo(404));

        restart();
        server.close(); // closing twice is harmless
        server = SampleSourceServer.start(SampleSourceSettings.forTest(dir.resolve("data")), new PipelineRecordCheck());
        client = new SourceClient(server.baseUrl());

        JsonNode raw = client.fetchRecord(SourceKind.INVOICE, id).raw();
        assertThat(raw.get("qbo").get("status").asText()).isEqualTo("paid");
        assertThat(raw.get("qbo").get("qboId").asText()).isEqualTo("130");
        assertThat(raw.get("qbo").get("balance").decimalValue()).isEqualByComparingTo("0");
        assertThat(raw.get("qbo").get("payments")).hasSize(2);
        assertThat(raw.get("qbo").get("payments").get(0).get("amount").decimalValue()).isEqualByComparingTo("400.00");
        assertThat(client.fetchRecord(SourceKind.INVOICE, id).valid()).isTrue();
        assertThat(client.writeBacks()).hasSize(3);
        assertThat(client.writeBacks().get(0).get("type").asText()).isEqualTo("qbo-status");
        // A repeat after the restart is still recognised.
        client.writeInvoicePayment(id, new QboPaymentWriteBack("77", new BigDecimal("400.00"), "2025-07-10"));
        assertThat(client.writeBacks()).hasSize(3);
        // Write-backs do not re-enter the change feed (the pipeline would push its own echo back to QBO).
        assertThat(client.fetchChanges(lastCursor(), 10).items()).isEmpty();
    }

    @Test
    void runtimeChangesAppearInTheNextPageAndArePersisted() {
        String cursor = lastCursor();
        ObjectNode changes = json("""
                {"contacts":[{"id":"C-9001","firstName":"Nuala","lastName":"D'Arcy","email":"nuala@example.org",
                              "updatedAt":"2020-01-01T00:00:00Z"}],
                 "invoices":[{"id":"I-0050","memo":"Changed at runtime"},
                             {"id":"I-9001","number":"GU-19001","billToType":"contact","billToId":"C-9001",
                              "category":"membership","typeName":"Gold Membership","issueDate":"2026-04-01",
                              "lines":[{"description":"Gold Membership — annual dues","quantity":1,"unitPrice":450.00,"amount":450.00}],
                              "total":450.00,"status":"open"}]}""");
        JsonNode stored = admin.putRecords(changes);
        assertThat(stored).hasSize(3);

        SourceBatch next = client.fetchChanges(cursor, 100);
        assertThat(next.items()).extracting(SourceItem::sourceId).containsExactly("C-9001", "I-0050", "I-9001");
        assertThat(next.items()).allMatch(SourceItem::valid);
        SourceContact added = next.items().get(0).recordAs(SourceContact.class);
        assertThat(Instant.parse(added.updatedAt())).isAfter(Instant.parse("2026-01-01T00:00:00Z"));
        SourceInvoice changed = next.items().get(1).recordAs(SourceInvoice.class);
        assertThat(changed.memo()).isEqualTo("Changed at runtime");
        assertThat(changed.number()).isEqualTo("GU-10050");
        assertThat(next.hasMore()).isFalse();
        // The changed invoice moved: a full read still sees it once.
        assertThat(client.fetchChanges(null, 5000).items()).hasSize(472);

        ObjectNode bad = json("""
                {"payments":[{"id":"P-9001","invoiceId":"I-9001","amount":-3,"paidOn":"2026-04-02"}]}""");
        assertThatThrownBy(() -> admin.putRecords(bad)).isInstanceOfSatisfying(SampleAdminException.class, e -> {
            assertThat(e.status()).isEqualTo(400);
            assertThat(e.getMessage()).contains("payment P-9001: amount must be > 0 (got -3)");
        });
        assertThat(admin.stats().get("payments").asInt()).isEqualTo(120);

        restart();
        assertThat(admin.stats().get("contacts").asInt()).isEqualTo(121);
        assertThat(admin.stats().get("invoices").asInt()).isEqualTo(201);
        assertThat(client.fetchRecord(SourceKind.INVOICE, "I-0050").recordAs(SourceInvoice.class).memo()).isEqualTo("Changed at runtime");
        assertThat(client.fetchChanges(next.nextCursor(), 100).items()).isEmpty();
        // After a restart new changes still land after every cursor handed out before it.
        admin.putRecords(json("{\"contacts\":[{\"id\":\"C-9001\",\"phone\":\"+1-202-555-0199\"}]}"));
        assertThat(client.fetchChanges(next.nextCursor(), 100).items()).extracting(SourceItem::sourceId).containsExactly("C-9001");
    }

    @Test
    void malformedRecordsAreServedVerbatimAndEachIsFlaggedOnItsOwn() throws Exception {
        String cursor = lastCursor();
        admin.injectMalformed(json("""
                {"invoices":[{"id":"I-0007","number":"GU-10007","billToType":"contact","billToId":"C-0001","category":"event",
                              "typeName":"Annual Gala","issueDate":"2025-07-02","currency":"USD",
                              "lines":[{"quantity":1,"unitPrice":125.00,"amount":125.00},{"quantity":"abc","unitPrice":1,"amount":1}],
                              "total":126.00,"status":"open","updatedAt":"2025-07-02T09:00:00Z"},
                             "not an object"],
                 "payments":[{"id":"P-0009","invoiceId":"I-0001","amount":-5.00,"paidOn":"2025-07-10","updatedAt":"2025-07-10T10:00:00Z"}],
                 "contacts":[{"firstName":"No","lastName":"Id","updatedAt":"2025-07-10T10:00:00Z"}]}"""));
        byte[] badUtf8 = "{\"id\":\"C-0666\",\"firstName\":\"Bad\",\"lastName\":\"X_Y\",\"updatedAt\":\"2025-07-10T10:00:00Z\"}"
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        int at = new String(badUtf8, java.nio.charset.StandardCharsets.ISO_8859_1).indexOf("X_Y") + 1;
        badUtf8[at] = (byte) 0xC3; // a lead byte followed by a quote-free ASCII byte: invalid UTF-8
        admin.injectMalformedBytes(SourceKind.CONTACT, badUtf8);
        admin.putRecords(json("{\"companies\":[{\"id\":\"CO-0900\",\"name\":\"Good Neighbours Ltd\"}]}"));

        SourceBatch page = client.fetchChanges(cursor, 100);
        assertThat(page.items()).hasSize(6);
        assertThat(page.validItems()).extracting(SourceItem::sourceId).containsExactly("CO-0900");
        List<String> errors = page.invalidItems().stream().flatMap(i -> i.errors().stream()).toList();
        SourceItem noId = page.items().stream().filter(i -> i.kind() == SourceKind.CONTACT && i.sourceId().startsWith("missing-id-")).findFirst().orElseThrow();
        assertThat(errors).contains(
                "invoice GU-10007: lines[1].quantity: expected a number, got \"abc\"",
                "payment P-0009: amount must be > 0 (got -5.00)",
                "contact " + noId.sourceId() + ": id is missing",
                "contact C-0666: lastName contains invalid UTF-8 (replacement character U+FFFD at position 1)");
        assertThat(errors).anyMatch(m -> m.matches("invoice missing-id-[0-9a-f]{16}: expected a JSON object, got \"not an object\""));
        // The malformed invoice replaced I-0007 under the same id.
        assertThat(client.fetchRecord(SourceKind.INVOICE, "I-0007").valid()).isFalse();

        byte[] rawPage = getBytes("/api/changes?limit=100&since=" + cursor);
        assertThat(indexOf(rawPage, badUtf8)).as("invalid bytes served verbatim").isGreaterThan(0);
        JsonNode stats = admin.stats();
        assertThat(stats.get("malformed").asInt()).isEqualTo(5);

        restart();
        assertThat(client.fetchChanges(cursor, 100).invalidItems()).hasSize(5);
        assertThat(indexOf(getBytes("/api/changes?limit=100&since=" + cursor), badUtf8)).isGreaterThan(0);

        HttpResponse<String> notJson = http.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/sample/malformed?kind=invoice"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"id\": oops")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(notJson.statusCode()).isEqualTo(400);
    }

    @Test
    void aTornLastJournalLineIsDroppedAndEverythingBeforeItKept() throws Exception {
        client.writeInvoiceStatus("I-0002", new QboStatusWriteBack("open", new BigDecimal("250.00"), "131", "GU-10002"));
        server.close();
        Path journal = dir.resolve("data").resolve("journal.jsonl");
        java.nio.file.Files.writeString(journal, "{\"op\":\"payment\",\"invoiceId\":\"I-0002\",\"qboPay",
                java.nio.file.StandardOpenOption.APPEND);

        server = SampleSourceServer.start(SampleSourceSettings.forTest(dir.resolve("data")), new PipelineRecordCheck());
        client = new SourceClient(server.baseUrl());
        assertThat(client.writeBacks()).hasSize(1);
        client.writeInvoicePayment("I-0002", new QboPaymentWriteBack("90", new BigDecimal("10.00"), "2025-07-12"));
        restart();
        assertThat(client.writeBacks()).extracting(n -> n.get("type").asText()).containsExactly("qbo-status", "payment");
        assertThat(java.nio.file.Files.readString(journal)).doesNotContain("qboPay\"").endsWith("\n");
    }

    // ---- helpers ---------------------------------------------------------------------------------------------

    private String lastCursor() {
        String cursor = null;
        SourceBatch b;
        do {
            b = client.fetchChanges(cursor, 5000);
            cursor = b.nextCursor();
        } while (b.hasMore());
        return cursor;
    }

    private static <T> List<T> records(List<SourceItem> items, Class<T> type) {
        return items.stream().filter(i -> type.isInstance(i.record())).map(i -> type.cast(i.record())).toList();
    }

    private static ObjectNode json(String text) {
        try {
            return (ObjectNode) SourceJson.mapper().readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    private JsonNode getJson(String path) throws Exception {
        return SourceJson.mapper().readTree(getBytes(path));
    }

    private byte[] getBytes(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + path)).build(), HttpResponse.BodyHandlers.ofByteArray()).body();
    }

    private String get(String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    private int status(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + path)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
