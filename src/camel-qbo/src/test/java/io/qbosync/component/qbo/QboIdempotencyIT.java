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

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** requestid handling: ambiguous writes, replays on retry, no duplicates through Camel redelivery. */
class QboIdempotencyIT {

    @TempDir
    static Path dir;
    static SandboxFixture fx;
    static String realm;

    DefaultCamelContext context;
    ProducerTemplate template;
    final AtomicInteger redeliveries = new AtomicInteger();

    @BeforeAll
    static void sandbox() {
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
                // The "network" heals before the first redelivery: the retry must be answered from the first write.
                errorHandler(defaultErrorHandler().maximumRedeliveries(2).redeliveryDelay(0)
                        .onRedelivery(e -> {
                            redeliveries.incrementAndGet();
                            fx.faults(realm, "{\"timeoutAfterCommitRate\": 0}");
                        }));
                from("direct:create").routeId("create-with-redelivery")
                        .to("qbo:create:Customer?realmId=" + realm);
                from("direct:loop").routeId("same-endpoint-twice")
                        .loop(2)
                            .setBody(simple("{\"DisplayName\":\"${exchangeProperty.prefix} ${exchangeProperty.CamelLoopIndex}\"}"))
                            .to("qbo:create:Customer?realmId=" + realm)
                        .end();
                from("direct:split").routeId("split-writes")
                        .to("qbo:create:Customer?realmId=" + realm)
                        .setBody(exchangeProperty("more"))
                        .split(body())
                            .to("qbo:create:Customer?realmId=" + realm)
                        .end();
                from("direct:twoWrites").routeId("two-writes")
                        .to("qbo:create:Customer?realmId=" + realm)
                        .setBody(exchangeProperty("item"))
                        .to("qbo:create:Item?realmId=" + realm);
            }
        });
        context.start();
        template = context.createProducerTemplate();
    }

    @AfterEach
    void stopCamel() {
        context.stop();
        fx.faults(realm, "{\"timeoutAfterCommitRate\": 0}");
    }

    private List<Map<String, Object>> customersNamed(String name) {
        return fx.client.query(realm, "select * from Customer where DisplayName = '" + name + "'");
    }

    @Test
    void aDroppedAnswerAfterCommitIsAmbiguousAndTheSameRequestIdReplaysIt() {
        String name = "Ambiguous " + UUID.randomUUID();
        String requestId = UUID.randomUUID().toString();
        fx.faults(realm, "{\"timeoutAfterCommitRate\": 1.0}");
        QboFaultException f = catchThrowableOfType(QboFaultException.class,
                () -> fx.client.create(realm, "Customer", Map.of("DisplayName", name), requestId));
        assertThat(f).isInstanceOf(QboTransportException.class);
        assertThat(f.ambiguous()).isTrue();
        assertThat(f.faultClass()).isEqualTo(FaultClass.TRANSIENT);
        assertThat(f.requestId()).isEqualTo(requestId);
        fx.faults(realm, "{\"timeoutAfterCommitRate\": 0}");
        assertThat(customersNamed(name)).as("the write happened").hasSize(1);

        Map<String, Object> retried = fx.client.create(realm, "Customer", Map.of("DisplayName", name), requestId);
        assertThat(retried.get("Id")).isEqualTo(customersNamed(name).get(0).get("Id"));
        assertThat(customersNamed(name)).hasSize(1);
    }

    @Test
    void camelRedeliveryReusesTheGeneratedRequestId() {
        String name = "Redelivered " + UUID.randomUUID();
        fx.faults(realm, "{\"timeoutAfterCommitRate\": 1.0}");
        Exchange ex = template.request("direct:create", e -> e.getMessage().setBody(Map.of("DisplayName", name)));
        assertThat(ex.getException()).isNull();
        assertThat(redeliveries.get()).isEqualTo(1);
        String requestId = ex.getMessage().getHeader(QboConstants.REQUEST_ID, String.class);
        assertThat(requestId).isNotBlank();
        List<Map<String, Object>> found = customersNamed(name);
        assertThat(found).as("one customer, not two").hasSize(1);
        assertThat(ex.getMessage().getHeader(QboConstants.ID)).isEqualTo(found.get(0).get("Id"));
    }

    @Test
    void aSecondWriteInTheSameExchangeGetsItsOwnRequestId() {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String accountId = (String) fx.client.query(realm, "select * from Account where AccountType = 'Income'")
                .get(0).get("Id");
        Exchange ex = template.request("direct:twoWrites", e -> {
            e.getMessage().setBody(Map.of("DisplayName", "Two " + suffix));
            e.setProperty("item", Map.of("Name", "Two item " + suffix, "Type", "Service",
                    "IncomeAccountRef", Map.of("value", accountId)));
        });
        assertThat(ex.getException()).isNull();
        @SuppressWarnings("unchecked")
        Map<String, Object> item = ex.getMessage().getBody(Map.class);
        assertThat(item.get("Name")).as("an Item, not the replayed Customer").isEqualTo("Two item " + suffix);
        assertThat(customersNamed("Two " + suffix)).hasSize(1);
    }

    @Test
    void theSameEndpointTwiceInOneExchangeWritesTwice() {
        String prefix = "Looped " + UUID.randomUUID().toString().substring(0, 8);
        Exchange ex = template.request("direct:loop", e -> e.setProperty("prefix", prefix));
        assertThat(ex.getException()).isNull();
        assertThat(customersNamed(prefix + " 0")).hasSize(1);
        assertThat(customersNamed(prefix + " 1")).as("not a replay of the first").hasSize(1);
    }

    @Test
    void splitCopiesAfterAWriteGetTheirOwnRequestIds() {
        String prefix = "Split " + UUID.randomUUID().toString().substring(0, 8);
        Exchange ex = template.request("direct:split", e -> {
            e.getMessage().setBody(Map.of("DisplayName", prefix + " parent"));
            e.setProperty("more", List.of(Map.of("DisplayName", prefix + " a"), Map.of("DisplayName", prefix + " b"),
                    Map.of("DisplayName", prefix + " c")));
        });
        assertThat(ex.getException()).isNull();
        for (String s : List.of("parent", "a", "b", "c")) {
            assertThat(customersNamed(prefix + " " + s)).hasSize(1);
        }
    }

    @Test
    void aCallerSuppliedRequestIdIsKept() {
        String name = "Keyed " + UUID.randomUUID();
        String key = "src-contact-" + UUID.randomUUID().toString().substring(0, 8);
        Exchange first = template.request("direct:create", e -> {
            e.getMessage().setHeader(QboConstants.REQUEST_ID, key);
            e.getMessage().setBody(Map.of("DisplayName", name));
        });
        Exchange again = template.request("direct:create", e -> {
            e.getMessage().setHeader(QboConstants.REQUEST_ID, key);
            e.getMessage().setBody(Map.of("DisplayName", name));
        });
        assertThat(again.getException()).as("a replay, not a 6240").isNull();
        assertThat(again.getMessage().getHeader(QboConstants.ID)).isEqualTo(first.getMessage().getHeader(QboConstants.ID));
        assertThat(again.getMessage().getHeader(QboConstants.REQUEST_ID)).isEqualTo(key);
        assertThat(customersNamed(name)).hasSize(1);
    }
}
