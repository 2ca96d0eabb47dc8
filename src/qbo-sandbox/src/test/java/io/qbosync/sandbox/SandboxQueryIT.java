package io.qbosync.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The query language over HTTP: operators, defaults, paging, COUNT, errors 4000/4001. */
class SandboxQueryIT extends RunningSandbox {
    SandboxClient.Realm realm;

    @BeforeEach
    void seed() {
        realm = client.createRealm("Query");
        SandboxClient.Res r = client.admin("POST", "/sandbox/realms/" + realm.id() + "/seed", """
                {"Customer":[
                  {"DisplayName":"Adam's Candy","CompanyName":"Candy","PrimaryEmailAddr":{"Address":"adam@candy.example"}},
                  {"DisplayName":"Acme Ltd","CompanyName":"Acme"},
                  {"DisplayName":"Beta Club","CompanyName":"Beta"},
                  {"DisplayName":"Zulu Sleeping","Active":false}
                ],
                 "Item":[{"Name":"Dues","Sku":"SKU-1","IncomeAccountRef":{"name":"Services"}}],
                 "Invoice":[
                  {"CustomerRef":{"name":"Acme Ltd"},"TxnDate":"2026-01-10","Line":[{"Amount":10,"DetailType":"SalesItemLineDetail","SalesItemLineDetail":{"ItemRef":{"name":"Dues"}}}]},
                  {"CustomerRef":{"name":"Acme Ltd"},"TxnDate":"2026-02-10","Line":[{"Amount":20,"DetailType":"SalesItemLineDetail","SalesItemLineDetail":{}}]},
                  {"CustomerRef":{"name":"Beta Club"},"TxnDate":"2026-03-10","Line":[{"Amount":30,"DetailType":"SalesItemLineDetail","SalesItemLineDetail":{}}]}
                ]}""");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
    }

    private JsonNode rows(String query, String entity) {
        SandboxClient.Res r = client.query(realm, query);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json().path("QueryResponse").path(entity);
    }

    private List<String> names(JsonNode rows, String field) {
        List<String> out = new ArrayList<>();
        rows.forEach(n -> out.add(n.get(field).asText()));
        return out;
    }

    @Test
    void equalityLikeAndEscapedQuotes() {
        assertThat(names(rows("select * from Customer where DisplayName = 'Adam\\'s Candy'", "Customer"), "DisplayName"))
                .containsExactly("Adam's Candy");
        assertThat(names(rows("SELECT * FROM Customer WHERE DisplayName LIKE 'a%'", "Customer"), "DisplayName"))
                .containsExactly("Adam's Candy", "Acme Ltd");
        assertThat(names(rows("select * from customer where DisplayName like '%club'", "Customer"), "DisplayName"))
                .containsExactly("Beta Club");
        assertThat(names(rows("select * from Customer where PrimaryEmailAddr = 'adam@candy.example'", "Customer"),
                "DisplayName")).containsExactly("Adam's Candy");
        assertThat(names(rows("select * from Customer where displayname = 'acme ltd'", "Customer"), "DisplayName"))
                .containsExactly("Acme Ltd");
        assertThat(names(rows("select * from Item where Sku = 'SKU-1'", "Item"), "Name")).containsExactly("Dues");
    }

    @Test
    void listEntitiesAreActiveOnlyUnlessActiveIsFiltered() {
        assertThat(names(rows("select * from Customer", "Customer"), "DisplayName")).doesNotContain("Zulu Sleeping");
        assertThat(names(rows("select * from Customer where Active IN (true, false)", "Customer"), "DisplayName"))
                .contains("Zulu Sleeping").hasSize(4);
        assertThat(names(rows("select * from Customer where Active = false", "Customer"), "DisplayName"))
                .containsExactly("Zulu Sleeping");
        assertThat(names(rows("select * from Customer where DisplayName = 'Zulu Sleeping' and Active in (true,false)",
                "Customer"), "DisplayName")).containsExactly("Zulu Sleeping");
    }

    @Test
    void comparisonsInAndReferences() {
        assertThat(names(rows("select * from Invoice where TotalAmt >= 20", "Invoice"), "TotalAmt"))
                .containsExactly("20.0", "30.0");
        assertThat(names(rows("select * from Invoice where TxnDate < '2026-02-10'", "Invoice"), "TxnDate"))
                .containsExactly("2026-01-10");
        assertThat(names(rows("select * from Invoice where TxnDate <= '2026-02-10' AND Balance > 10", "Invoice"), "TxnDate"))
                .containsExactly("2026-02-10");
        JsonNode all = rows("select * from Invoice", "Invoice");
        String acme = all.get(0).path("CustomerRef").path("value").asText();
        assertThat(rows("select * from Invoice where CustomerRef = '" + acme + "'", "Invoice").size()).isEqualTo(2);
        assertThat(rows("select * from Invoice where DocNumber IN ('1001', '1003')", "Invoice").size()).isEqualTo(2);
        String firstId = all.get(0).get("Id").asText();
        assertThat(names(rows("select * from Invoice where Id = '" + firstId + "'", "Invoice"), "Id")).containsExactly(firstId);
        assertThat(rows("select * from Invoice where MetaData.LastUpdatedTime > '2020-01-01T00:00:00-08:00'", "Invoice")
                .size()).isEqualTo(3);
    }

    @Test
    void orderingPagingAndCount() {
        assertThat(names(rows("select * from Customer orderby DisplayName desc", "Customer"), "DisplayName"))
                .containsExactly("Beta Club", "Adam's Candy", "Acme Ltd");
        SandboxClient.Res page = client.query(realm, "select * from Customer ORDERBY DisplayName STARTPOSITION 2 MAXRESULTS 1");
        JsonNode qr = page.json().path("QueryResponse");
        assertThat(names(qr.path("Customer"), "DisplayName")).containsExactly("Adam's Candy");
        assertThat(qr.get("startPosition").asInt()).isEqualTo(2);
        assertThat(qr.get("maxResults").asInt()).isEqualTo(1);
        SandboxClient.Res count = client.query(realm, "select count(*) from Customer where Active in (true,false)");
        assertThat(count.json().path("QueryResponse").get("totalCount").asInt()).isEqualTo(4);
        SandboxClient.Res beyond = client.query(realm, "select * from Customer startposition 50");
        assertThat(beyond.json().get("QueryResponse").toString()).isEqualTo("{}");
    }

    @Test
    void defaultPageIs100AndMaximum1000() {
        StringBuilder seed = new StringBuilder("{\"Vendor\":[");
        for (int i = 0; i < 1005; i++) {
            seed.append(i == 0 ? "" : ",").append("{\"DisplayName\":\"V").append(i).append("\"}");
        }
        seed.append("]}");
        assertThat(client.admin("POST", "/sandbox/realms/" + realm.id() + "/seed", seed.toString()).status()).isEqualTo(200);
        assertThat(rows("select * from Vendor", "Vendor").size()).isEqualTo(100);
        assertThat(rows("select * from Vendor maxresults 5000", "Vendor").size()).isEqualTo(1000);
        assertThat(rows("select * from Vendor startposition 1001 maxresults 1000", "Vendor").size()).isEqualTo(5);
    }

    @Test
    void emptyResultHasNoEntityKey() {
        SandboxClient.Res r = client.query(realm, "select * from Customer where DisplayName = 'Nobody'");
        assertThat(r.json().get("QueryResponse").toString()).isEqualTo("{}");
        assertThat(r.json().has("time")).isTrue();
    }

    @Test
    void postQueryWithApplicationText() {
        SandboxClient.Res r = client.send(HttpRequest.newBuilder(URI.create(client.base + "/v3/company/" + realm.id()
                        + "/query?minorversion=75"))
                .header("Authorization", "Bearer " + realm.accessToken())
                .header("Content-Type", "application/text")
                .POST(HttpRequest.BodyPublishers.ofString("Select * From Item")));
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().path("QueryResponse").path("Item").size()).isEqualTo(1);
    }

    @Test
    void parseErrorsAre4000AndValidationErrors4001() {
        SandboxClient.Res or = client.query(realm, "select * from Customer where DisplayName = 'a' OR DisplayName = 'b'");
        assertThat(or.status()).isEqualTo(400);
        assertThat(or.faultCode()).isEqualTo("4000");
        assertThat(or.error().get("Message").asText()).isEqualTo("Error parsing query");
        assertThat(or.error().get("Detail").asText()).startsWith("QueryParserError: Encountered \"OR\"");
        assertThat(client.query(realm, "select * from Customer where DisplayName = 'Adam's Candy'").faultCode())
                .isEqualTo("4000");
        assertThat(client.query(realm, "select * from Customer where DisplayName = Acme").faultCode()).isEqualTo("4000");
        SandboxClient.Res empty = client.get(realm, "/query?query=");
        assertThat(empty.faultCode()).isEqualTo("4000");
        assertThat(empty.error().get("Detail").asText()).contains("The query provided was empty");

        SandboxClient.Res notQueryable = client.query(realm, "select * from Vendor where PrimaryEmailAddr = 'x@y.z'");
        assertThat(notQueryable.faultCode()).isEqualTo("4001");
        assertThat(notQueryable.error().get("Message").asText()).isEqualTo("Invalid query");
        assertThat(notQueryable.error().get("Detail").asText())
                .isEqualTo("QueryValidationError: property 'PrimaryEmailAddr' is not queryable");
        assertThat(client.query(realm, "select * from Customer where Notes = 'x'").faultCode()).isEqualTo("4001");
        assertThat(client.query(realm, "select * from Customer where Id > '3'").faultCode()).isEqualTo("4001");
        assertThat(client.query(realm, "select * from Customer orderby Notes").faultCode()).isEqualTo("4001");
        assertThat(client.query(realm, "select * from Unicorn").faultCode()).isEqualTo("4001");
    }

    @Test
    void companyInfoIsQueryable() {
        assertThat(rows("select * from CompanyInfo", "CompanyInfo").get(0).get("CompanyName").asText()).isEqualTo("Query");
    }
}
