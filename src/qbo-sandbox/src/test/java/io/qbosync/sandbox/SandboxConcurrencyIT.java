package io.qbosync.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/** Parallel writers on one realm: no lost updates, unique ids and DocNumbers, single execution per requestid. */
class SandboxConcurrencyIT extends RunningSandbox {

    @Test
    void parallelInvoicesAndPaymentsStayConsistent() throws Exception {
        SandboxClient.Realm realm = client.createRealm("Parallel");
        String customer = client.create(realm, "Customer", "{\"DisplayName\":\"Busy Member\"}").get("Id").asText();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<JsonNode>> futures = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                futures.add(pool.submit(() -> {
                    List<String> ids = new ArrayList<>();
                    for (int i = 0; i < 15; i++) {
                        JsonNode inv = client.create(realm, "Invoice", "{\"CustomerRef\":{\"value\":\"" + customer
                                + "\"},\"Line\":[{\"Amount\":10,\"DetailType\":\"SalesItemLineDetail\",\"SalesItemLineDetail\":{}}]}");
                        client.create(realm, "Payment", "{\"CustomerRef\":{\"value\":\"" + customer + "\"},\"TotalAmt\":4,"
                                + "\"Line\":[{\"Amount\":4,\"LinkedTxn\":[{\"TxnId\":\"" + inv.get("Id").asText()
                                + "\",\"TxnType\":\"Invoice\"}]}]}");
                        ids.add(inv.get("Id").asText() + "/" + inv.get("DocNumber").asText());
                    }
                    return SandboxClient.MAPPER.valueToTree(ids);
                }));
            }
            Set<String> ids = new HashSet<>();
            Set<String> docs = new HashSet<>();
            for (Future<JsonNode> f : futures) {
                for (JsonNode n : f.get()) {
                    String[] p = n.asText().split("/");
                    ids.add(p[0]);
                    docs.add(p[1]);
                }
            }
            assertThat(ids).hasSize(120);
            assertThat(docs).hasSize(120);
            // 120 invoices of 10 with 4 paid on each: open balance 720.
            assertThat(client.read(realm, "Customer", customer).get("Balance").decimalValue()).isEqualByComparingTo("720");
            JsonNode open = client.query(realm, "select count(*) from Invoice where Balance = 6").json();
            assertThat(open.path("QueryResponse").path("totalCount").asInt()).isEqualTo(120);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void sameRequestIdInParallelWritesOnce() throws Exception {
        SandboxClient.Realm realm = client.createRealm("Replay Race");
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            List<Callable<String>> calls = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                calls.add(() -> client.post(realm, "/vendor?requestid=race-1", "{\"DisplayName\":\"Racer\"}").body());
            }
            Set<String> bodies = new HashSet<>();
            for (Future<String> f : pool.invokeAll(calls)) {
                bodies.add(f.get());
            }
            assertThat(bodies).hasSize(1);
            assertThat(client.query(realm, "select count(*) from Vendor").json().path("QueryResponse")
                    .path("totalCount").asInt()).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
    }
}
