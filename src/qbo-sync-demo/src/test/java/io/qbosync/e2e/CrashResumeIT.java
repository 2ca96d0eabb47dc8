package io.qbosync.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import com.fasterxml.jackson.databind.JsonNode;

import io.qbosync.testsupport.TestHttp;
import io.qbosync.component.qbo.client.QboConnection;
import io.qbosync.component.qbo.client.TokenCipher;
import io.qbosync.store.QboConnectionRepository;

/**
 * kill -9 of the whole app (with its embedded broker, store and sandbox) in the middle of a sync, then a restart on
 * the same data: every source record ends in QBO exactly once or in the store with a reason. The app runs as a child
 * JVM so that the kill is a real one. Afterwards the complete logs of both runs are searched for every secret they
 * held: none may appear.
 */
class CrashResumeIT {

    // Secrets of this run, random so that a hit in the logs cannot be a coincidence: the admin password and the
    // token encryption key; the QBO tokens and client secret are read back from the store afterwards.
    private static final String ADMIN_PASSWORD = "pw-" + UUID.randomUUID();
    private static final String CRYPTO_KEY = randomKey();
    private static final String AUTH = TestHttp.basic("admin", ADMIN_PASSWORD);

    @TempDir
    Path data;
    private ChildApp app;

    @AfterEach
    void stop() throws Exception {
        if (app != null) {
            app.kill();
        }
        // Keep the child's logs with the surefire reports: a failed crash test is diagnosed from them.
        Path reports = Path.of("target", "surefire-reports", "crash-resume");
        Files.createDirectories(reports);
        try (var logs = Files.newDirectoryStream(data, "app-run-*.log")) {
            for (Path log : logs) {
                Files.copy(log, reports.resolve(log.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    @Test
    void killMidSyncThenRestartLosesAndDoublesNothing() throws Exception {
        app = new ChildApp(data, AUTH);
        app.start(1, args());
        String realmId = app.awaitRealm(Duration.ofMinutes(2));
        // Kill once a good part, but not all, of the invoices are in QBO.
        app.awaitCount(realmId, "Invoice", 40, Duration.ofMinutes(2));
        int atKill = app.count(realmId, "Invoice", true);
        app.kill();

        app.start(2, args());
        JsonNode status = app.awaitSettled(Duration.ofMinutes(4));
        SandboxInspector qbo = new SandboxInspector(app.sandbox);

        List<JsonNode> invoices = qbo.entities(realmId, "Invoice");
        List<JsonNode> payments = qbo.entities(realmId, "Payment");
        assertThat(invoices.size()).as("invoices after restart vs at kill (%s)", atKill).isGreaterThanOrEqualTo(atKill);
        assertNoDuplicates(invoices, "DocNumber");
        assertNoDuplicates(payments, "PrivateNote");
        assertNoDuplicates(qbo.entities(realmId, "Customer"), "DisplayName");
        // Everything the store calls synced is in QBO once; everything else is accounted for with a status.
        assertThat(invoices).hasSize(ChildApp.statusCount(status, "INVOICE", "SYNCED") + 1); // + the invoice seeded in QBO
        assertThat(payments).hasSize(ChildApp.statusCount(status, "PAYMENT", "SYNCED"));
        assertThat(ChildApp.statusCount(status, "INVOICE", "PENDING") + ChildApp.statusCount(status, "PAYMENT", "PENDING")
                + ChildApp.statusCount(status, "CUSTOMER", "PENDING")).isZero();

        app.stop();
        assertNoSecretInAnyLogLine();
    }

    /**
     * Both runs' complete logs (DEBUG for qbo-sync's own classes) against every secret the runs held: the QBO
     * access and refresh tokens and client secret as stored (decrypted here), the token encryption key and the
     * admin password. A secret's first 12 characters count as a hit too, to catch a truncated print.
     */
    private void assertNoSecretInAnyLogLine() throws Exception {
        List<String> secrets = new ArrayList<>(List.of(ADMIN_PASSWORD, CRYPTO_KEY));
        JdbcTemplate store = new JdbcTemplate(new DriverManagerDataSource(
                "jdbc:h2:file:" + data.resolve("sync-store"), "sa", ""));
        List<QboConnection> connections = new QboConnectionRepository(store, TokenCipher.fromBase64(CRYPTO_KEY),
                Clock.systemUTC()).findAll();
        assertThat(connections).as("stored QBO connections").isNotEmpty();
        for (QboConnection c : connections) {
            secrets.add(c.clientSecret());
            secrets.add(c.refreshToken());
            secrets.add(c.accessToken());
        }
        secrets.removeIf(x -> x == null || x.isBlank());
        assertThat(secrets).as("secrets to look for").hasSizeGreaterThanOrEqualTo(4);
        List<String> lines = new ArrayList<>();
        try (var logs = Files.newDirectoryStream(data, "app-run-*.log")) {
            for (Path log : logs) {
                lines.addAll(Files.readAllLines(log, StandardCharsets.UTF_8));
            }
        }
        assertThat(lines).as("log lines of both runs").hasSizeGreaterThan(100);
        for (String line : lines) {
            for (String secret : secrets) {
                assertThat(line).as("a log line holds a secret").doesNotContain(secret.substring(0, Math.min(12, secret.length())));
            }
            assertThat(line).as("a log line holds credentials").doesNotContainIgnoringCase("Authorization: Bearer")
                    .doesNotContain("refresh_token=").doesNotContain("client_secret");
        }
    }

    private static String randomKey() {
        byte[] key = new byte[32];
        new java.security.SecureRandom().nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }

    private static List<String> args() {
        return List.of("--source.sample.records=800", "--sync.poll.start-delay-ms=100",
                "--sync.resume.stale-after-ms=20000", "--sync.resume.interval-ms=5000",
                // The sandbox does not enforce QBO's 500/min unless asked; this test is about crashes, not the limit.
                "--qbo.governor.requests-per-minute=1000000",
                // Secrets of this run (the log scan looks for them) and the most talkative level of our own code.
                "--qbosync.security.admin.password=" + ADMIN_PASSWORD, "--qbosync.crypto.key=" + CRYPTO_KEY,
                "--logging.level.io.qbosync=DEBUG");
    }

    private static void assertNoDuplicates(List<JsonNode> entities, String field) {
        Map<String, Integer> seen = new HashMap<>();
        for (JsonNode e : entities) {
            if (e.hasNonNull(field)) {
                seen.merge(e.get(field).asText(), 1, Integer::sum);
            }
        }
        assertThat(seen.entrySet().stream().filter(en -> en.getValue() > 1).map(Map.Entry::getKey).toList())
                .as("duplicated %s", field).isEmpty();
    }
}
