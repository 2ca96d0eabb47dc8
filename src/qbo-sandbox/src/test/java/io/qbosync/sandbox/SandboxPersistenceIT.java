package io.qbosync.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.OffsetDateTime;

import static org.assertj.core.api.Assertions.assertThat;

/** Everything survives close and restart on the same data directory. */
class SandboxPersistenceIT {
    @TempDir
    Path dir;

    @Test
    void stateSurvivesRestart() {
        String since = OffsetDateTime.now().minusMinutes(1).toString();
        SandboxClient.Realm realm;
        String customerId;
        String invoiceId;
        String deletedId;
        String firstAnswer;
        String rotatedRefresh;
        try (QboSandbox first = QboSandbox.start(SandboxSettings.ephemeral(dir))) {
            SandboxClient c = new SandboxClient(first.baseUrl());
            realm = c.createRealm("Durable");
            SandboxClient.Res created = c.post(realm, "/customer?requestid=persist-1", "{\"DisplayName\":\"Kept\"}");
            firstAnswer = created.body();
            customerId = created.json().path("Customer").path("Id").asText();
            invoiceId = c.create(realm, "Invoice", invoice(customerId, "100")).get("Id").asText();
            c.create(realm, "Payment", "{\"CustomerRef\":{\"value\":\"" + customerId + "\"},\"TotalAmt\":40,\"Line\":[{\"Amount\":40,"
                    + "\"LinkedTxn\":[{\"TxnId\":\"" + invoiceId + "\",\"TxnType\":\"Invoice\"}]}]}");
            deletedId = c.create(realm, "Invoice", invoice(customerId, "5")).get("Id").asText();
            c.post(realm, "/invoice?operation=delete", "{\"Id\":\"" + deletedId + "\",\"SyncToken\":\"0\"}");
            c.admin("PUT", "/sandbox/realms/" + realm.id() + "/faults", "{\"latencyMs\":1,\"rotateRefreshToken\":{\"graceSeconds\":0}}");
            c.admin("PUT", "/sandbox/faults", "{\"retryAfterSeconds\":9}");
            c.admin("PUT", "/sandbox/realms/" + realm.id() + "/preferences", "{\"SalesFormsPrefs\":{\"AllowDiscount\":false}}");
            rotatedRefresh = c.refresh(realm, realm.refreshToken()).json().get("refresh_token").asText();
        }

        try (QboSandbox second = QboSandbox.start(SandboxSettings.ephemeral(dir))) {
            SandboxClient c = new SandboxClient(second.baseUrl());
            JsonNode realms = c.admin("GET", "/sandbox/realms", null).json().get("realms");
            assertThat(realms.size()).isEqualTo(1);
            assertThat(realms.get(0).get("name").asText()).isEqualTo("Durable");
            // The original access token is still valid; the superseded refresh token is still refused.
            JsonNode inv = c.read(realm, "Invoice", invoiceId);
            assertThat(inv.get("Balance").decimalValue()).isEqualByComparingTo("60");
            assertThat(inv.get("SyncToken").asText()).isEqualTo("1");
            assertThat(c.read(realm, "Customer", customerId).get("Balance").decimalValue()).isEqualByComparingTo("60");
            assertThat(c.refresh(realm, realm.refreshToken()).json().get("error").asText()).isEqualTo("invalid_grant");
            assertThat(c.refresh(realm, rotatedRefresh).status()).isEqualTo(200);
            // Replay log, uniqueness index, id and DocNumber sequences were rebuilt.
            assertThat(c.post(realm, "/customer?requestid=persist-1", "{\"DisplayName\":\"Kept\"}").body()).isEqualTo(firstAnswer);
            assertThat(c.post(realm, "/customer", "{\"DisplayName\":\"kept\"}").faultCode()).isEqualTo("6240");
            JsonNode next = c.create(realm, "Invoice", invoice(customerId, "1"));
            assertThat(Long.parseLong(next.get("Id").asText())).isGreaterThan(Long.parseLong(deletedId));
            assertThat(next.get("DocNumber").asText()).isEqualTo("1003");
            // Tombstones still show in CDC; reading the deleted invoice is 610.
            JsonNode cdc = c.get(realm, "/cdc?entities=Invoice&changedSince=" + URLEncoder.encode(since, StandardCharsets.UTF_8))
                    .json().path("CDCResponse").get(0).path("QueryResponse").get(0).path("Invoice");
            assertThat(cdc.findValuesAsText("status")).containsExactly("Deleted");
            assertThat(c.get(realm, "/invoice/" + deletedId).faultCode()).isEqualTo("610");
            // Fault settings and preferences came back too.
            JsonNode f = c.admin("GET", "/sandbox/realms/" + realm.id() + "/faults", null).json();
            assertThat(f.get("inherited").asBoolean()).isFalse();
            assertThat(f.path("faults").path("latencyMs").asInt()).isEqualTo(1);
            assertThat(c.admin("GET", "/sandbox/faults", null).json().path("faults").path("retryAfterSeconds").asInt()).isEqualTo(9);
            assertThat(c.get(realm, "/preferences").json().path("Preferences").path("SalesFormsPrefs")
                    .path("AllowDiscount").asBoolean()).isFalse();
            // Client credentials survive: a new app login with the same secret works.
            assertThat(c.token(realm.clientId(), realm.clientSecret(), "grant_type=refresh_token&refresh_token=x")
                    .json().get("error").asText()).isEqualTo("invalid_grant");
        }
    }

    private static String invoice(String customerId, String amount) {
        return "{\"CustomerRef\":{\"value\":\"" + customerId + "\"},\"Line\":[{\"Amount\":" + amount
                + ",\"DetailType\":\"SalesItemLineDetail\",\"SalesItemLineDetail\":{}}]}";
    }
}
