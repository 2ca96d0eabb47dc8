package io.qbosync.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;

import org.apache.camel.CamelContext;
import org.apache.camel.ServiceStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import com.fasterxml.jackson.databind.JsonNode;

import io.qbosync.component.qbo.client.QboConnection;
import io.qbosync.component.qbo.client.QboConnectionStatus;
import io.qbosync.component.qbo.client.RealmRateGovernor;
import io.qbosync.source.sample.SampleCases;
import io.qbosync.store.EntityType;
import io.qbosync.store.QboConnectionRepository;
import io.qbosync.store.SyncRecord;
import io.qbosync.store.SyncStatus;

/**
 * The company's grant is revoked in the sandbox, so the next token refresh gets invalid_grant: records are held (not
 * dropped) with one clear log line, the company's later work is held at the push routes' gate without a QBO call
 * (the routes keep running for other companies, see {@link RealmIsolationIT}), and after a reconnect {@code resume}
 * brings everything through.
 */
@ExtendWith(OutputCaptureExtension.class)
class ConnectionLossIT extends FaultHandlingItBase {

    private static final List<String> PUSH_ROUTES = List.of("qbo-push-customers", "qbo-push-invoices",
            "qbo-push-payments");

    @Autowired
    QboConnectionGuard guard;
    @Autowired
    QboConnectionRepository connections;
    @Autowired
    CamelContext camelContext;
    @Autowired
    RealmRateGovernor governor;

    @Test
    void lostConnectionHoldsTheCompanysRecordsAndResumeBringsThemThrough(CapturedOutput output) {
        String realmId = realm.realmId();
        QboConnection connection = connections.find(realmId).orElseThrow();
        try {
            qbo.faults("{\"revokeTokens\":true}");
            int n = SourceRecords.next();
            String contact = "C-" + n;
            source().contact(contact, "Mirela", "Popescu" + n, "mirela" + n + "@popescu.example.org")
                    .invoice("I-" + n, "FX-" + n, contact, null).send();
            poll();

            SyncRecord held = awaitStatus(EntityType.CUSTOMER, "contact:" + contact, SyncStatus.HELD);
            assertThat(held.faultCode()).isEqualTo(QboConnectionGuard.CONNECTION_LOST);
            assertThat(held.faultMessage()).contains("invalid_grant");
            assertThat(held.action()).contains("Reconnect QBO company " + realmId).contains("resume");
            assertThat(guard.isHeld(realmId)).isTrue();
            assertThat(PUSH_ROUTES).allMatch(id ->
                    camelContext.getRouteController().getRouteStatus(id) == ServiceStatus.Started);
            assertThat(connections.find(realmId).orElseThrow().status()).isEqualTo(QboConnectionStatus.EXPIRED);
            assertThat(output.getOut().split("QBO connection of company " + realmId + " lost", -1)).hasSize(2);

            // Work arriving meanwhile is held at the gate, without a QBO call: a change to an invoice whose customer
            // is in QBO.
            String waiting = SampleCases.APOSTROPHE_INVOICE_ID;
            long callsBefore = governor.stats(realmId).granted();
            source().invoiceChange(waiting, "memo", "changed while disconnected").send();
            poll();
            SyncRecord gated = awaitStatus(EntityType.INVOICE, waiting, SyncStatus.HELD);
            assertThat(gated.faultCode()).isEqualTo(QboConnectionGuard.CONNECTION_LOST);
            assertThat(gated.faultMessage()).startsWith("Not sent:");
            assertThat(gated.action()).contains("Reconnect QBO company " + realmId);
            assertThat(governor.stats(realmId).granted()).isEqualTo(callsBefore);

            reconnect(connection);
            assertThat(guard.resume(realmId)).isGreaterThanOrEqualTo(2);

            assertThat(PUSH_ROUTES).allMatch(id ->
                    camelContext.getRouteController().getRouteStatus(id) == ServiceStatus.Started);
            SyncRecord invoice = awaitStatus(EntityType.INVOICE, "I-" + n, SyncStatus.SYNCED, SyncStatus.FAILED);
            assertThat(invoice.status()).as(describe(invoice)).isEqualTo(SyncStatus.SYNCED);
            assertThat(record(EntityType.CUSTOMER, "contact:" + contact).status()).isEqualTo(SyncStatus.SYNCED);
            SyncRecord changed = awaitStatus(EntityType.INVOICE, waiting, SyncStatus.SYNCED, SyncStatus.FAILED);
            assertThat(qbo.read("Invoice", changed.qboId()).path("PrivateNote").asText())
                    .contains("changed while disconnected");
            assertThat(qbo.live("Invoice", "DocNumber", "FX-" + n)).hasSize(1);
            assertThat(guard.isHeld(realmId)).isFalse();
        } finally {
            if (guard.isHeld(realmId)) {
                // Leave the shared application usable for the other test classes.
                reconnect(connection);
                guard.resume(realmId);
            }
        }
    }

    /** What an operator's reconnect amounts to: a new grant's tokens stored for the company. */
    private void reconnect(QboConnection old) {
        JsonNode tokens = qbo.issueTokens();
        connections.save(QboConnection.connected(old.realmId(), old.environment(), old.apiBaseUrl(), old.tokenUrl(),
                old.clientId(), old.clientSecret(), tokens.path("refreshToken").asText(),
                tokens.path("accessToken").asText(), Instant.now().plusSeconds(tokens.path("expiresIn").asLong(3600)),
                null));
    }
}
