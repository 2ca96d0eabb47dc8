package io.qbosync.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The admin API: realms, seeding with name references, inspection, reset, delete, preferences, tokens. */
class SandboxAdminIT extends RunningSandbox {

    @Test
    void createListGetAndDeleteRealms() {
        SandboxClient.Res created = client.admin("POST", "/sandbox/realms", "{\"name\":\"Chamber of Commerce\"}");
        assertThat(created.status()).isEqualTo(201);
        JsonNode c = created.json();
        for (String f : new String[] {"realmId", "accessToken", "refreshToken", "clientId", "clientSecret", "expiresIn"}) {
            assertThat(c.hasNonNull(f)).as(f).isTrue();
        }
        assertThat(c.get("realmId").asText()).matches("\\d{16}");
        assertThat(c.get("expiresIn").asInt()).isEqualTo(3600);
        String id = c.get("realmId").asText();

        SandboxClient.Res anonymous = client.admin("POST", "/sandbox/realms", "");
        assertThat(anonymous.status()).isEqualTo(201);

        JsonNode list = client.admin("GET", "/sandbox/realms", null).json().get("realms");
        List<String> ids = new ArrayList<>();
        list.forEach(r -> ids.add(r.get("realmId").asText()));
        assertThat(ids).contains(id, anonymous.json().get("realmId").asText());

        JsonNode one = client.admin("GET", "/sandbox/realms/" + id, null).json();
        assertThat(one.get("name").asText()).isEqualTo("Chamber of Commerce");
        assertThat(one.path("counts").path("Account").asInt()).isEqualTo(7);
        assertThat(one.path("counts").path("Customer").asInt()).isZero();

        assertThat(client.admin("DELETE", "/sandbox/realms/" + id, null).status()).isEqualTo(204);
        assertThat(client.admin("GET", "/sandbox/realms/" + id, null).status()).isEqualTo(404);
        assertThat(client.get(id, c.get("accessToken").asText(), "/companyinfo/" + id).status()).isIn(401, 403);
        assertThat(client.admin("GET", "/sandbox/health", null).json().get("status").asText()).isEqualTo("UP");
    }

    @Test
    void realmsCanShareAnApp() {
        SandboxClient.Res a = client.admin("POST", "/sandbox/realms",
                "{\"name\":\"A\",\"clientId\":\"shared-app\",\"clientSecret\":\"s3cret-value\"}");
        SandboxClient.Res b = client.admin("POST", "/sandbox/realms", "{\"name\":\"B\",\"clientId\":\"shared-app\"}");
        assertThat(b.status()).isEqualTo(201);
        assertThat(b.json().get("clientId").asText()).isEqualTo("shared-app");
        SandboxClient.Res wrong = client.admin("POST", "/sandbox/realms",
                "{\"clientId\":\"shared-app\",\"clientSecret\":\"other\"}");
        assertThat(wrong.status()).isEqualTo(400);
        SandboxClient.Res refresh = client.token("shared-app", "s3cret-value", "grant_type=refresh_token&refresh_token="
                + java.net.URLEncoder.encode(b.json().get("refreshToken").asText(), java.nio.charset.StandardCharsets.UTF_8));
        assertThat(refresh.status()).isEqualTo(200);
        assertThat(a.status()).isEqualTo(201);
    }

    @Test
    void seedResolvesNamesAndReportsIds() {
        SandboxClient.Realm realm = client.createRealm("Seeded");
        SandboxClient.Res r = client.admin("POST", "/sandbox/realms/" + realm.id() + "/seed", """
                {"Account":[{"Name":"Membership Dues","AccountType":"Income"}],
                 "Item":[{"Name":"Annual Dues","IncomeAccountRef":{"name":"Membership Dues"}}],
                 "Vendor":[{"DisplayName":"Print Shop"}],
                 "Employee":[{"GivenName":"Eve","FamilyName":"Office"}],
                 "Customer":[{"DisplayName":"Parent Org"},{"DisplayName":"Chapter","Job":true,"ParentRef":{"name":"Parent Org"}}],
                 "Invoice":[{"CustomerRef":{"name":"Chapter"},"DocNumber":"GU-1","Line":[{"Amount":120,"DetailType":"SalesItemLineDetail",
                             "SalesItemLineDetail":{"ItemRef":{"name":"Annual Dues"},"Qty":1,"UnitPrice":120}}]}],
                 "Payment":[{"CustomerRef":{"name":"Chapter"},"TotalAmt":20,"Line":[{"Amount":20,"LinkedTxn":[{"TxnType":"Invoice","DocNumber":"GU-1"}]}]}]}
                """);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        JsonNode created = r.json().get("created");
        assertThat(created.get("Customer").size()).isEqualTo(2);
        String invoiceId = created.get("Invoice").get(0).asText();
        JsonNode inv = client.read(realm, "Invoice", invoiceId);
        assertThat(inv.get("Balance").decimalValue()).isEqualByComparingTo("100");
        assertThat(inv.path("Line").get(0).path("SalesItemLineDetail").path("ItemRef").path("value").asText())
                .isEqualTo(created.get("Item").get(0).asText());
        JsonNode item = client.read(realm, "Item", created.get("Item").get(0).asText());
        assertThat(item.path("IncomeAccountRef").path("value").asText()).isEqualTo(created.get("Account").get(0).asText());
        JsonNode chapter = client.read(realm, "Customer", created.get("Customer").get(1).asText());
        assertThat(chapter.get("FullyQualifiedName").asText()).isEqualTo("Parent Org:Chapter");
    }

    @Test
    void failedSeedCreatesNothing() {
        SandboxClient.Realm realm = client.createRealm("Atomic");
        SandboxClient.Res r = client.admin("POST", "/sandbox/realms/" + realm.id() + "/seed",
                "{\"Customer\":[{\"DisplayName\":\"Fine\"},{\"DisplayName\":\"fine\"}]}");
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().get("entity").asText()).isEqualTo("Customer");
        assertThat(r.json().get("index").asInt()).isEqualTo(1);
        assertThat(r.json().path("Fault").path("Error").get(0).get("code").asText()).isEqualTo("6240");
        assertThat(client.query(realm, "select count(*) from Customer where Active in (true,false)")
                .json().path("QueryResponse").get("totalCount").asInt()).isZero();
        assertThat(client.admin("POST", "/sandbox/realms/" + realm.id() + "/seed", "{\"Unicorn\":[]}").status()).isEqualTo(400);
        assertThat(client.admin("POST", "/sandbox/realms/" + realm.id() + "/seed", "{\"Customer\":[{\"DisplayName\":\"Fine\"}]}")
                .status()).isEqualTo(200);
    }

    @Test
    void inspectionShowsInactiveAndDeletedRows() {
        SandboxClient.Realm realm = client.createRealm("Inspect");
        JsonNode cust = client.create(realm, "Customer", "{\"DisplayName\":\"Quiet\"}");
        client.post(realm, "/customer", "{\"Id\":\"" + cust.get("Id").asText() + "\",\"SyncToken\":\"0\",\"sparse\":true,\"Active\":false}");
        JsonNode active = client.create(realm, "Customer", "{\"DisplayName\":\"Loud\"}");
        JsonNode inv = client.create(realm, "Invoice", "{\"CustomerRef\":{\"value\":\"" + active.get("Id").asText()
                + "\"},\"Line\":[{\"Amount\":5,\"DetailType\":\"SalesItemLineDetail\",\"SalesItemLineDetail\":{}}]}");
        client.post(realm, "/invoice?operation=delete", "{\"Id\":\"" + inv.get("Id").asText() + "\",\"SyncToken\":\"0\"}");

        JsonNode customers = client.admin("GET", "/sandbox/realms/" + realm.id() + "/entities/Customer", null).json();
        assertThat(customers.get("count").asInt()).isEqualTo(2);
        JsonNode invoices = client.admin("GET", "/sandbox/realms/" + realm.id() + "/entities/invoice", null).json();
        assertThat(invoices.get("Invoice").get(0).get("status").asText()).isEqualTo("Deleted");
        assertThat(invoices.get("Invoice").get(0).get("TotalAmt").decimalValue()).isEqualByComparingTo("5");
        assertThat(client.admin("GET", "/sandbox/realms/" + realm.id() + "/entities/Unicorn", null).status()).isEqualTo(404);
    }

    @Test
    void resetWipesDataButKeepsCredentials() {
        SandboxClient.Realm realm = client.createRealm("Reset");
        client.create(realm, "Customer", "{\"DisplayName\":\"Temporary\"}");
        client.post(realm, "/customer?requestid=keep-me", "{\"DisplayName\":\"Logged\"}");
        client.admin("PUT", "/sandbox/realms/" + realm.id() + "/faults", "{\"latencyMs\":5}");
        SandboxClient.Res reset = client.admin("POST", "/sandbox/realms/" + realm.id() + "/reset", "");
        assertThat(reset.status()).isEqualTo(200);
        assertThat(reset.json().path("counts").path("Customer").asInt()).isZero();
        assertThat(reset.json().get("faultsInherited").asBoolean()).isTrue();
        assertThat(client.query(realm, "select * from Customer where DisplayName = 'Temporary'").json()
                .get("QueryResponse").toString()).isEqualTo("{}");
        // Same credentials still work, the name is free again, and the request log is gone.
        JsonNode again = client.create(realm, "Customer", "{\"DisplayName\":\"Temporary\"}");
        assertThat(again.get("SyncToken").asText()).isEqualTo("0");
        SandboxClient.Res logged = client.post(realm, "/customer?requestid=keep-me", "{\"DisplayName\":\"Logged Again\"}");
        assertThat(logged.json().path("Customer").path("DisplayName").asText()).isEqualTo("Logged Again");
    }

    @Test
    void preferencesCanBeChanged() {
        SandboxClient.Realm realm = client.createRealm("Prefs");
        SandboxClient.Res put = client.admin("PUT", "/sandbox/realms/" + realm.id() + "/preferences",
                "{\"SalesFormsPrefs\":{\"CustomTxnNumbers\":true}}");
        assertThat(put.json().path("SalesFormsPrefs").path("CustomTxnNumbers").asBoolean()).isTrue();
        assertThat(put.json().path("SalesFormsPrefs").path("AllowDiscount").asBoolean()).isTrue();
        assertThat(put.json().get("SyncToken").asText()).isEqualTo("1");
        assertThat(client.get(realm, "/preferences").json().path("Preferences").path("SalesFormsPrefs")
                .path("CustomTxnNumbers").asBoolean()).isTrue();
    }

    @Test
    void unknownAdminPathsAre404() {
        assertThat(client.admin("GET", "/sandbox/nothing", null).status()).isEqualTo(404);
        assertThat(client.admin("GET", "/sandbox/realms/123/seed", null).status()).isEqualTo(404);
        assertThat(client.admin("POST", "/sandbox/realms", "[1]").status()).isEqualTo(400);
    }
}
