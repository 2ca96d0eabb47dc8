package io.qbosync.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** CDC windows and stubs, batch items with per-item faults, and requestid replay. */
class SandboxCdcBatchIT {
    @TempDir
    static Path dir;
    static final MutableClock CLOCK = new MutableClock();
    static QboSandbox sandbox;
    static SandboxClient client;
    SandboxClient.Realm realm;
    String customerId;

    @BeforeAll
    static void start() {
        sandbox = QboSandbox.start(SandboxSettings.ephemeral(dir).withClock(CLOCK));
        client = new SandboxClient(sandbox.baseUrl());
    }

    @AfterAll
    static void stop() {
        sandbox.close();
    }

    @BeforeEach
    void newRealm() {
        realm = client.createRealm("Changes");
        customerId = client.create(realm, "Customer", "{\"DisplayName\":\"Cdc Member\"}").get("Id").asText();
    }

    private static String at(Instant i) {
        return OffsetDateTime.ofInstant(i, ZoneId.of("America/Los_Angeles")).toString();
    }

    private SandboxClient.Res cdc(String entities, String since) {
        return client.get(realm, "/cdc?entities=" + entities + "&changedSince="
                + URLEncoder.encode(since, StandardCharsets.UTF_8) + "&minorversion=75");
    }

    private String invoiceJson(String amount) {
        return "{\"CustomerRef\":{\"value\":\"" + customerId + "\"},\"Line\":[{\"Amount\":" + amount
                + ",\"DetailType\":\"SalesItemLineDetail\",\"SalesItemLineDetail\":{}}]}";
    }

    @Test
    void changesSinceIncludeOwnWritesUpdatesAndDeletedStubs() {
        Instant t0 = CLOCK.instant().minusSeconds(1);
        JsonNode inv1 = client.create(realm, "Invoice", invoiceJson("10"));
        JsonNode inv2 = client.create(realm, "Invoice", invoiceJson("20"));
        SandboxClient.Res all = cdc("Customer,Invoice", at(t0));
        assertThat(all.status()).as(all.body()).isEqualTo(200);
        JsonNode qrs = all.json().path("CDCResponse").get(0).path("QueryResponse");
        assertThat(qrs.get(0).path("Customer").size()).isEqualTo(1);
        assertThat(qrs.get(1).path("Invoice").size()).isEqualTo(2);
        assertThat(qrs.get(1).get("maxResults").asInt()).isEqualTo(2);

        CLOCK.advance(Duration.ofMinutes(10));
        Instant t1 = CLOCK.instant().minusSeconds(1);
        client.create(realm, "Payment", "{\"CustomerRef\":{\"value\":\"" + customerId + "\"},\"TotalAmt\":10,"
                + "\"Line\":[{\"Amount\":10,\"LinkedTxn\":[{\"TxnId\":\"" + inv1.get("Id").asText() + "\",\"TxnType\":\"Invoice\"}]}]}");
        client.post(realm, "/invoice?operation=delete", "{\"Id\":\"" + inv2.get("Id").asText() + "\",\"SyncToken\":\"0\"}");
        SandboxClient.Res recent = cdc("Invoice,Payment,Customer", at(t1));
        JsonNode list = recent.json().path("CDCResponse").get(0).path("QueryResponse");
        assertThat(list.size()).isEqualTo(2); // Customer has no change in the window
        JsonNode invoices = list.get(0).path("Invoice");
        assertThat(invoices.size()).isEqualTo(2);
        assertThat(invoices.get(0).get("Id").asText()).isEqualTo(inv1.get("Id").asText());
        assertThat(invoices.get(0).get("Balance").decimalValue()).isEqualByComparingTo("0");
        JsonNode stub = invoices.get(1);
        assertThat(stub.get("status").asText()).isEqualTo("Deleted");
        assertThat(stub.get("domain").asText()).isEqualTo("QBO");
        assertThat(stub.get("Id").asText()).isEqualTo(inv2.get("Id").asText());
        assertThat(stub.path("MetaData").has("LastUpdatedTime")).isTrue();
        assertThat(list.get(1).path("Payment").size()).isEqualTo(1);
    }

    @Test
    void noChangesWindowTooOldAndMissingParameters() {
        SandboxClient.Res none = cdc("Customer", at(CLOCK.instant().plusSeconds(60)));
        assertThat(none.json().path("CDCResponse").get(0).path("QueryResponse").toString()).isEqualTo("[{}]");
        SandboxClient.Res old = cdc("Customer", at(CLOCK.instant().minus(Duration.ofDays(31))));
        assertThat(old.status()).isEqualTo(400);
        assertThat(old.faultCode()).isEqualTo("6000");
        assertThat(client.get(realm, "/cdc?entities=Customer").faultCode()).isEqualTo("2020");
        assertThat(cdc("Unicorn", at(CLOCK.instant())).status()).isEqualTo(400);
    }

    @Test
    void atMost1000ObjectsPerResponse() {
        Instant t0 = CLOCK.instant().minusSeconds(1);
        StringBuilder seed = new StringBuilder("{\"Customer\":[");
        for (int i = 0; i < 1010; i++) {
            seed.append(i == 0 ? "" : ",").append("{\"DisplayName\":\"C").append(i).append("\"}");
        }
        assertThat(client.admin("POST", "/sandbox/realms/" + realm.id() + "/seed", seed + "]}").status()).isEqualTo(200);
        JsonNode qr = cdc("Customer", at(t0)).json().path("CDCResponse").get(0).path("QueryResponse").get(0);
        assertThat(qr.path("Customer").size()).isEqualTo(1000);
    }

    @Test
    void batchRunsItemsWithPerItemFaults() {
        JsonNode inv = client.create(realm, "Invoice", invoiceJson("50"));
        JsonNode pay = client.create(realm, "Payment", "{\"CustomerRef\":{\"value\":\"" + customerId + "\"},\"TotalAmt\":50,"
                + "\"Line\":[{\"Amount\":50,\"LinkedTxn\":[{\"TxnId\":\"" + inv.get("Id").asText() + "\",\"TxnType\":\"Invoice\"}]}]}");
        String body = "{\"BatchItemRequest\":["
                + "{\"bId\":\"c1\",\"operation\":\"create\",\"Customer\":{\"DisplayName\":\"Batch New\"}},"
                + "{\"bId\":\"c2\",\"operation\":\"create\",\"Customer\":{\"DisplayName\":\"Cdc Member\"}},"
                + "{\"bId\":\"v3\",\"operation\":\"update\",\"optionsData\":\"void\",\"Payment\":{\"Id\":\""
                + pay.get("Id").asText() + "\",\"SyncToken\":\"0\",\"sparse\":true}},"
                + "{\"bId\":\"q1\",\"Query\":\"select * from Customer where DisplayName = 'Cdc Member'\"},"
                + "{\"bId\":\"u1\",\"operation\":\"update\",\"Customer\":{\"Id\":\"" + customerId
                + "\",\"SyncToken\":\"9\",\"sparse\":true,\"Notes\":\"x\"}}]}";
        SandboxClient.Res r = client.post(realm, "/batch?minorversion=75", body);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        JsonNode items = r.json().get("BatchItemResponse");
        assertThat(items.size()).isEqualTo(5);
        assertThat(items.get(0).get("bId").asText()).isEqualTo("c1");
        assertThat(items.get(0).path("Customer").path("DisplayName").asText()).isEqualTo("Batch New");
        assertThat(items.get(1).path("Fault").path("Error").get(0).get("code").asText()).isEqualTo("6240");
        assertThat(items.get(1).path("Fault").path("type").asText()).isEqualTo("ValidationFault");
        assertThat(items.get(2).path("Payment").path("TotalAmt").decimalValue()).isEqualByComparingTo("0");
        assertThat(items.get(3).path("QueryResponse").path("Customer").size()).isEqualTo(1);
        assertThat(items.get(4).path("Fault").path("Error").get(0).get("code").asText()).isEqualTo("5010");
        assertThat(client.read(realm, "Invoice", inv.get("Id").asText()).get("Balance").decimalValue())
                .isEqualByComparingTo("50");
    }

    @Test
    void batchLimits() {
        List<String> items = new ArrayList<>();
        for (int i = 0; i < 31; i++) {
            items.add("{\"bId\":\"b" + i + "\",\"Query\":\"select * from Customer\"}");
        }
        SandboxClient.Res tooMany = client.post(realm, "/batch", "{\"BatchItemRequest\":[" + String.join(",", items) + "]}");
        assertThat(tooMany.status()).isEqualTo(400);
        SandboxClient.Res thirty = client.post(realm, "/batch", "{\"BatchItemRequest\":["
                + String.join(",", items.subList(0, 30)) + "]}");
        assertThat(thirty.status()).isEqualTo(200);
        SandboxClient.Res longBid = client.post(realm, "/batch",
                "{\"BatchItemRequest\":[{\"bId\":\"12345678901\",\"Query\":\"select * from Customer\"}]}");
        assertThat(longBid.faultCode()).isEqualTo("2050");
        assertThat(longBid.error().get("element").asText()).isEqualTo("bId");
        SandboxClient.Res longRid = client.post(realm, "/batch?requestid=" + "r".repeat(37),
                "{\"BatchItemRequest\":[{\"bId\":\"a\",\"Query\":\"select * from Customer\"}]}");
        assertThat(longRid.faultCode()).isEqualTo("2050");
        assertThat(longRid.error().get("element").asText()).isEqualTo("requestid");
    }

    private int customerCount() {
        return client.query(realm, "select count(*) from Customer where Active in (true,false)")
                .json().path("QueryResponse").path("totalCount").asInt();
    }

    @Test
    void requestIdReplaysTheOriginalAnswerWithoutWritingAgain() {
        SandboxClient.Res first = client.post(realm, "/customer?requestid=cus-4711-c1", "{\"DisplayName\":\"Once\"}");
        assertThat(first.status()).isEqualTo(200);
        int before = customerCount();
        SandboxClient.Res again = client.post(realm, "/customer?requestid=cus-4711-c1", "{\"DisplayName\":\"Once\"}");
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.body()).isEqualTo(first.body());
        SandboxClient.Res changedBody = client.post(realm, "/customer?requestid=cus-4711-c1", "{\"DisplayName\":\"Other\"}");
        assertThat(changedBody.body()).isEqualTo(first.body());
        assertThat(customerCount()).isEqualTo(before);

        // A failed write is not remembered: fixing the body with the same id executes it.
        SandboxClient.Res fail = client.post(realm, "/customer?requestid=cus-4712", "{\"DisplayName\":\"Once\"}");
        assertThat(fail.faultCode()).isEqualTo("6240");
        assertThat(client.post(realm, "/customer?requestid=cus-4712", "{\"DisplayName\":\"Twice\"}").status()).isEqualTo(200);

        // Another realm has its own namespace of request ids.
        SandboxClient.Realm other = client.createRealm("Other");
        SandboxClient.Res elsewhere = client.post(other, "/customer?requestid=cus-4711-c1", "{\"DisplayName\":\"Once\"}");
        assertThat(elsewhere.status()).isEqualTo(200);
        assertThat(elsewhere.body()).isNotEqualTo(first.body());

        assertThat(client.post(realm, "/customer?requestid=" + "x".repeat(51), "{\"DisplayName\":\"Long\"}").faultCode())
                .isEqualTo("2050");
        assertThat(client.post(realm, "/customer?requestid=" + "x".repeat(50), "{\"DisplayName\":\"Long\"}").status())
                .isEqualTo(200);
    }

    @Test
    void batchRequestIdReplays() {
        String body = "{\"BatchItemRequest\":[{\"bId\":\"c1\",\"operation\":\"create\",\"Customer\":{\"DisplayName\":\"B1\"}}]}";
        SandboxClient.Res first = client.post(realm, "/batch?requestid=b-0302-07", body);
        SandboxClient.Res again = client.post(realm, "/batch?requestid=b-0302-07", body);
        assertThat(again.body()).isEqualTo(first.body());
        assertThat(again.json().path("BatchItemResponse").get(0).has("Customer")).isTrue();
        assertThat(customerCount()).isEqualTo(2);
    }
}
