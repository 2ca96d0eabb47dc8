package io.qbosync.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** List entities over real HTTP: CRUD, sparse vs full update, SyncToken, uniqueness, limits, references. */
class SandboxEntityIT extends RunningSandbox {
    SandboxClient.Realm realm;

    @BeforeEach
    void newRealm() {
        realm = client.createRealm("Entities");
    }

    @Test
    void createReadAndEnvelope() {
        SandboxClient.Res r = client.post(realm, "/customer?minorversion=75",
                "{\"DisplayName\":\"Acme Ltd\",\"PrimaryEmailAddr\":{\"Address\":\"ap@acme.example\"}}");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.header("intuit_tid")).isNotBlank();
        JsonNode c = r.json().get("Customer");
        assertThat(c.get("Id").isTextual()).isTrue();
        assertThat(c.get("SyncToken").asText()).isEqualTo("0");
        assertThat(c.get("Active").asBoolean()).isTrue();
        assertThat(c.path("MetaData").path("CreateTime").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d[-+]\\d\\d:\\d\\d");
        assertThat(r.json().get("time").asText()).matches(".*T.*\\.\\d{3}[-+]\\d\\d:\\d\\d");

        JsonNode read = client.read(realm, "Customer", c.get("Id").asText());
        assertThat(read.get("DisplayName").asText()).isEqualTo("Acme Ltd");
        assertThat(read.path("PrimaryEmailAddr").path("Address").asText()).isEqualTo("ap@acme.example");
    }

    @Test
    void displayNameIsBuiltFromNamePartsWhenOmitted() {
        JsonNode c = client.create(realm, "Customer", "{\"Title\":\"Dr\",\"GivenName\":\"Ada\",\"FamilyName\":\"Lovelace\"}");
        assertThat(c.get("DisplayName").asText()).isEqualTo("Dr Ada Lovelace");
        SandboxClient.Res none = client.post(realm, "/customer", "{\"CompanyName\":\"Nameless\"}");
        assertThat(none.status()).isEqualTo(400);
        assertThat(none.faultCode()).isEqualTo("2020");
    }

    @Test
    void sparseUpdateChangesOnlyGivenFieldsAndFullUpdateNullsOmittedOnes() {
        JsonNode c = client.create(realm, "Customer",
                "{\"DisplayName\":\"Beta\",\"CompanyName\":\"Beta Inc\",\"Notes\":\"vip\"}");
        String id = c.get("Id").asText();
        SandboxClient.Res sparse = client.post(realm, "/customer", "{\"Id\":\"" + id
                + "\",\"SyncToken\":\"0\",\"sparse\":true,\"PrimaryEmailAddr\":{\"Address\":\"b@beta.example\"}}");
        assertThat(sparse.status()).isEqualTo(200);
        JsonNode s = sparse.json().get("Customer");
        assertThat(s.get("SyncToken").asText()).isEqualTo("1");
        assertThat(s.get("CompanyName").asText()).isEqualTo("Beta Inc");
        assertThat(s.get("Notes").asText()).isEqualTo("vip");
        assertThat(s.path("PrimaryEmailAddr").path("Address").asText()).isEqualTo("b@beta.example");
        assertThat(s.path("MetaData").path("CreateTime").asText())
                .isEqualTo(c.path("MetaData").path("CreateTime").asText());

        SandboxClient.Res full = client.post(realm, "/customer",
                "{\"Id\":\"" + id + "\",\"SyncToken\":\"1\",\"DisplayName\":\"Beta\",\"CompanyName\":\"Beta Two\"}");
        assertThat(full.status()).isEqualTo(200);
        JsonNode f = full.json().get("Customer");
        assertThat(f.get("SyncToken").asText()).isEqualTo("2");
        assertThat(f.get("CompanyName").asText()).isEqualTo("Beta Two");
        assertThat(f.has("Notes")).isFalse();
        assertThat(f.has("PrimaryEmailAddr")).isFalse();
    }

    @Test
    void staleSyncTokenIs5010() {
        JsonNode c = client.create(realm, "Customer", "{\"DisplayName\":\"Gamma\"}");
        String id = c.get("Id").asText();
        assertThat(client.post(realm, "/customer", "{\"Id\":\"" + id + "\",\"SyncToken\":\"0\",\"sparse\":true,"
                + "\"Notes\":\"one\"}").status()).isEqualTo(200);
        SandboxClient.Res stale = client.post(realm, "/customer", "{\"Id\":\"" + id
                + "\",\"SyncToken\":\"0\",\"sparse\":true,\"Notes\":\"two\"}");
        assertThat(stale.status()).isEqualTo(400);
        assertThat(stale.faultCode()).isEqualTo("5010");
        assertThat(stale.error().get("Message").asText()).isEqualTo("Stale Object Error");
        assertThat(stale.error().get("Detail").asText()).startsWith("Stale Object Error : You and ");
        assertThat(stale.json().path("Fault").path("type").asText()).isEqualTo("ValidationFault");
        assertThat(stale.header("intuit_tid")).isNotBlank();
        assertThat(client.read(realm, "Customer", id).get("Notes").asText()).isEqualTo("one");
    }

    @Test
    void missingObjectIs610AndListEntitiesCannotBeDeleted() {
        SandboxClient.Res missing = client.get(realm, "/customer/999999");
        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.faultCode()).isEqualTo("610");
        assertThat(missing.error().get("Message").asText()).isEqualTo("Object Not Found");
        SandboxClient.Res upd = client.post(realm, "/customer", "{\"Id\":\"999999\",\"SyncToken\":\"0\",\"DisplayName\":\"X\"}");
        assertThat(upd.faultCode()).isEqualTo("610");

        JsonNode c = client.create(realm, "Customer", "{\"DisplayName\":\"Delta\"}");
        SandboxClient.Res del = client.post(realm, "/customer?operation=delete",
                "{\"Id\":\"" + c.get("Id").asText() + "\",\"SyncToken\":\"0\"}");
        assertThat(del.status()).isEqualTo(400);
        assertThat(del.faultCode()).isEqualTo("500");
        SandboxClient.Res inactive = client.post(realm, "/customer",
                "{\"Id\":\"" + c.get("Id").asText() + "\",\"SyncToken\":\"0\",\"sparse\":true,\"Active\":false}");
        assertThat(inactive.json().path("Customer").path("Active").asBoolean()).isFalse();
        assertThat(client.read(realm, "Customer", c.get("Id").asText()).get("Active").asBoolean()).isFalse();
    }

    @Test
    void duplicateDisplayNameAcrossCustomerVendorEmployeeIncludingInactiveIs6240() {
        JsonNode vendor = client.create(realm, "Vendor", "{\"DisplayName\":\"Shared Name\"}");
        SandboxClient.Res dup = client.post(realm, "/customer", "{\"DisplayName\":\"shared name\"}");
        assertThat(dup.status()).isEqualTo(400);
        assertThat(dup.faultCode()).isEqualTo("6240");
        assertThat(dup.error().get("Message").asText()).isEqualTo("Duplicate Name Exists Error");
        assertThat(dup.error().get("Detail").asText())
                .isEqualTo("The name supplied already exists. : Id=" + vendor.get("Id").asText());

        JsonNode emp = client.create(realm, "Employee", "{\"GivenName\":\"Erin\",\"FamilyName\":\"Staff\"}");
        assertThat(emp.get("DisplayName").asText()).isEqualTo("Erin Staff");
        SandboxClient.Res dupEmp = client.post(realm, "/customer", "{\"DisplayName\":\"Erin Staff\"}");
        assertThat(dupEmp.faultCode()).isEqualTo("6240");
        assertThat(dupEmp.error().get("Detail").asText()).endsWith("Id=" + emp.get("Id").asText());

        JsonNode cust = client.create(realm, "Customer", "{\"DisplayName\":\"Gone Co\"}");
        client.post(realm, "/customer", "{\"Id\":\"" + cust.get("Id").asText()
                + "\",\"SyncToken\":\"0\",\"sparse\":true,\"Active\":false}");
        SandboxClient.Res dupInactive = client.post(realm, "/vendor", "{\"DisplayName\":\"Gone Co\"}");
        assertThat(dupInactive.faultCode()).isEqualTo("6240");
        assertThat(dupInactive.error().get("Detail").asText()).endsWith("Id=" + cust.get("Id").asText());

        // Renaming onto an existing name is refused too; renaming to itself is fine.
        JsonNode other = client.create(realm, "Customer", "{\"DisplayName\":\"Other\"}");
        SandboxClient.Res rename = client.post(realm, "/customer", "{\"Id\":\"" + other.get("Id").asText()
                + "\",\"SyncToken\":\"0\",\"sparse\":true,\"DisplayName\":\"SHARED NAME\"}");
        assertThat(rename.faultCode()).isEqualTo("6240");
        SandboxClient.Res same = client.post(realm, "/customer", "{\"Id\":\"" + other.get("Id").asText()
                + "\",\"SyncToken\":\"0\",\"sparse\":true,\"DisplayName\":\"other\"}");
        assertThat(same.status()).isEqualTo(200);
    }

    @Test
    void itemNameUniqueAmongItemsAndIncomeAccountRequired() {
        JsonNode item = client.create(realm, "Item", "{\"Name\":\"Dues\",\"IncomeAccountRef\":{\"value\":\"4\"}}");
        assertThat(item.get("Type").asText()).isEqualTo("Service");
        assertThat(item.path("IncomeAccountRef").path("name").asText()).isEqualTo("Services");
        SandboxClient.Res dup = client.post(realm, "/item", "{\"Name\":\"DUES\",\"IncomeAccountRef\":{\"value\":\"4\"}}");
        assertThat(dup.faultCode()).isEqualTo("6240");
        assertThat(dup.error().get("Detail").asText()).endsWith("Id=" + item.get("Id").asText());
        // Item names do not clash with customers.
        client.create(realm, "Customer", "{\"DisplayName\":\"Dues\"}");
        SandboxClient.Res noAccount = client.post(realm, "/item", "{\"Name\":\"Fees\"}");
        assertThat(noAccount.faultCode()).isEqualTo("2020");
        assertThat(noAccount.error().get("element").asText()).isEqualTo("IncomeAccountRef");
        SandboxClient.Res badType = client.post(realm, "/item",
                "{\"Name\":\"Odd\",\"Type\":\"Magic\",\"IncomeAccountRef\":{\"value\":\"4\"}}");
        assertThat(badType.faultCode()).isEqualTo("2170");
    }

    @Test
    void overLongStringsAre2050WithElementAndSeveralErrorsShareOneFault() {
        String longName = "N".repeat(101);
        SandboxClient.Res r = client.post(realm, "/item", "{\"Name\":\"" + longName + "\"}");
        assertThat(r.status()).isEqualTo(400);
        JsonNode errors = r.json().path("Fault").path("Error");
        assertThat(errors.size()).isEqualTo(2);
        assertThat(errors.get(0).get("code").asText()).isEqualTo("2050");
        assertThat(errors.get(0).get("element").asText()).isEqualTo("Name");
        assertThat(errors.get(0).get("Message").asText())
                .isEqualTo("String length is either shorter or longer than supported by specification");
        assertThat(errors.get(0).get("Detail").asText()).isEqualTo(
                "String length specified does not match the supported length. Min:0 Max:100 supported. Supplied length:101");
        assertThat(errors.get(1).get("code").asText()).isEqualTo("2020");

        SandboxClient.Res notes = client.post(realm, "/customer",
                "{\"DisplayName\":\"Long Notes\",\"Notes\":\"" + "x".repeat(2001) + "\"}");
        assertThat(notes.error().get("Detail").asText()).contains("Max:2,000 supported. Supplied length:2,001");
        SandboxClient.Res nested = client.post(realm, "/customer",
                "{\"DisplayName\":\"Nested\",\"BillAddr\":{\"PostalCode\":\"" + "9".repeat(31) + "\"}}");
        assertThat(nested.error().get("element").asText()).isEqualTo("BillAddr.PostalCode");
    }

    @Test
    void unknownReferenceIs2500AndInactiveReferenceIs610() {
        SandboxClient.Res unknownAccount = client.post(realm, "/item",
                "{\"Name\":\"Thing\",\"IncomeAccountRef\":{\"value\":\"7777\"}}");
        assertThat(unknownAccount.faultCode()).isEqualTo("2500");
        assertThat(unknownAccount.error().get("Message").asText()).isEqualTo("Invalid Reference Id");
        assertThat(unknownAccount.error().get("Detail").asText())
                .isEqualTo("Invalid Reference Id : Accounts element id 7777 not found");

        SandboxClient.Res unknownCustomer = client.post(realm, "/invoice", "{\"CustomerRef\":{\"value\":\"75\"},"
                + "\"Line\":[{\"Amount\":10,\"DetailType\":\"SalesItemLineDetail\",\"SalesItemLineDetail\":{}}]}");
        assertThat(unknownCustomer.faultCode()).isEqualTo("2500");
        assertThat(unknownCustomer.error().get("Detail").asText()).isEqualTo("Invalid Reference Id : Names element id 75 not found");

        JsonNode c = client.create(realm, "Customer", "{\"DisplayName\":\"Sleeping\"}");
        client.post(realm, "/customer", "{\"Id\":\"" + c.get("Id").asText()
                + "\",\"SyncToken\":\"0\",\"sparse\":true,\"Active\":false}");
        SandboxClient.Res inactive = client.post(realm, "/invoice", "{\"CustomerRef\":{\"value\":\""
                + c.get("Id").asText() + "\"},\"Line\":[{\"Amount\":10,\"DetailType\":\"SalesItemLineDetail\","
                + "\"SalesItemLineDetail\":{}}]}");
        assertThat(inactive.faultCode()).isEqualTo("610");
        assertThat(inactive.error().get("Detail").asText()).contains("has been made inactive");
    }

    @Test
    void subCustomersNeedParentRefAndGetQualifiedNames() {
        SandboxClient.Res noParent = client.post(realm, "/customer", "{\"DisplayName\":\"Kid\",\"Job\":true}");
        assertThat(noParent.faultCode()).isEqualTo("6150");
        assertThat(noParent.error().get("Message").asText()).isEqualTo("ParentRef Required Error");
        JsonNode parent = client.create(realm, "Customer", "{\"DisplayName\":\"Parent\"}");
        JsonNode kid = client.create(realm, "Customer", "{\"DisplayName\":\"Kid\",\"Job\":true,\"ParentRef\":{\"value\":\""
                + parent.get("Id").asText() + "\"}}");
        assertThat(kid.get("FullyQualifiedName").asText()).isEqualTo("Parent:Kid");
        assertThat(kid.get("Level").asInt()).isEqualTo(1);
    }

    @Test
    void unknownPathsAndBadBodiesAreFaultsWithIntuitTid() {
        SandboxClient.Res unknown = client.get(realm, "/nosuchthing/1");
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.faultCode()).isEqualTo("500");
        assertThat(unknown.error().get("Message").asText()).isEqualTo("Unsupported Operation");
        assertThat(unknown.header("intuit_tid")).isNotBlank();

        SandboxClient.Res outside = client.send(HttpRequest.newBuilder(URI.create(client.base + "/nothing/here")).GET());
        assertThat(outside.status()).isEqualTo(400);
        assertThat(outside.header("intuit_tid")).isNotBlank();

        SandboxClient.Res broken = client.post(realm, "/customer", "{\"DisplayName\":");
        assertThat(broken.status()).isEqualTo(400);
        assertThat(broken.faultCode()).isEqualTo("2010");

        SandboxClient.Res latin1 = client.send(HttpRequest.newBuilder(URI.create(client.base + "/v3/company/"
                        + realm.id() + "/customer"))
                .header("Authorization", "Bearer " + realm.accessToken())
                .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[] {'{', '"', 'D', '"', ':', '"', (byte) 0xE9, '"', '}'})));
        assertThat(latin1.status()).isEqualTo(400);
        assertThat(latin1.faultCode()).isEqualTo("500");
        assertThat(latin1.error().get("Detail").asText()).contains("Invalid byte 1 of 1-byte UTF-8 sequence");
    }

    @Test
    void companyInfoAndPreferences() {
        SandboxClient.Res info = client.get(realm, "/companyinfo/" + realm.id());
        assertThat(info.status()).isEqualTo(200);
        assertThat(info.json().path("CompanyInfo").path("CompanyName").asText()).isEqualTo("Entities");
        SandboxClient.Res prefs = client.get(realm, "/preferences?minorversion=75");
        assertThat(prefs.json().path("Preferences").path("SalesFormsPrefs").path("CustomTxnNumbers").asBoolean(true))
                .isFalse();
    }

    @Test
    void accountsHaveClassificationAndUniqueNames() {
        JsonNode a = client.create(realm, "Account", "{\"Name\":\"Membership Income\",\"AccountType\":\"Income\"}");
        assertThat(a.get("Classification").asText()).isEqualTo("Revenue");
        assertThat(client.post(realm, "/account", "{\"Name\":\"membership income\",\"AccountType\":\"Income\"}")
                .faultCode()).isEqualTo("6240");
        assertThat(client.post(realm, "/account", "{\"Name\":\"Bad\",\"AccountType\":\"Nonsense\"}").faultCode())
                .isEqualTo("2170");
    }
}
