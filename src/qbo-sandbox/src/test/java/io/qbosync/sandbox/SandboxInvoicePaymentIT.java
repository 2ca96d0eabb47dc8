package io.qbosync.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.time.ZoneId;

import static org.assertj.core.api.Assertions.assertThat;

/** Invoices and payments: computed totals, numbering, 6070/6140/2020/6000, balances, void and delete. */
class SandboxInvoicePaymentIT extends RunningSandbox {
    SandboxClient.Realm realm;
    String customerId;
    String itemId;

    @BeforeEach
    void newRealm() {
        realm = client.createRealm("Billing");
        customerId = client.create(realm, "Customer", "{\"DisplayName\":\"Member One\"}").get("Id").asText();
        itemId = client.create(realm, "Item", "{\"Name\":\"Dues\",\"IncomeAccountRef\":{\"value\":\"4\"}}").get("Id").asText();
    }

    private String line(String amount, String qty, String price) {
        return "{\"Amount\":" + amount + ",\"DetailType\":\"SalesItemLineDetail\",\"Description\":\"Dues\","
                + "\"SalesItemLineDetail\":{\"ItemRef\":{\"value\":\"" + itemId + "\"}"
                + (qty == null ? "" : ",\"Qty\":" + qty) + (price == null ? "" : ",\"UnitPrice\":" + price) + "}}";
    }

    private JsonNode invoice(String extra, String... lines) {
        return client.create(realm, "Invoice", "{\"CustomerRef\":{\"value\":\"" + customerId + "\"},\"Line\":["
                + String.join(",", lines) + "]" + extra + "}");
    }

    @Test
    void totalsSubtotalLineDiscountTaxAndDefaults() {
        JsonNode inv = invoice(",\"TxnTaxDetail\":{\"TotalTax\":4.5}", line("100.00", "2", "50"), line("1.01", "3", "0.335"),
                "{\"DetailType\":\"DiscountLineDetail\",\"DiscountLineDetail\":{\"PercentBased\":true,\"DiscountPercent\":10}}",
                "{\"DetailType\":\"DescriptionOnly\",\"Description\":\"Thank you\"}");
        // subtotal 101.01, discount 10.10, tax 4.50
        assertThat(inv.get("TotalAmt").decimalValue()).isEqualByComparingTo("95.41");
        assertThat(inv.get("Balance").decimalValue()).isEqualByComparingTo("95.41");
        JsonNode last = inv.get("Line").get(inv.get("Line").size() - 1);
        assertThat(last.get("DetailType").asText()).isEqualTo("SubTotalLineDetail");
        assertThat(last.get("Amount").decimalValue()).isEqualByComparingTo("101.01");
        assertThat(inv.get("Line").get(0).get("Id").asText()).isEqualTo("1");
        assertThat(inv.path("CustomerRef").path("name").asText()).isEqualTo("Member One");
        String today = LocalDate.now(ZoneId.of("America/Los_Angeles")).toString();
        assertThat(inv.get("TxnDate").asText()).isIn(today, LocalDate.parse(today).plusDays(1).toString(),
                LocalDate.parse(today).minusDays(1).toString());
        assertThat(inv.get("DueDate").asText()).isEqualTo(inv.get("TxnDate").asText());
        JsonNode dated = invoice(",\"TxnDate\":\"2026-01-15\"", line("10", null, null));
        assertThat(dated.get("DueDate").asText()).isEqualTo("2026-01-15");
    }

    @Test
    void amountMustEqualQtyTimesUnitPriceRoundedHalfUp() {
        SandboxClient.Res bad = client.post(realm, "/invoice", "{\"CustomerRef\":{\"value\":\"" + customerId
                + "\"},\"Line\":[" + line("1000", "3", "0.335") + "]}");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.faultCode()).isEqualTo("6070");
        assertThat(bad.error().get("Detail").asText()).isEqualTo("Amount is not equal to UnitPrice * Qty. Supplied value:1,000");
        SandboxClient.Res truncated = client.post(realm, "/invoice", "{\"CustomerRef\":{\"value\":\"" + customerId
                + "\"},\"Line\":[" + line("1.00", "3", "0.335") + "]}");
        assertThat(truncated.faultCode()).isEqualTo("6070");
        assertThat(invoice("", line("1.01", "3", "0.335")).get("TotalAmt").decimalValue()).isEqualByComparingTo("1.01");
    }

    @Test
    void lineIsRequired2020() {
        SandboxClient.Res r = client.post(realm, "/invoice", "{\"CustomerRef\":{\"value\":\"" + customerId + "\"}}");
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.faultCode()).isEqualTo("2020");
        assertThat(r.error().get("Message").asText()).isEqualTo("Required param missing, need to supply the required value for the API");
        assertThat(r.error().get("Detail").asText()).isEqualTo("Required parameter Line is missing in the request");
        SandboxClient.Res both = client.post(realm, "/invoice", "{\"CustomerRef\":{\"value\":\"" + customerId
                + "\"},\"DocNumber\":\"" + "D".repeat(22) + "\"}");
        assertThat(both.json().path("Fault").path("Error").findValuesAsText("code")).contains("2020", "2050");
    }

    @Test
    void docNumbersAreAssignedAndDuplicatesAre6140UnlessAllowed() {
        JsonNode first = invoice("", line("10", null, null));
        JsonNode second = invoice("", line("10", null, null));
        assertThat(first.get("DocNumber").asText()).isEqualTo("1001");
        assertThat(second.get("DocNumber").asText()).isEqualTo("1002");
        JsonNode custom = invoice(",\"DocNumber\":\"INV-0002\"", line("10", null, null));
        SandboxClient.Res dup = client.post(realm, "/invoice", "{\"CustomerRef\":{\"value\":\"" + customerId
                + "\"},\"DocNumber\":\"INV-0002\",\"Line\":[" + line("5", null, null) + "]}");
        assertThat(dup.status()).isEqualTo(400);
        assertThat(dup.faultCode()).isEqualTo("6140");
        assertThat(dup.error().get("Message").asText()).isEqualTo("Duplicate Document Number Error");
        assertThat(dup.error().get("Detail").asText()).isEqualTo("Duplicate Document Number Error : You must specify a "
                + "different number. This number has already been used. DocNumber=INV-0002 is assigned to TxnType=Invoice"
                + " with TxnId=" + custom.get("Id").asText());
        SandboxClient.Res allowed = client.post(realm, "/invoice?include=allowduplicatedocnum", "{\"CustomerRef\":{\"value\":\""
                + customerId + "\"},\"DocNumber\":\"INV-0002\",\"Line\":[" + line("5", null, null) + "]}");
        assertThat(allowed.status()).isEqualTo(200);
        SandboxClient.Res tooLong = client.post(realm, "/invoice", "{\"CustomerRef\":{\"value\":\"" + customerId
                + "\"},\"DocNumber\":\"" + "X".repeat(22) + "\",\"Line\":[" + line("5", null, null) + "]}");
        assertThat(tooLong.faultCode()).isEqualTo("2050");
        assertThat(tooLong.error().get("element").asText()).isEqualTo("DocNumber");
        assertThat(tooLong.error().get("Detail").asText()).endsWith("Min:0 Max:21 supported. Supplied length:22");
    }

    @Test
    void customTransactionNumbersLeaveDocNumberEmpty() {
        assertThat(client.admin("PUT", "/sandbox/realms/" + realm.id() + "/preferences",
                "{\"SalesFormsPrefs\":{\"CustomTxnNumbers\":true}}").status()).isEqualTo(200);
        JsonNode inv = invoice("", line("10", null, null));
        assertThat(inv.has("DocNumber")).isFalse();
        JsonNode auto = invoice(",\"DocNumber\":\"AUTO_GENERATE\"", line("10", null, null));
        assertThat(auto.get("DocNumber").asText()).isEqualTo("1001");
    }

    @Test
    void paymentsLowerBalanceBumpSyncTokenAndTrackUnappliedAmount() {
        JsonNode inv = invoice("", line("150", null, null));
        String invId = inv.get("Id").asText();
        JsonNode pay = client.create(realm, "Payment", "{\"CustomerRef\":{\"value\":\"" + customerId
                + "\"},\"TotalAmt\":200,\"Line\":[{\"Amount\":100,\"LinkedTxn\":[{\"TxnId\":\"" + invId
                + "\",\"TxnType\":\"Invoice\"}]}]}");
        assertThat(pay.get("UnappliedAmt").decimalValue()).isEqualByComparingTo("100");
        assertThat(pay.path("DepositToAccountRef").path("name").asText()).isEqualTo("Undeposited Funds");
        JsonNode after = client.read(realm, "Invoice", invId);
        assertThat(after.get("Balance").decimalValue()).isEqualByComparingTo("50");
        assertThat(after.get("SyncToken").asText()).isEqualTo("1");
        assertThat(after.get("LinkedTxn").get(0).get("TxnId").asText()).isEqualTo(pay.get("Id").asText());
        assertThat(client.read(realm, "Customer", customerId).get("Balance").decimalValue()).isEqualByComparingTo("-50");

        // Move the application: sparse update of the payment's lines to pay 150.
        SandboxClient.Res upd = client.post(realm, "/payment", "{\"Id\":\"" + pay.get("Id").asText()
                + "\",\"SyncToken\":\"0\",\"sparse\":true,\"Line\":[{\"Amount\":150,\"LinkedTxn\":[{\"TxnId\":\""
                + invId + "\",\"TxnType\":\"Invoice\"}]}]}");
        assertThat(upd.status()).isEqualTo(200);
        assertThat(upd.json().path("Payment").path("UnappliedAmt").decimalValue()).isEqualByComparingTo("50");
        JsonNode paid = client.read(realm, "Invoice", invId);
        assertThat(paid.get("Balance").decimalValue()).isEqualByComparingTo("0");
        assertThat(paid.get("SyncToken").asText()).isEqualTo("2");
    }

    @Test
    void overApplicationAndMissingAmountAre6000() {
        String invId = invoice("", line("80", null, null)).get("Id").asText();
        SandboxClient.Res over = client.post(realm, "/payment", "{\"CustomerRef\":{\"value\":\"" + customerId
                + "\"},\"TotalAmt\":100,\"Line\":[{\"Amount\":100,\"LinkedTxn\":[{\"TxnId\":\"" + invId
                + "\",\"TxnType\":\"Invoice\"}]}]}");
        assertThat(over.status()).isEqualTo(400);
        assertThat(over.faultCode()).isEqualTo("6000");
        assertThat(over.error().get("Detail").asText()).contains("exceeds its open balance");
        SandboxClient.Res noAmount = client.post(realm, "/payment", "{\"CustomerRef\":{\"value\":\"" + customerId + "\"}}");
        assertThat(noAmount.faultCode()).isEqualTo("6000");
        assertThat(noAmount.error().get("Detail").asText()).isEqualTo("Business Validation Error: You must set a transaction amount.");
        SandboxClient.Res linesOverTotal = client.post(realm, "/payment", "{\"CustomerRef\":{\"value\":\"" + customerId
                + "\"},\"TotalAmt\":10,\"Line\":[{\"Amount\":20,\"LinkedTxn\":[{\"TxnId\":\"" + invId
                + "\",\"TxnType\":\"Invoice\"}]}]}");
        assertThat(linesOverTotal.faultCode()).isEqualTo("6000");
        assertThat(client.read(realm, "Invoice", invId).get("Balance").decimalValue()).isEqualByComparingTo("80");
    }

    @Test
    void voidAndDeleteOfPaymentsRestoreBalances() {
        String invId = invoice("", line("100", null, null)).get("Id").asText();
        JsonNode p1 = client.create(realm, "Payment", payment(invId, "40"));
        JsonNode p2 = client.create(realm, "Payment", payment(invId, "60"));
        assertThat(client.read(realm, "Invoice", invId).get("Balance").decimalValue()).isEqualByComparingTo("0");

        SandboxClient.Res voided = client.post(realm, "/payment?operation=update&include=void",
                "{\"Id\":\"" + p1.get("Id").asText() + "\",\"SyncToken\":\"0\",\"sparse\":true}");
        assertThat(voided.status()).isEqualTo(200);
        JsonNode vp = voided.json().get("Payment");
        assertThat(vp.get("TotalAmt").decimalValue()).isEqualByComparingTo("0");
        assertThat(vp.get("SyncToken").asText()).isEqualTo("1");
        assertThat(vp.get("PrivateNote").asText()).startsWith("Voided");
        assertThat(client.read(realm, "Invoice", invId).get("Balance").decimalValue()).isEqualByComparingTo("40");

        SandboxClient.Res deleted = client.post(realm, "/payment?operation=delete",
                "{\"Id\":\"" + p2.get("Id").asText() + "\",\"SyncToken\":\"0\"}");
        assertThat(deleted.status()).isEqualTo(200);
        assertThat(deleted.json().path("Payment").path("status").asText()).isEqualTo("Deleted");
        assertThat(deleted.json().path("Payment").path("domain").asText()).isEqualTo("QBO");
        JsonNode inv = client.read(realm, "Invoice", invId);
        assertThat(inv.get("Balance").decimalValue()).isEqualByComparingTo("100");
        assertThat(inv.get("SyncToken").asText()).isEqualTo("4");
        SandboxClient.Res readDeleted = client.get(realm, "/payment/" + p2.get("Id").asText());
        assertThat(readDeleted.faultCode()).isEqualTo("610");
        assertThat(readDeleted.error().get("Detail").asText()).isEqualTo("Object Not Found : Another user has deleted this transaction.");

        // The other void spelling is accepted too.
        JsonNode p3 = client.create(realm, "Payment", payment(invId, "10"));
        assertThat(client.post(realm, "/payment?operation=void", "{\"Id\":\"" + p3.get("Id").asText()
                + "\",\"SyncToken\":\"0\"}").status()).isEqualTo(200);
        assertThat(client.read(realm, "Invoice", invId).get("Balance").decimalValue()).isEqualByComparingTo("100");
    }

    private String payment(String invId, String amount) {
        return "{\"CustomerRef\":{\"value\":\"" + customerId + "\"},\"TotalAmt\":" + amount + ",\"Line\":[{\"Amount\":"
                + amount + ",\"LinkedTxn\":[{\"TxnId\":\"" + invId + "\",\"TxnType\":\"Invoice\"}]}]}";
    }

    @Test
    void voidInvoiceZeroesAmountsAndPrefixesNote() {
        JsonNode inv = invoice(",\"PrivateNote\":\"chapter 7\"", line("100", "2", "50"));
        SandboxClient.Res r = client.post(realm, "/invoice?operation=void",
                "{\"Id\":\"" + inv.get("Id").asText() + "\",\"SyncToken\":\"0\"}");
        assertThat(r.status()).isEqualTo(200);
        JsonNode v = r.json().get("Invoice");
        assertThat(v.get("SyncToken").asText()).isEqualTo("1");
        assertThat(v.get("TotalAmt").decimalValue()).isEqualByComparingTo("0");
        assertThat(v.get("Balance").decimalValue()).isEqualByComparingTo("0");
        assertThat(v.get("PrivateNote").asText()).isEqualTo("Voided - chapter 7");
        assertThat(v.get("Line").get(0).get("Amount").decimalValue()).isEqualByComparingTo("0");
        assertThat(v.get("Line").get(0).path("SalesItemLineDetail").path("Qty").asInt()).isZero();
        assertThat(v.get("DocNumber").asText()).isEqualTo(inv.get("DocNumber").asText());
        SandboxClient.Res stale = client.post(realm, "/invoice?operation=void",
                "{\"Id\":\"" + inv.get("Id").asText() + "\",\"SyncToken\":\"0\"}");
        assertThat(stale.faultCode()).isEqualTo("5010");
    }

    @Test
    void invoiceWithPaymentsCannotBeDeletedButCanAfterwards() {
        String invId = invoice("", line("100", null, null)).get("Id").asText();
        JsonNode pay = client.create(realm, "Payment", payment(invId, "30"));
        SandboxClient.Res refused = client.post(realm, "/invoice?operation=delete", "{\"Id\":\"" + invId
                + "\",\"SyncToken\":\"1\"}");
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.faultCode()).isEqualTo("6000");
        client.post(realm, "/payment?operation=delete", "{\"Id\":\"" + pay.get("Id").asText() + "\",\"SyncToken\":\"0\"}");
        SandboxClient.Res ok = client.post(realm, "/invoice?operation=delete", "{\"Id\":\"" + invId + "\",\"SyncToken\":\"2\"}");
        assertThat(ok.status()).isEqualTo(200);
        assertThat(ok.json().get("Invoice").toString()).isEqualTo("{\"status\":\"Deleted\",\"domain\":\"QBO\",\"Id\":\"" + invId + "\"}");
        assertThat(client.get(realm, "/invoice/" + invId).faultCode()).isEqualTo("610");
        SandboxClient.Res updDeleted = client.post(realm, "/invoice", "{\"Id\":\"" + invId + "\",\"SyncToken\":\"2\","
                + "\"sparse\":true,\"PrivateNote\":\"x\"}");
        assertThat(updDeleted.faultCode()).isEqualTo("610");
        assertThat(client.read(realm, "Customer", customerId).get("Balance").decimalValue()).isEqualByComparingTo("0");
    }

    @Test
    void customerWithOpenBalanceCannotBeMadeInactive() {
        invoice("", line("25", null, null));
        SandboxClient.Res r = client.post(realm, "/customer", "{\"Id\":\"" + customerId
                + "\",\"SyncToken\":\"0\",\"sparse\":true,\"Active\":false}");
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.error().get("Detail").asText()).contains("open balance");
    }

    @Test
    void invoiceUpdateRecomputesAndKeepsAppliedPayments() {
        JsonNode inv = invoice("", line("100", null, null));
        String invId = inv.get("Id").asText();
        client.create(realm, "Payment", payment(invId, "30"));
        SandboxClient.Res upd = client.post(realm, "/invoice", "{\"Id\":\"" + invId + "\",\"SyncToken\":\"1\","
                + "\"sparse\":true,\"Line\":[" + line("120", null, null) + "]}");
        assertThat(upd.status()).isEqualTo(200);
        JsonNode u = upd.json().get("Invoice");
        assertThat(u.get("TotalAmt").decimalValue()).isEqualByComparingTo("120");
        assertThat(u.get("Balance").decimalValue()).isEqualByComparingTo("90");
        assertThat(u.get("DocNumber").asText()).isEqualTo(inv.get("DocNumber").asText());
        SandboxClient.Res tooSmall = client.post(realm, "/invoice", "{\"Id\":\"" + invId + "\",\"SyncToken\":\"2\","
                + "\"sparse\":true,\"Line\":[" + line("10", null, null) + "]}");
        assertThat(tooSmall.faultCode()).isEqualTo("6000");
    }

    @Test
    void sendAndPdf() {
        JsonNode inv = invoice(",\"BillEmail\":{\"Address\":\"m@one.example\"}", line("10", null, null));
        SandboxClient.Res sent = client.post(realm, "/invoice/" + inv.get("Id").asText() + "/send?sendTo=x@one.example", "");
        assertThat(sent.status()).isEqualTo(200);
        assertThat(sent.json().path("Invoice").path("EmailStatus").asText()).isEqualTo("EmailSent");
        assertThat(sent.json().path("Invoice").path("BillEmail").path("Address").asText()).isEqualTo("x@one.example");
        SandboxClient.Res pdf = client.get(realm, "/invoice/" + inv.get("Id").asText() + "/pdf");
        assertThat(pdf.status()).isEqualTo(200);
        assertThat(pdf.header("Content-Type")).isEqualTo("application/pdf");
        assertThat(pdf.body()).startsWith("%PDF-1.4").contains("Invoice " + inv.get("DocNumber").asText()).endsWith("%%EOF\n");
    }
}
