package io.qbosync.component.qbo;

import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** QBO faults as the sandbox produces them, parsed and classified by the client and the producer. */
class QboFaultsIT {

    @TempDir
    static Path dir;
    static SandboxFixture fx;
    static String realm;
    static QboProducerIT.InvoiceKit kit;

    DefaultCamelContext context;
    ProducerTemplate template;

    @BeforeAll
    static void sandbox() {
        fx = SandboxFixture.start(dir);
        realm = fx.newRealm().realmId();
        kit = QboProducerIT.InvoiceKit.create(fx.client, realm);
    }

    @AfterAll
    static void stopSandbox() {
        fx.close();
    }

    @BeforeEach
    void camel() {
        context = new DefaultCamelContext();
        context.addComponent("qbo", new QboComponent(fx.client));
        context.start();
        template = context.createProducerTemplate();
    }

    @AfterEach
    void stopCamel() {
        context.stop();
    }

    private static QboFaultException fault(Runnable call) {
        QboFaultException f = catchThrowableOfType(QboFaultException.class, call::run);
        assertThat(f).as("expected a QboFaultException").isNotNull();
        return f;
    }

    @Test
    void duplicateNameThroughARouteCarriesTheExistingIdAndHeaders() {
        String name = "Dup " + UUID.randomUUID();
        Map<String, Object> first = fx.client.create(realm, "Customer", Map.of("DisplayName", name));
        Exchange ex = template.request("qbo:create:Customer?realmId=" + realm,
                e -> e.getMessage().setBody(Map.of("DisplayName", name)));
        assertThat(ex.getException()).isInstanceOf(QboFaultException.class);
        QboFaultException f = (QboFaultException) ex.getException();
        assertThat(f.code()).isEqualTo("6240");
        assertThat(f.httpStatus()).isEqualTo(400);
        assertThat(f.faultClass()).isEqualTo(FaultClass.DETERMINISTIC);
        assertThat(f.existingId()).contains((String) first.get("Id"));
        assertThat(f.intuitTid()).isNotBlank();
        assertThat(f.requestId()).isEqualTo(ex.getMessage().getHeader(QboConstants.REQUEST_ID));
        assertThat(ex.getMessage().getHeader(QboConstants.HTTP_STATUS)).isEqualTo(400);
        assertThat(ex.getMessage().getHeader(QboConstants.INTUIT_TID)).isEqualTo(f.intuitTid());
    }

    @Test
    void duplicateDocNumberCarriesTheTxnIdUnlessAllowed() {
        String doc = "D-" + UUID.randomUUID().toString().substring(0, 8);
        Map<String, Object> first = fx.client.create(realm, "Invoice", kit.invoice(doc, "10.00"));
        QboFaultException f = fault(() -> fx.client.create(realm, "Invoice", kit.invoice(doc, "10.00")));
        assertThat(f.code()).isEqualTo("6140");
        assertThat(f.existingId()).contains((String) first.get("Id"));
        Exchange allowed = template.request("qbo:create:Invoice?allowDuplicateDocNumber=true&realmId=" + realm,
                e -> e.getMessage().setBody(kit.invoice(doc, "10.00")));
        assertThat(allowed.getException()).isNull();
        assertThat(allowed.getMessage().getHeader(QboConstants.ID)).isNotEqualTo(first.get("Id"));
    }

    @Test
    void objectNotFoundForADeletedInvoice() {
        Map<String, Object> inv = fx.client.create(realm, "Invoice", kit.invoice(null, "12.00"));
        fx.client.delete(realm, "Invoice", (String) inv.get("Id"), (String) inv.get("SyncToken"), null);
        QboFaultException f = fault(() -> fx.client.read(realm, "Invoice", (String) inv.get("Id")));
        assertThat(f.code()).isEqualTo("610");
        assertThat(f.faultClass()).isEqualTo(FaultClass.DETERMINISTIC);
    }

    @Test
    void invalidReference() {
        Map<String, Object> inv = new java.util.HashMap<>(kit.invoice(null, "5.00"));
        inv.put("CustomerRef", Map.of("value", "987654"));
        QboFaultException f = fault(() -> fx.client.create(realm, "Invoice", inv));
        assertThat(f.code()).isEqualTo("2500");
        assertThat(f.faultClass()).isEqualTo(FaultClass.DETERMINISTIC);
    }

    @Test
    void stringTooLongNamesTheElement() {
        String longName = "X".repeat(101);
        QboFaultException f = fault(() -> fx.client.create(realm, "Item", Map.of("Name", longName, "Type", "Service",
                "IncomeAccountRef", Map.of("value", "1"))));
        assertThat(f.code()).isEqualTo("2050");
        assertThat(f.element()).isEqualTo("Name");
        assertThat(f.faultClass()).isEqualTo(FaultClass.DETERMINISTIC);
    }

    @Test
    void staleSyncTokenIsTransient() {
        Map<String, Object> c = fx.client.create(realm, "Customer", Map.of("DisplayName", "Stale " + UUID.randomUUID()));
        fx.client.update(realm, "Customer", Map.of("Id", c.get("Id"), "SyncToken", "0", "Notes", "one"), null);
        QboFaultException f = fault(() -> fx.client.update(realm, "Customer",
                Map.of("Id", c.get("Id"), "SyncToken", "0", "Notes", "two"), null));
        assertThat(f.code()).isEqualTo("5010");
        assertThat(f.faultClass()).isEqualTo(FaultClass.TRANSIENT);
        assertThat(f.ambiguous()).isFalse();
    }

    @Test
    void injectedServerErrorsAreTransientHtmlAndAmbiguousForWrites() {
        fx.faults(realm, "{\"error5xxRate\": 1.0}");
        try {
            QboFaultException read = fault(() -> fx.client.query(realm, "select * from Customer"));
            assertThat(read.httpStatus()).isIn(500, 503);
            assertThat(read.faultClass()).isEqualTo(FaultClass.TRANSIENT);
            assertThat(read.ambiguous()).isFalse();
            QboFaultException write = fault(() -> fx.client.create(realm, "Customer",
                    Map.of("DisplayName", "Flaky " + UUID.randomUUID())));
            assertThat(write.faultClass()).isEqualTo(FaultClass.TRANSIENT);
            assertThat(write.ambiguous()).isTrue();
        } finally {
            fx.faults(realm, "{\"error5xxRate\": 0}");
        }
    }
}
