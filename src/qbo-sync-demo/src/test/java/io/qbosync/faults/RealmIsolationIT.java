package io.qbosync.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.qbosync.component.qbo.client.QboConnection;
import io.qbosync.component.qbo.client.QboConnectionStatus;
import io.qbosync.matching.RealmOnboarding;
import io.qbosync.store.EntityType;
import io.qbosync.store.QboConnectionRepository;
import io.qbosync.store.SyncRecord;
import io.qbosync.store.SyncStatus;
import io.qbosync.sync.Payloads;
import io.qbosync.sync.SyncMessage;
import io.qbosync.sync.SyncQueues;
import io.qbosync.sync.SyncStore;

/**
 * One node, two QBO companies on the same queues and consumers: the sample's company B syncs through the source as
 * usual, and a second company A, made in the sandbox for the test, gets customers registered and queued directly.
 * Trouble in A (a lost connection, a 429 storm) must hold only A's records; B goes on, and A catches up once its
 * trouble is over, with nothing lost or created twice.
 */
class RealmIsolationIT extends FaultHandlingItBase {

    private static final int A_CUSTOMERS = 8;

    @Autowired
    QboConnectionRepository connections;
    @Autowired
    QboConnectionGuard guard;
    @Autowired
    SyncQueues queues;
    @Autowired
    RealmOnboarding onboarding;

    @Test
    void aLostConnectionHoldsOnlyItsCompanyAndResumeBringsItThroughOnce() {
        SandboxQbo a = secondCompany("Isolation Auth");
        List<String> aCustomers = registerCustomers(a.realmId(), A_CUSTOMERS);
        a.faults("{\"revokeTokens\":true}");
        queueAll(a.realmId(), aCustomers);
        String[] b = syncIntoTheSampleCompany();

        assertBSynced(b);
        List<SyncRecord> held = awaitAll(a.realmId(), aCustomers, SyncStatus.HELD);
        assertThat(held).allSatisfy(r -> assertThat(r.faultCode()).isEqualTo(QboConnectionGuard.CONNECTION_LOST));
        assertThat(held).allSatisfy(r -> assertThat(r.action()).contains("Reconnect QBO company " + a.realmId()));
        assertThat(connections.find(a.realmId()).orElseThrow().status()).isEqualTo(QboConnectionStatus.EXPIRED);
        // Only the messages in flight when the connection was found lost went to QBO; the rest were held without a call.
        assertThat(held.stream().filter(r -> r.faultMessage().startsWith("Not sent:")).count())
                .isGreaterThanOrEqualTo(A_CUSTOMERS - 4);
        assertThat(a.entities("Customer")).isEmpty();

        reconnect(a);
        assertThat(guard.resume(a.realmId())).isEqualTo(A_CUSTOMERS);
        awaitAll(a.realmId(), aCustomers, SyncStatus.SYNCED);
        assertEachOnceInQbo(a, aCustomers);
        assertThat(qbo.live("Invoice", "DocNumber", b[1])).hasSize(1);
    }

    @Test
    void aThrottledCompanyGivesTheConsumersBackSoOthersCompleteFirstAndItThenCompletesOnce() {
        SandboxQbo a = secondCompany("Isolation Throttle");
        List<String> aCustomers = registerCustomers(a.realmId(), A_CUSTOMERS);
        // A storm: A's next calls are all refused with 429 and Retry-After: 3.
        a.faults("{\"throttleBurst\":" + A_CUSTOMERS + ",\"retryAfterSeconds\":3}");
        queueAll(a.realmId(), aCustomers);
        String[] b = syncIntoTheSampleCompany();

        assertBSynced(b);
        assertThat(aCustomers.stream().map(id -> aRecord(a.realmId(), id).status()))
                .as("A still throttled when B is done").allMatch(s -> s == SyncStatus.PENDING);

        List<SyncRecord> synced = awaitAll(a.realmId(), aCustomers, SyncStatus.SYNCED);
        assertThat(synced).allSatisfy(r -> assertThat(r.requestId()).isNotNull());
        assertThat(a.stats().path("throttled").asInt()).isEqualTo(A_CUSTOMERS);
        assertEachOnceInQbo(a, aCustomers);
        assertThat(qbo.live("Invoice", "DocNumber", b[1])).hasSize(1);
    }

    // ---------------------------------------------------------------- helpers

    /** A second QBO company, connected and onboarded (no customers yet). */
    private SandboxQbo secondCompany(String name) {
        JsonNode created = qbo.createRealm(name + " " + SourceRecords.next());
        String realmId = created.path("realmId").asText();
        QboConnection first = connections.find(realm.realmId()).orElseThrow();
        connections.save(QboConnection.connected(realmId, first.environment(), first.apiBaseUrl(), first.tokenUrl(),
                created.path("clientId").asText(), created.path("clientSecret").asText(),
                created.path("refreshToken").asText(), created.path("accessToken").asText(),
                Instant.now().plusSeconds(created.path("expiresIn").asLong(3600)), null));
        onboarding.onboard(realmId, "test");
        return new SandboxQbo(sandbox.baseUrl(), realmId);
    }

    private List<String> registerCustomers(String realmId, int n) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int k = SourceRecords.next();
            String id = "contact:C-" + k;
            ObjectNode payload = SandboxQbo.JSON.createObjectNode().put("kind", "contact");
            payload.putObject("party").put("firstName", "Iso").put("lastName", "Lation" + k)
                    .put("email", "iso" + k + "@realm.example.org");
            String text = Payloads.text(payload);
            records.register(realmId, EntityType.CUSTOMER, id, Payloads.version(text), text, null, null);
            ids.add(id);
        }
        return ids;
    }

    private void queueAll(String realmId, List<String> sourceIds) {
        List<SyncMessage> messages = sourceIds.stream().map(id -> SyncStore.message(aRecord(realmId, id))).toList();
        queues.sendAll(messages);
    }

    /** A contact, an invoice and a payment of the sample company, through the source; returns contact and DocNumber. */
    private String[] syncIntoTheSampleCompany() {
        int n = SourceRecords.next();
        String contact = "C-" + n;
        source().contact(contact, "Bea", "Flow" + n, "bea" + n + "@flow.example.org")
                .invoice("I-" + n, "FX-" + n, contact, null)
                .payment("P-" + n, "I-" + n, new java.math.BigDecimal("450.00"), null).send();
        poll();
        return new String[] {contact, "FX-" + n, "P-" + n, "I-" + n};
    }

    private void assertBSynced(String[] b) {
        SyncRecord payment = awaitStatus(EntityType.PAYMENT, b[2], SyncStatus.SYNCED, SyncStatus.FAILED);
        assertThat(payment.status()).as(describe(payment)).isEqualTo(SyncStatus.SYNCED);
        assertThat(record(EntityType.INVOICE, b[3]).status()).isEqualTo(SyncStatus.SYNCED);
        assertThat(record(EntityType.CUSTOMER, "contact:" + b[0]).status()).isEqualTo(SyncStatus.SYNCED);
    }

    private SyncRecord aRecord(String realmId, String sourceId) {
        return records.find(realmId, EntityType.CUSTOMER, sourceId)
                .orElseThrow(() -> new AssertionError("no sync record " + sourceId + " in " + realmId));
    }

    private List<SyncRecord> awaitAll(String realmId, List<String> sourceIds, SyncStatus status) {
        awaitTrue("every record of company " + realmId + " " + status + "; now " + sourceIds.stream()
                        .map(id -> aRecord(realmId, id).status()).collect(Collectors.groupingBy(Function.identity(),
                                Collectors.counting())),
                () -> sourceIds.stream().allMatch(id -> aRecord(realmId, id).status() == status));
        return sourceIds.stream().map(id -> aRecord(realmId, id)).toList();
    }

    private void assertEachOnceInQbo(SandboxQbo company, List<String> sourceIds) {
        List<JsonNode> customers = company.entities("Customer");
        assertThat(customers).hasSize(sourceIds.size());
        Map<String, Long> byQboId = customers.stream().collect(Collectors.groupingBy(c -> c.path("Id").asText(),
                Collectors.counting()));
        for (String id : sourceIds) {
            SyncRecord r = aRecord(company.realmId(), id);
            assertThat(byQboId).as(id).containsEntry(r.qboId(), 1L);
        }
    }

    /** What an operator's reconnect amounts to: a new grant's tokens stored for the company. */
    private void reconnect(SandboxQbo company) {
        QboConnection old = connections.find(company.realmId()).orElseThrow();
        JsonNode tokens = company.issueTokens();
        connections.save(QboConnection.connected(old.realmId(), old.environment(), old.apiBaseUrl(), old.tokenUrl(),
                old.clientId(), old.clientSecret(), tokens.path("refreshToken").asText(),
                tokens.path("accessToken").asText(), Instant.now().plusSeconds(tokens.path("expiresIn").asLong(3600)),
                null));
    }
}
