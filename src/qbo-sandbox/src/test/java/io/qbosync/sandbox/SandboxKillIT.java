package io.qbosync.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Durability under {@code kill -9}: a sandbox in a child JVM acknowledges writes, is killed forcibly right
 * after the last answer, and a new sandbox on the same directory still has every acknowledged write.
 */
class SandboxKillIT {
    private static final Pattern LISTENING = Pattern.compile("QBO sandbox listening on (http://\\S+)");

    @TempDir
    Path dir;

    @Test
    void acknowledgedWritesSurviveKill9() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                QboSandbox.class.getName(), "--port=0", "--data-dir=" + dir)
                .redirectErrorStream(true)
                .start();
        try {
            String base = awaitBaseUrl(child);
            SandboxClient c = new SandboxClient(base);
            SandboxClient.Realm realm = c.createRealm("Killed");
            List<String> acknowledged = new ArrayList<>();
            String customer = c.create(realm, "Customer", "{\"DisplayName\":\"Before Kill\"}").get("Id").asText();
            for (int i = 0; i < 40; i++) {
                SandboxClient.Res r = c.post(realm, "/invoice?requestid=kill-" + i, "{\"CustomerRef\":{\"value\":\""
                        + customer + "\"},\"Line\":[{\"Amount\":" + (i + 1) + ",\"DetailType\":\"SalesItemLineDetail\","
                        + "\"SalesItemLineDetail\":{}}]}");
                assertThat(r.status()).isEqualTo(200);
                acknowledged.add(r.json().path("Invoice").path("Id").asText());
            }
            String lastInvoice = acknowledged.get(acknowledged.size() - 1);
            SandboxClient.Res paid = c.post(realm, "/payment", "{\"CustomerRef\":{\"value\":\"" + customer
                    + "\"},\"TotalAmt\":40,\"Line\":[{\"Amount\":40,\"LinkedTxn\":[{\"TxnId\":\"" + lastInvoice
                    + "\",\"TxnType\":\"Invoice\"}]}]}");
            assertThat(paid.status()).isEqualTo(200);
            child.destroyForcibly(); // SIGKILL right after the last acknowledged answer
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();

            try (QboSandbox restarted = QboSandbox.start(SandboxSettings.ephemeral(dir))) {
                SandboxClient r = new SandboxClient(restarted.baseUrl());
                for (String id : acknowledged) {
                    assertThat(r.get(realm, "/invoice/" + id).status()).as("invoice " + id).isEqualTo(200);
                }
                JsonNode last = r.read(realm, "Invoice", lastInvoice);
                assertThat(last.get("Balance").decimalValue()).isEqualByComparingTo("0");
                assertThat(r.read(realm, "Payment", paid.json().path("Payment").path("Id").asText())
                        .get("TotalAmt").decimalValue()).isEqualByComparingTo("40");
                SandboxClient.Res replay = r.post(realm, "/invoice?requestid=kill-0", "{}");
                assertThat(replay.json().path("Invoice").path("Id").asText()).isEqualTo(acknowledged.get(0));
            }
        } finally {
            child.destroyForcibly();
            child.waitFor(30, TimeUnit.SECONDS);
        }
    }

    /** Reads the child's output until it names its URL (within a deadline), then keeps draining it. */
    private static String awaitBaseUrl(Process child) throws Exception {
        BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
        CompletableFuture<String> url = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try {
                String line;
                while ((line = out.readLine()) != null) {
                    Matcher m = LISTENING.matcher(line);
                    if (m.find()) {
                        url.complete(m.group(1));
                    }
                }
                url.completeExceptionally(new IllegalStateException("child sandbox exited before listening"));
            } catch (IOException e) {
                url.completeExceptionally(e);
            }
        }, "kill-it-child-output");
        reader.setDaemon(true);
        reader.start();
        return url.get(60, TimeUnit.SECONDS);
    }
}
