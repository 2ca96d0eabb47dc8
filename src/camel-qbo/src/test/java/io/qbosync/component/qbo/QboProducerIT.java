package io.qbosync.component.qbo;

import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** Every qbo: operation through Camel against the real sandbox over HTTP. */
class QboProducerIT {

    @TempDir
    static Path dir;
    static SandboxFixture fx;
    static String realm;
    static OffsetDateTime startedAt;

    DefaultCamelContext context;
    ProducerTemplate template;

    @BeforeAll
    static void sandbox() {
        startedAt = OffsetDateTime.now(ZoneOffset.UTC).minusMinutes(1);
        fx = SandboxFixture.start(dir);
        realm = fx.newRealm().realmId();
    }

    @AfterAll
    static void stopSandbox() {
        fx.close();
    }

    @BeforeEach
    void camel() throws Exception {
        context = new DefaultCamelContext();
        context.addComponent("qbo", new QboComponent(fx.client));
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:createCustomer").routeId("create-customer")
                        .setHeader(QboConstants.REALM_ID, constant(realm))
                        .to("qbo:create:Customer");
                from("direct:cdc").routeId("cdc")
                        .to("qbo:cdc?entities=Customer,Invoice&realmId=" + realm);
            }
        });
        context.start();
        template = context.createProducerTemplate();
    }

    @AfterEach
    void stopCamel() {
        context.stop();
    }

    private String uri(String opAndEntity) {
        return "qbo:" + opAndEntity + (opAndEntity.contains("?") ? "&" : "?") + "realmId=" + realm;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> body(Exchange ex) {
        assertThat(ex.getException()).as("exchange failed").isNull();
        return ex.getMessage().getBody(Map.class);
    }

    private Map<String, Object> createCustomer(String name) {
        return body(template.request("direct:createCustomer",
                e -> e.getMessage().setBody(Map.of("DisplayName", name))));
    }

    @Test
    void createReadSparseAndFullUpdate() {
        String name = "Acme " + UUID.randomUUID();
        Exchange created = template.request("direct:createCustomer", e -> e.getMessage().setBody(Map.of(
                "DisplayName", name, "Notes", "first note",
                "PrimaryEmailAddr", Map.of("Address", "ap@acme.example"))));
        Map<String, Object> c = body(created);
        String id = (String) c.get("Id");
        assertThat(id).isNotBlank();
        assertThat(c.get("SyncToken")).isEqualTo("0");
        assertThat(created.getMessage().getHeader(QboConstants.ID)).isEqualTo(id);
        assertThat(created.getMessage().getHeader(QboConstants.SYNC_TOKEN)).isEqualTo("0");
        assertThat(created.getMessage().getHeader(QboConstants.HTTP_STATUS)).isEqualTo(200);
        assertThat(created.getMessage().getHeader(QboConstants.INTUIT_TID, String.class)).isNotBlank();
        assertThat(created.getMessage().getHeader(QboConstants.REQUEST_ID, String.class)).hasSize(36);

        Exchange read = template.request(uri("read:Customer"),
                e -> e.getMessage().setHeader(QboConstants.ENTITY_ID, id));
        assertThat(body(read).get("DisplayName")).isEqualTo(name);

        // Sparse (default): only CompanyName changes; the body is a JSON string.
        Exchange sparse = template.request(uri("update:Customer"), e -> e.getMessage().setBody(
                "{\"Id\":\"" + id + "\",\"SyncToken\":\"0\",\"CompanyName\":\"Acme Ltd\"}"));
        Map<String, Object> s = body(sparse);
        assertThat(s.get("SyncToken")).isEqualTo("1");
        assertThat(s.get("CompanyName")).isEqualTo("Acme Ltd");
        assertThat(s.get("Notes")).isEqualTo("first note");
        assertThat(s).containsKey("PrimaryEmailAddr");

        // Full update: writable fields left out are cleared; Id and SyncToken come from headers.
        Exchange full = template.request(uri("update:Customer?sparse=false"), e -> {
            e.getMessage().setHeader(QboConstants.ENTITY_ID, id);
            e.getMessage().setHeader(QboConstants.SYNC_TOKEN, "1");
            e.getMessage().setBody(fx.mapper.createObjectNode().put("DisplayName", name).put("Notes", "second"));
        });
        Map<String, Object> f = body(full);
        assertThat(f.get("SyncToken")).isEqualTo("2");
        assertThat(f.get("Notes")).isEqualTo("second");
        assertThat(f).doesNotContainKey("CompanyName").doesNotContainKey("PrimaryEmailAddr");
    }

    @Test
    void queryPagesThroughAllRowsAndCounts() {
        String prefix = "Pager-" + UUID.randomUUID().toString().substring(0, 8);
        for (int i = 0; i < 5; i++) {
            createCustomer(prefix + "-" + i);
        }
        String stmt = "select * from Customer where DisplayName like '" + prefix + "%'";
        Exchange all = template.request(uri("query:Customer?maxResults=2"),
                e -> e.getMessage().setHeader(QboConstants.QUERY, stmt));
        assertThat(all.getException()).isNull();
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> rows = all.getMessage().getBody(List.class);
        assertThat(rows).hasSize(5);
        assertThat(rows).extracting(r -> (Object) r.get("DisplayName"))
                .containsExactlyInAnyOrder(prefix + "-0", prefix + "-1", prefix + "-2", prefix + "-3", prefix + "-4");

        Exchange firstPage = template.request(uri("query:Customer?maxResults=2&fetchAll=false"),
                e -> e.getMessage().setBody(stmt));
        assertThat(firstPage.getMessage().getBody(List.class)).hasSize(2);

        assertThat(fx.client.count(realm, "select count(*) from Customer where DisplayName like '" + prefix + "%'"))
                .isEqualTo(5);
        assertThat(fx.client.query(realm, stmt + " and DisplayName = 'nobody'")).isEmpty();
        Exchange everything = template.request(uri("query:Customer"), e -> { });
        assertThat(everything.getMessage().getBody(List.class)).hasSizeGreaterThanOrEqualTo(5);
    }

    @Test
    void aDiscoveredComponentBuildsItsOwnClientFromEndpointOptions() throws Exception {
        Map<String, Object> c = createCustomer("Standalone " + UUID.randomUUID());
        try (DefaultCamelContext plain = new DefaultCamelContext()) {
            plain.getRegistry().bind("tokens", fx.tokens);
            plain.start();
            Exchange ex = plain.createProducerTemplate().request("qbo:read:Customer?realmId=" + realm
                    + "&baseUrl=" + fx.baseUrl + "&tokenProvider=#tokens", e -> e.getMessage().setBody(c.get("Id")));
            assertThat(body(ex).get("DisplayName")).isEqualTo(c.get("DisplayName"));
            assertThat(plain.getComponent("qbo", QboComponent.class).getClient()).isNotSameAs(fx.client);
        }
    }

    @Test
    void aLongStatementIsPostedInTheBody() {
        String name = "Needle " + UUID.randomUUID();
        createCustomer(name);
        StringBuilder in = new StringBuilder("'" + name + "'");
        for (int i = 0; i < 250; i++) {
            in.append(", 'Haystack name number ").append(i).append("'");
        }
        String stmt = "select * from Customer where DisplayName in (" + in + ")";
        assertThat(stmt.length()).isGreaterThan(4000);
        assertThat(fx.client.query(realm, stmt)).extracting(r -> r.get("DisplayName")).containsExactly(name);
    }

    @Test
    void invoicePaymentDeleteAndVoid() {
        InvoiceKit kit = InvoiceKit.create(fx.client, realm);
        String docNumber = "T-" + UUID.randomUUID().toString().substring(0, 8);
        Map<String, Object> invoice = body(template.request(uri("create:Invoice"),
                e -> e.getMessage().setBody(kit.invoice(docNumber, "150.00"))));
        String invoiceId = (String) invoice.get("Id");
        assertThat(new BigDecimal(invoice.get("TotalAmt").toString())).isEqualByComparingTo("150.00");
        assertThat(invoice.get("DocNumber")).isEqualTo(docNumber);

        Map<String, Object> payment = body(template.request(uri("create:Payment"),
                e -> e.getMessage().setBody(kit.payment(invoiceId, "150.00"))));
        Map<String, Object> paid = fx.client.read(realm, "Invoice", invoiceId);
        assertThat(new BigDecimal(paid.get("Balance").toString())).isEqualByComparingTo("0");

        Exchange deleted = template.request(uri("delete:Payment"), e -> {
            e.getMessage().setHeader(QboConstants.ENTITY_ID, payment.get("Id"));
            e.getMessage().setHeader(QboConstants.SYNC_TOKEN, payment.get("SyncToken"));
        });
        assertThat(body(deleted).get("status")).isEqualTo("Deleted");
        Map<String, Object> open = fx.client.read(realm, "Invoice", invoiceId);
        assertThat(new BigDecimal(open.get("Balance").toString())).isEqualByComparingTo("150.00");

        Exchange voided = template.request(uri("void:Invoice"), e -> e.getMessage().setBody(
                Map.of("Id", invoiceId, "SyncToken", open.get("SyncToken"))));
        Map<String, Object> v = body(voided);
        assertThat(new BigDecimal(v.get("TotalAmt").toString())).isEqualByComparingTo("0");
        assertThat((String) v.get("PrivateNote")).startsWith("Voided");
        assertThat(voided.getMessage().getHeader(QboConstants.SYNC_TOKEN, String.class))
                .isNotEqualTo(open.get("SyncToken"));
    }

    @Test
    void voidAPaymentUsesThePaymentStyleCall() {
        InvoiceKit kit = InvoiceKit.create(fx.client, realm);
        Map<String, Object> invoice = fx.client.create(realm, "Invoice", kit.invoice(null, "80.00"));
        Map<String, Object> payment = fx.client.create(realm, "Payment", kit.payment((String) invoice.get("Id"), "80.00"));
        Exchange voided = template.request(uri("void:Payment"), e -> {
            e.getMessage().setHeader(QboConstants.ENTITY_ID, payment.get("Id"));
            e.getMessage().setHeader(QboConstants.SYNC_TOKEN, payment.get("SyncToken"));
        });
        assertThat(new BigDecimal(body(voided).get("TotalAmt").toString())).isEqualByComparingTo("0");
        Map<String, Object> reopened = fx.client.read(realm, "Invoice", (String) invoice.get("Id"));
        assertThat(new BigDecimal(reopened.get("Balance").toString())).isEqualByComparingTo("80.00");
    }

    @Test
    void deletingAListEntityMakesItInactive() {
        Map<String, Object> c = createCustomer("Leaver " + UUID.randomUUID());
        Exchange ex = template.request(uri("delete:Customer"), e -> e.getMessage().setBody(c));
        assertThat(body(ex).get("Active")).isEqualTo(false);
        assertThat(fx.client.read(realm, "Customer", (String) c.get("Id")).get("Active")).isEqualTo(false);
    }

    @Test
    @SuppressWarnings("unchecked")
    void cdcReturnsChangedEntitiesByType() {
        Map<String, Object> c = createCustomer("Changed " + UUID.randomUUID());
        Exchange ex = template.request("direct:cdc",
                e -> e.getMessage().setHeader(QboConstants.CHANGED_SINCE, startedAt.toString()));
        Map<String, Object> changes = body(ex);
        assertThat(changes).containsKeys("Customer", "Invoice");
        List<Map<String, Object>> customers = (List<Map<String, Object>>) changes.get("Customer");
        assertThat(customers).extracting(m -> m.get("Id")).contains(c.get("Id"));
        assertThat(ex.getMessage().getHeader(QboConstants.CDC_TRUNCATED)).isEqualTo(false);
        assertThat(ex.getMessage().getHeader(QboConstants.RESPONSE_TIME, String.class)).isNotBlank();
    }

    @Test
    @SuppressWarnings("unchecked")
    void batchReturnsItemResultsAndItemFaults() {
        String existing = "Batch existing " + UUID.randomUUID();
        Map<String, Object> first = createCustomer(existing);
        String fresh = "Batch new " + UUID.randomUUID();
        List<Map<String, Object>> items = List.of(
                Map.of("bId", "c1", "operation", "create", "Customer", Map.of("DisplayName", fresh)),
                Map.of("bId", "c2", "operation", "create", "Customer", Map.of("DisplayName", existing)),
                Map.of("bId", "q1", "Query", "select * from Customer where DisplayName = '" + fresh + "'"));
        Exchange ex = template.request(uri("batch"), e -> e.getMessage().setBody(items));
        Map<String, Object> result = body(ex);
        Map<String, Object> c1 = (Map<String, Object>) result.get("c1");
        assertThat(c1.get("status")).isEqualTo("ok");
        assertThat(c1.get("entity")).isEqualTo("Customer");
        assertThat(((Map<String, Object>) c1.get("value")).get("DisplayName")).isEqualTo(fresh);
        Map<String, Object> c2 = (Map<String, Object>) result.get("c2");
        assertThat(c2.get("status")).isEqualTo("fault");
        assertThat(c2.get("code")).isEqualTo("6240");
        assertThat(c2.get("faultClass")).isEqualTo("DETERMINISTIC");
        assertThat(c2.get("existingId")).isEqualTo(first.get("Id"));
        assertThat(result).containsKey("q1");
        assertThat(((Map<String, Object>) result.get("q1")).get("status")).isEqualTo("ok");
        assertThat(ex.getMessage().getHeader(QboConstants.REQUEST_ID, String.class)).isNotBlank();
    }

    /** Reference data for invoices in one realm: an income account, a service item and a customer. */
    record InvoiceKit(String customerId, String itemId) {
        static InvoiceKit create(io.qbosync.component.qbo.client.QboClient client, String realmId) {
            List<Map<String, Object>> income = client.query(realmId,
                    "select * from Account where AccountType = 'Income'");
            String accountId;
            if (income.isEmpty()) {
                accountId = (String) client.create(realmId, "Account",
                        Map.of("Name", "Services " + UUID.randomUUID().toString().substring(0, 8),
                                "AccountType", "Income")).get("Id");
            } else {
                accountId = (String) income.get(0).get("Id");
            }
            String suffix = UUID.randomUUID().toString().substring(0, 8);
            String itemId = (String) client.create(realmId, "Item", Map.of("Name", "Membership " + suffix,
                    "Type", "Service", "IncomeAccountRef", Map.of("value", accountId))).get("Id");
            String customerId = (String) client.create(realmId, "Customer",
                    Map.of("DisplayName", "Member " + suffix)).get("Id");
            return new InvoiceKit(customerId, itemId);
        }

        Map<String, Object> invoice(String docNumber, String amount) {
            Map<String, Object> inv = new HashMap<>();
            inv.put("CustomerRef", Map.of("value", customerId));
            inv.put("Line", List.of(Map.of("Amount", new BigDecimal(amount), "DetailType", "SalesItemLineDetail",
                    "SalesItemLineDetail", Map.of("ItemRef", Map.of("value", itemId), "Qty", 1,
                            "UnitPrice", new BigDecimal(amount)))));
            if (docNumber != null) {
                inv.put("DocNumber", docNumber);
            }
            return inv;
        }

        Map<String, Object> payment(String invoiceId, String amount) {
            return Map.of("CustomerRef", Map.of("value", customerId), "TotalAmt", new BigDecimal(amount),
                    "Line", List.of(Map.of("Amount", new BigDecimal(amount),
                            "LinkedTxn", List.of(Map.of("TxnId", invoiceId, "TxnType", "Invoice")))));
        }
    }
}
