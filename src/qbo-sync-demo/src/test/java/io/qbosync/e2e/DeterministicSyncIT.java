package io.qbosync.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import io.qbosync.testsupport.TestHttp;

/**
 * Same source, same QBO company: the sample is synced on fresh data with 1, 4 and 8 consumers per queue, and once more
 * with 4 consumers and a {@code kill -9} in the middle, each run in its own app process. The QBO companies they leave
 * must be the same: the same customers (names, parents, e-mails, company names), the same invoice → customer links
 * and amounts, the same payments. QBO ids are left out (they follow creation order, which timing decides).
 */
class DeterministicSyncIT {

    private static final String PASSWORD = "pw-" + UUID.randomUUID();

    @TempDir
    Path data;
    private final List<ChildApp> apps = new ArrayList<>();

    @AfterEach
    void stopAll() throws Exception {
        for (ChildApp app : apps) {
            app.kill();
        }
        Path reports = Path.of("target", "surefire-reports", "deterministic-sync");
        Files.createDirectories(reports);
        for (ChildApp app : apps) {
            try (var logs = Files.newDirectoryStream(app.data, "app-run-*.log")) {
                for (Path log : logs) {
                    Files.copy(log, reports.resolve(app.data.getFileName() + "-" + log.getFileName()),
                            java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    @Test
    void theSameSourceGivesTheSameQboCompanyWhateverTheConsumerCountOrACrash() throws Exception {
        Company one = sync("consumers-1", 1, false);
        Company four = sync("consumers-4", 4, false);
        Company eight = sync("consumers-8", 8, false);
        Company crashed = sync("consumers-4-killed", 4, true);

        assertThat(one.customers).as("the sample makes customers, some of them sub-customers")
                .hasSizeGreaterThan(100)
                .anySatisfy(c -> assertThat(c).contains("parent="));
        for (Company other : List.of(four, eight, crashed)) {
            assertThat(other.customers).as("QBO customers of %s vs 1 consumer", other.name).isEqualTo(one.customers);
            assertThat(other.invoices).as("invoice -> customer of %s vs 1 consumer", other.name).isEqualTo(one.invoices);
            assertThat(other.payments).as("payments of %s vs 1 consumer", other.name).isEqualTo(one.payments);
        }
    }

    /** What a QBO company holds, by name instead of id: sorted lines that compare as a whole. */
    record Company(String name, TreeSet<String> customers, TreeMap<String, String> invoices, TreeSet<String> payments) {
    }

    private Company sync(String name, int consumers, boolean killMidway) throws Exception {
        Path dir = Files.createDirectories(data.resolve(name));
        ChildApp app = new ChildApp(dir, TestHttp.basic("admin", PASSWORD));
        apps.add(app);
        List<String> args = List.of("--sync.jms.concurrent-consumers=" + consumers, "--sync.poll.start-delay-ms=100",
                "--sync.resume.stale-after-ms=15000", "--sync.resume.interval-ms=3000",
                "--qbo.governor.requests-per-minute=1000000", "--qbo.governor.shared=false",
                "--qbosync.security.admin.password=" + PASSWORD);
        app.start(1, args);
        String realmId = app.awaitRealm(Duration.ofMinutes(2));
        if (killMidway) {
            app.awaitCount(realmId, "Invoice", 60, Duration.ofMinutes(2));
            app.kill();
            app.start(2, args);
        }
        app.awaitSettled(Duration.ofMinutes(4));
        Company company = snapshot(name, new SandboxInspector(app.sandbox), realmId);
        app.stop();
        return company;
    }

    static Company snapshot(String name, SandboxInspector qbo, String realmId) {
        Map<String, String> nameById = new HashMap<>();
        List<JsonNode> customers = qbo.entities(realmId, "Customer");
        customers.forEach(c -> nameById.put(c.path("Id").asText(), c.path("DisplayName").asText()));
        TreeSet<String> customerLines = new TreeSet<>();
        for (JsonNode c : customers) {
            String parent = c.path("ParentRef").path("value").asText("");
            customerLines.add(c.path("DisplayName").asText() + " | email=" + c.path("PrimaryEmailAddr").path("Address").asText("")
                    + " | company=" + c.path("CompanyName").asText("") + " | active=" + c.path("Active").asBoolean(true)
                    + (parent.isEmpty() ? "" : " | parent=" + nameById.get(parent)));
        }
        Map<String, String> invoiceById = new HashMap<>();
        TreeMap<String, String> invoices = new TreeMap<>();
        for (JsonNode i : qbo.entities(realmId, "Invoice")) {
            invoiceById.put(i.path("Id").asText(), i.path("DocNumber").asText());
            invoices.put(i.path("DocNumber").asText(), nameById.get(i.path("CustomerRef").path("value").asText())
                    + " | total=" + i.path("TotalAmt").decimalValue().stripTrailingZeros().toPlainString()
                    + " | balance=" + i.path("Balance").decimalValue().stripTrailingZeros().toPlainString());
        }
        TreeSet<String> payments = new TreeSet<>();
        for (JsonNode p : qbo.entities(realmId, "Payment")) {
            List<String> applied = new ArrayList<>();
            for (JsonNode line : p.path("Line")) {
                for (JsonNode txn : line.path("LinkedTxn")) {
                    applied.add(invoiceById.get(txn.path("TxnId").asText()));
                }
            }
            payments.add(p.path("PrivateNote").asText("") + " | " + nameById.get(p.path("CustomerRef").path("value").asText())
                    + " | " + p.path("TotalAmt").decimalValue().stripTrailingZeros().toPlainString() + " | " + applied);
        }
        return new Company(name, customerLines, invoices, payments);
    }
}
